"""Bounds on spend: per row, per network, shares, ranges and locks."""
