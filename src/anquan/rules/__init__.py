"""Statutory numbers and clocks (时限与法定数值): the one place where they live, each with its source.

``catalog`` lists every rule with its default and citation; ``values.get`` resolves the value
in force for a locality (an administrator may override it for a unit and its subtree);
``calendar`` counts days and working days with Chinese public holidays and 调休;
``deadlines`` holds the pure functions the hazard loop calls.
"""
