"""Fitting response curves: networks, creators, the marketing-mix model, pooling, engagement."""
