from mueve.datasets.models.agreements import AccessLogEntry, Agreement, DataPolicy
from mueve.datasets.models.catalog import Dataset, Distribution
from mueve.datasets.models.harvest import HarvestSource
from mueve.datasets.models.incoming import IncomingSource, IncomingVersion
from mueve.datasets.models.vocab import AccessRights, Periodicity, Theme

__all__ = [
    "AccessLogEntry",
    "AccessRights",
    "Agreement",
    "DataPolicy",
    "Dataset",
    "Distribution",
    "HarvestSource",
    "IncomingSource",
    "IncomingVersion",
    "Periodicity",
    "Theme",
]
