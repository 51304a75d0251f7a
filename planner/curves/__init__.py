"""Response curves: the forms, the curve table and the uncertainty of a plan's return."""
