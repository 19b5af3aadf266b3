from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mueve.api"
    label = "api"
    verbose_name = "API"
