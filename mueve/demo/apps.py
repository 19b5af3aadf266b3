from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "mueve.demo"
    label = "demo"
    verbose_name = "Demo"
