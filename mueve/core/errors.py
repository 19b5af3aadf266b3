from django.core.exceptions import ValidationError


def error_dict(exc: ValidationError) -> dict[str, list[str]]:
    """A ValidationError as {field: [messages]}; errors not tied to a field go under "__all__"."""
    if hasattr(exc, "error_dict"):
        return {key: [str(m) for e in errors for m in e.messages] for key, errors in exc.error_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}
