"""What the datasets app publishes through mueve.core.events: each event's name and payload, in one place."""

from mueve.datasets.models import Dataset

DATASET_SAVED = "datasets.dataset_saved"


def dataset_saved(*, dataset: Dataset) -> dict:
    return {"dataset": dataset.slug}
