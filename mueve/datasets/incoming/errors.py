"""The one exception every check raises, and the shape of an error as the steward reads it."""

from django.conf import settings

# Errors kept and shown per version; the rest are only counted.
MAX_ERRORS = 100


def error(message: str, *, row: int | None = None, column: str = "") -> dict:
    return {"row": row, "column": column, "message": str(message)}


class Refused(Exception):
    """The file cannot be published: `errors` (dicts from `error`) say why, `count` how many there were in all."""

    def __init__(self, errors: list[dict], *, count: int | None = None, status: int = 422):
        self.errors = errors[:MAX_ERRORS]
        self.count = max(count or 0, len(errors))
        self.status = status
        self.facts: dict[str, str] = {}  # format, encoding, delimiter: what the checks learnt before refusing
        super().__init__("; ".join(e["message"] for e in self.errors[:3]))

    @classmethod
    def one(cls, message: str, *, status: int = 422, row: int | None = None, column: str = "") -> "Refused":
        return cls([error(message, row=row, column=column)], status=status)


def max_upload_bytes() -> int:
    return settings.MUEVE_CATALOG_MAX_UPLOAD_MB * 1024 * 1024


def max_unzipped_bytes() -> int:
    return settings.MUEVE_CATALOG_MAX_UNZIPPED_MB * 1024 * 1024
