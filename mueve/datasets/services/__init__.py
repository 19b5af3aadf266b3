from mueve.datasets.services.catalog import dataset_publish, dataset_save, dataset_withdraw, distribution_add_link
from mueve.datasets.services.inventory import dataset_create, search_text

__all__ = [
    "dataset_create",
    "dataset_publish",
    "dataset_save",
    "dataset_withdraw",
    "distribution_add_link",
    "search_text",
]
