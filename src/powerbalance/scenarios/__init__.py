"""Scenarios: declarative shocks, the transmission model, Monte Carlo, stored runs."""
