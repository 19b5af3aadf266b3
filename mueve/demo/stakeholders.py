def load_organizations() -> None:
    pass


def load_program_links() -> None:
    pass
