"""Estimating scenario parameters from a company's own history (retention, the initial book)."""
