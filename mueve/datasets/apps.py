from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _search_index(sender, using, **kwargs):
    # A migration that rebuilt the dataset table on SQLite dropped its triggers: put them back (fulltext).
    from django.db import connections

    from mueve.datasets import fulltext

    connection = connections[using]
    if "datasets_dataset" in connection.introspection.table_names():
        fulltext.install(connection)


class DatasetsConfig(AppConfig):
    name = "mueve.datasets"
    label = "datasets"
    verbose_name = _("Datos abiertos")

    def ready(self):
        post_migrate.connect(_search_index, sender=self, dispatch_uid="datasets-search-index")
