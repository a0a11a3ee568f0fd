"""State-year and dyad-year frames and the add_* verbs that left-join one source each."""
