"""Screening commands (registered once the matcher lands)."""


def register(sub) -> None:
    return None
