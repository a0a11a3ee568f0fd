"""Self-contained HTML and PDF reports, and the sections the dashboard shares with them."""
