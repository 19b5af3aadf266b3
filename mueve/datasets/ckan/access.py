"""Who may read a dataset's files and datastore rows through the CKAN API and its download links: the catalog's one
rule (datasets.gate, which asks the data-sharing agreements with the key the request presents), in the shape the
CKAN views raise."""

from dataclasses import dataclass

from mueve.datasets import gate
from mueve.datasets.models import Dataset


@dataclass(frozen=True)
class Refusal:
    status: int
    reason: str


def data_refusal(dataset: Dataset, request, *, surface: str = "ckan", distribution=None) -> Refusal | None:
    """None when `request` may read `dataset`'s data; otherwise why not (the access is logged either way)."""
    decision = gate.download_decision(request, dataset, surface=surface, distribution=distribution)
    return None if decision.allowed else Refusal(decision.status, decision.reason)
