from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext_lazy

from mueve.core.errors import error_dict


class ServiceErrorsMixin:
    """For forms that hand their data to a service: shows the service's errors next to their fields."""

    def add_service_errors(self, exc: ValidationError) -> None:
        for key, messages in error_dict(exc).items():
            self.add_error(key if key in self.fields else None, messages)


def install_length_rules() -> None:
    """Too long a text is refused with its limit and length, never cut without a word.

    Django renders a CharField's max_length as the input's `maxlength` attribute, and a browser cuts a longer pasted
    text to that many characters without saying so: a 1,000-character challenge title arrived as its first 255
    characters, lost its closing "?" and was refused for not being a question. So the attribute goes (in every
    form, the admin's included) and the server's refusal says "Máximo 255 caracteres (tiene 1000)." (the same
    words as mueve.core.text.too_long, which the services and the API use).
    """
    widget_attrs = forms.CharField.widget_attrs
    if getattr(widget_attrs, "without_maxlength", False):
        return

    def widget_attrs_without_maxlength(self, widget):
        attrs = widget_attrs(self, widget)
        attrs.pop("maxlength", None)
        return attrs

    widget_attrs_without_maxlength.without_maxlength = True
    forms.CharField.widget_attrs = widget_attrs_without_maxlength
    validators.MaxLengthValidator.message = ngettext_lazy(
        "Máximo %(limit_value)d carácter (tiene %(show_value)d).",
        "Máximo %(limit_value)d caracteres (tiene %(show_value)d).",
        "limit_value",
    )
