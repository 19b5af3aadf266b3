from typing import Any


class _Unset:
    """Marks a keyword argument the caller did not pass (so None can mean "clear this field")."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()
