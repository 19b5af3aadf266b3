"""Who may download a dataset's files and read its datastore rows, on every surface: the catalog's pages, the CKAN
API and its download links, and the platform's own data files.

Unpublished datasets are for those who manage them; for a published one the data-sharing agreements decide
(datasets.access.for_request: the request's API key stands for its application's organization, a signed-in person
for theirs), and every access to data that is not public is logged for the dataset's steward."""

from django.utils.translation import gettext as _

from mueve.datasets import access
from mueve.datasets.models import Dataset


def download_decision(
    request, dataset: Dataset, *, surface: str = "download", distribution=None, record: bool = True
) -> access.Decision:
    user = getattr(request, "user", None)
    if dataset.status != Dataset.Status.PUBLISHED and not access.manages(user, dataset):
        return access.Decision(False, 403, _("Los datos de este conjunto no están publicados."))
    return access.for_request(request, dataset, surface=surface, distribution=distribution, record=record)
