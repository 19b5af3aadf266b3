from mueve.datasets.views.incoming import incoming_page, incoming_version, incoming_version_file
from mueve.datasets.views.inventory import dataset_list

__all__ = ["dataset_list", "incoming_page", "incoming_version", "incoming_version_file"]
