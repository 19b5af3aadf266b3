from django.core.exceptions import ValidationError

from mueve.core.errors import error_dict


class ServiceErrorsMixin:
    """For forms that hand their data to a service: shows the service's errors next to their fields."""

    def add_service_errors(self, exc: ValidationError) -> None:
        for key, messages in error_dict(exc).items():
            self.add_error(key if key in self.fields else None, messages)
