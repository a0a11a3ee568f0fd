"""The local web dashboard (FastAPI + Jinja2 + Plotly served from the plotly package)."""
