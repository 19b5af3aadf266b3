"""Who may read a dataset's files and datastore rows through the CKAN API and its download links.

Metadata of every published dataset is public; its data is public only when its access rights say so. Until the
data-sharing agreements decide (mueve.datasets.access.check, with the key the request presents in its
`Authorization` header), everything that is not public is refused to everyone: fail closed. This function is the
one place to replace then; it receives the whole request so that the key travels with it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from mueve.datasets.models import AccessRights, Dataset


@dataclass(frozen=True)
class Refusal:
    status: int
    reason: str


def data_refusal(dataset: Dataset, request) -> Refusal | None:
    """None when `request` may read `dataset`'s data; otherwise why not."""
    if dataset.access_rights == AccessRights.PUBLIC:
        return None
    if dataset.access_rights == AccessRights.NON_PUBLIC:
        return Refusal(403, _("Los datos de este conjunto no son públicos."))
    return Refusal(
        403,
        _(
            "Los datos de este conjunto tienen acceso %(access)s: se entregan solo con una clave autorizada por un "
            "convenio de datos vigente, y esta solicitud no la tiene."
        )
        % {"access": AccessRights(dataset.access_rights).label.lower()},
    )
