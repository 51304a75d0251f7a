"""The command line (DESIGN.md, contract 2)."""
