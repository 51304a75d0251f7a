"""The sheets of the allocation workbook, a module each; planner.report.workbook puts them together."""
