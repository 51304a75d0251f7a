"""Analysis that asks the optimizer again: targets, the Pareto front, plan evaluation, insights."""
