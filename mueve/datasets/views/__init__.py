from mueve.datasets.views.inventory import dataset_list

__all__ = ["dataset_list"]
