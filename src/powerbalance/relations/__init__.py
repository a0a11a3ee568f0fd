"""Relations: signed, weighted dyads per channel and period, derived by documented rules."""
