"""Engines: where heavy aggregation runs (DuckDB embedded by default, Spark on a cluster)."""
