"""powerbalance: measure, model and simulate the balance of power among great powers.

Importing the package is cheap: it loads no data, opens no store and imports
no plotting, web or Spark code. Start from the layers:

- :mod:`powerbalance.evidence`: actors, sources, claims, events, stances; the
  bundled corpus; the embedded DuckDB store.
- :mod:`powerbalance.indicators`: pure functions of evidence or data.
- :mod:`powerbalance.relations`: signed, weighted dyads derived by documented rules.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("powerbalance")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
