def load() -> None:
    """Filled in by the challenges app."""
