from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControlConfig(AppConfig):
    name = "mueve.control"
    label = "control"
    verbose_name = _("Centro de control")
