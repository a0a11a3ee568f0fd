"""powerbalance: measure, model and simulate the balance of power among great powers.

Importing the package is cheap: it loads no data, opens no store and imports
no plotting, web or Spark code. Start from the layers:

- :mod:`powerbalance.evidence`: actors, sources, claims, events, stances; the
  bundled corpus; the embedded DuckDB store.
- :mod:`powerbalance.indicators`: pure functions of evidence or data.
- :mod:`powerbalance.relations`: signed, weighted dyads derived by documented rules.

- :mod:`powerbalance.app`: the use cases the command line, the dashboard and
  the report call.
"""

#: The version, written once here; pyproject.toml reads it (``[tool.setuptools.dynamic]``).
__version__ = "0.1.0"

__all__ = ["__version__"]
