from django.core.exceptions import ValidationError


def error_dict(exc: ValidationError) -> dict[str, list[str]]:
    """A ValidationError as {field: [messages]}; errors not tied to a field go under "__all__"."""
    if hasattr(exc, "error_dict"):
        return {key: [str(m) for e in errors for m in e.messages] for key, errors in exc.error_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def merge_errors(errors: dict[str, list[str]], exc: ValidationError) -> None:
    """Adds the messages of `exc` to `errors`, so one call can report every bad field at once."""
    for key, messages in error_dict(exc).items():
        errors.setdefault(key, []).extend(messages)
