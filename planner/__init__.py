"""Influencer and social-network marketing budget planner (library; never imports streamlit)."""

__all__ = ["__version__"]
__version__ = "0.1.0"
