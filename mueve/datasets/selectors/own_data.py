"""Reads for the platform's own data (datasets.own_data)."""

from uuid import UUID

from django.db.models import QuerySet

from mueve.datasets.models import Dataset, Distribution


def own_datasets() -> QuerySet[Dataset]:
    """The datasets the platform generates about itself, by generator key."""
    return Dataset.objects.exclude(generator="").select_related("publisher").order_by("generator")


def generated_file(uuid: UUID) -> Distribution | None:
    """A file distribution of an own dataset (the generated CSV, GeoJSON, JSON or GTFS zip)."""
    return (
        Distribution.objects.select_related("dataset")
        .filter(uuid=uuid, kind=Distribution.Kind.FILE)
        .exclude(dataset__generator="")
        .first()
    )
