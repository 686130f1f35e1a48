"""Decisions taken during a run: the hiring policy and strategy changes."""
