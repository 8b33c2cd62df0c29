"""Thin routers: argument checks and model mapping; the work is in live.py, screening.py and the core package."""
