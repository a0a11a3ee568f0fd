"""Indicators: pure functions of evidence or data (dependence, capability, alignment, events)."""
