from mueve.datasets.services.inventory import dataset_create, search_text

__all__ = ["dataset_create", "search_text"]
