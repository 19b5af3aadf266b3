from django.db.models import QuerySet

from mueve.datasets.models import Dataset


def dataset_list(*, access: str | None = None, publisher: str | None = None) -> QuerySet[Dataset]:
    qs = Dataset.objects.select_related("publisher", "program")
    if access:
        qs = qs.filter(access_rights=access)
    if publisher:
        qs = qs.filter(publisher__slug=publisher)
    return qs.order_by("title")


def dataset_dcat(dataset: Dataset) -> dict:
    """A DCAT-AP-shaped dict (JSON-LD keys) for the API."""
    return {
        "@type": "dcat:Dataset",
        "identifier": dataset.slug,
        "title": dataset.title,
        "description": dataset.description,
        "publisher": {"name": dataset.publisher.name, "identifier": dataset.publisher.slug},
        "keyword": [k.strip() for k in dataset.keyword.split(",") if k.strip()],
        "format": dataset.format,
        "accrualPeriodicity": dataset.accrual_periodicity,
        "accessRights": dataset.access_rights,
        "license": dataset.license,
        "landingPage": dataset.landing_page,
    }
