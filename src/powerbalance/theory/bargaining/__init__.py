"""Bargaining models: actor tables, baselines, expected utility, KTAB's spatial model."""
