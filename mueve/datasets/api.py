"""The open-data catalogue as DCAT-shaped JSON."""

from ninja import Query, Router, Schema

from mueve.core.api.auth import public
from mueve.core.schemas import PageQuery, Text, paginate
from mueve.datasets import selectors

router = Router(tags=["datasets"])


class DatasetPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[dict]


@router.get("", response=DatasetPage, auth=public)
def list_datasets(request, access: Text | None = None, publisher: Text | None = None, paging: Query[PageQuery] = None):
    """Inventory entries (dcat:Dataset): publisher, format, accrualPeriodicity, accessRights, license."""
    page = paginate(selectors.dataset_list(access=access, publisher=publisher), paging)
    page["items"] = [selectors.dataset_dcat(d) for d in page["items"]]
    return page
