from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mueve.core"
    label = "core"
    verbose_name = "Mueve"

    def ready(self) -> None:
        from mueve.core.forms import install_length_rules

        install_length_rules()
