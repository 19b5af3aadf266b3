from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mueve.core"
    label = "core"
    verbose_name = "Mueve"
