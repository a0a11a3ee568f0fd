"""Theory: structural balance, the strategic triangle, balance dynamics, bargaining."""
