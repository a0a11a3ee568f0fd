"""The application layer: one typed function per thing a user asks powerbalance to do.

The command line, the dashboard (its pages and JSON API) and the report call
these use cases and only format what they return; none of them reaches
deeper into the library. Each module serves one family of actions:

- :mod:`powerbalance.app.assess`: the assessment of the triangle (``assess``).
- :mod:`powerbalance.app.overview`: what the dashboard's pages and the report
  show (ties, triangle, dependence, evidence rows, events, datasets).
- :mod:`powerbalance.app.evidence`: listing, querying and importing evidence.
- :mod:`powerbalance.app.scenarios`: running, storing, showing, comparing and
  replaying scenarios (one path for the command line and the dashboard).
- :mod:`powerbalance.app.bargaining`: bargaining forecasts and their models.
- :mod:`powerbalance.app.events`: aggregating event files.
- :mod:`powerbalance.app.theory`: triangle, balance and dyad-year frames.

Importing this package imports none of them, so the command line's
``--help`` stays fast.
"""
