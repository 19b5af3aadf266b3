"""Who may download a dataset's files and read its datastore rows on the catalog's pages.

Until the data-sharing agreements decide it (mueve.datasets.access.check, being built), the rule fails closed:
a published dataset with public access is served to everyone; every other dataset's files and rows are refused to
everyone, with a Spanish reason. This one function is what the agreements work replaces."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from mueve.datasets.models import AccessRights, Dataset


@dataclass(frozen=True)
class Decision:
    allowed: bool
    status: int = 200
    reason: str = ""


def download_decision(dataset: Dataset, *, user=None) -> Decision:
    if dataset.status == Dataset.Status.PUBLISHED and dataset.access_rights == AccessRights.PUBLIC:
        return Decision(True)
    if dataset.access_rights == AccessRights.NON_PUBLIC or dataset.status != Dataset.Status.PUBLISHED:
        return Decision(False, 403, _("Los datos de este conjunto no son públicos."))
    return Decision(
        False,
        403,
        _(
            "El acceso a estos datos es %(access)s: se descargan con una clave de la API de una institución "
            "autorizada, que aún no puede presentarse en esta página."
        )
        % {"access": dataset.get_access_rights_display().lower()},
    )
