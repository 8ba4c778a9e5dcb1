"""生产安全事故 (issue 13): reporting with the statutory clocks, grading, 补报, investigation to 批复 and evaluation, 四不放过."""
