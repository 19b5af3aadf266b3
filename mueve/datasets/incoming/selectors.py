"""Reads for the incoming-data page: only stewards see it (rejected files and their errors are never public)."""

from django.db.models import Prefetch

from mueve.datasets.models import IncomingSource, IncomingVersion

HISTORY = 20  # versions listed per source on the page


def sources_of(dataset) -> list[IncomingSource]:
    sources = list(
        IncomingSource.objects.filter(dataset=dataset)
        .select_related("distribution")
        .prefetch_related(
            Prefetch("versions", queryset=IncomingVersion.objects.select_related("uploaded_by").order_by("-number"))
        )
    )
    for source in sources:
        versions = list(source.versions.all())
        source.history = versions[:HISTORY]
        source.older = max(len(versions) - HISTORY, 0)
        source.current = next((v for v in versions if v.accepted), None)
    return sources


def version_of(dataset, pk: int) -> IncomingVersion | None:
    return (
        IncomingVersion.objects.select_related("source", "source__distribution", "uploaded_by")
        .filter(source__dataset=dataset, pk=pk)
        .first()
    )
