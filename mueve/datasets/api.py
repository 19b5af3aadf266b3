"""The open-data catalogue as DCAT-shaped JSON."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from mueve.core.api.auth import public
from mueve.core.api.responses import MALFORMED, REFUSED, responses
from mueve.core.schemas import PageQuery, Text, choice, paginate
from mueve.datasets import selectors
from mueve.datasets.models import AccessRights

router = Router(tags=["datasets"])


class DatasetPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[dict]


@router.get("", response=responses(DatasetPage, REFUSED, MALFORMED), auth=public)
def list_datasets(
    request,
    access: choice(AccessRights.values) | None = None,
    publisher: Text | None = None,
    paging: Query[PageQuery] = None,
):
    """Inventory entries (dcat:Dataset): publisher, format, accrualPeriodicity, accessRights, license."""
    if access is not None and access not in AccessRights.values:
        # An unknown value would otherwise filter everything out: say it is wrong instead.
        raise ValidationError(
            {"access": [_("Acceso desconocido. Use: %(values)s.") % {"values": ", ".join(AccessRights.values)}]}
        )
    page = paginate(selectors.dataset_list(access=access, publisher=publisher), paging)
    page["items"] = [selectors.dataset_dcat(d) for d in page["items"]]
    return page
