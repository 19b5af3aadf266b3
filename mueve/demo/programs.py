def load() -> None:
    """Filled in by the programs app."""
