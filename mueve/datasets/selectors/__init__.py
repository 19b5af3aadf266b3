from mueve.datasets.selectors.inventory import dataset_dcat, dataset_list

__all__ = ["dataset_dcat", "dataset_list"]
