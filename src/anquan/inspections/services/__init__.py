"""Services of inspections, one module per sub-domain (see docs/architecture.md, rule 1):
``checklists`` (templates), ``plans`` (plans, issue, assignment and grants), ``draw`` (the pure
双随机 draw), and the performing of a task on site."""
