import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mueve.accounts.models import Role
from mueve.datasets import selectors, services
from mueve.datasets.models import Dataset

pytestmark = pytest.mark.django_db


def test_inventory_entry_is_listed_for_stewards_not_the_public_with_dcat_fields(client, make_user, organization):
    manager = make_user(Role.MANAGER)
    dataset = services.dataset_create(
        actor=manager,
        title="Conteos vehiculares",
        publisher=organization,
        description="Conteos por intersección.",
        format="CSV",
        accrual_periodicity="daily",
        access_rights="public",
        license="CC BY 4.0",
        keyword="tránsito, sensores",
    )
    again = services.dataset_create(actor=manager, title="Conteos vehiculares", publisher=organization, format="JSON")
    assert again.pk == dataset.pk and Dataset.objects.count() == 1
    # An inventory entry is not public until its steward publishes it (tests/datasets/test_catalog_pages.py).
    assert "Conteos vehiculares" not in client.get("/datos/").content.decode()
    client.force_login(manager)
    page = client.get("/datos/inventario/").content.decode()
    assert "Conteos vehiculares" in page and organization.name in page
    dcat = selectors.dataset_dcat(dataset)
    assert dcat["accessRights"] == "public" and dcat["keyword"] == ["tránsito", "sensores"]


def test_bad_inventory_entry_names_fields_and_needs_a_manager(make_user, organization):
    with pytest.raises(PermissionDenied):
        services.dataset_create(actor=make_user(Role.CITIZEN), title="X", publisher=organization)
    with pytest.raises(ValidationError) as exc:
        services.dataset_create(
            actor=make_user(Role.MANAGER), title="", publisher=None, accrual_periodicity="hourly", access_rights="x"
        )
    assert set(exc.value.message_dict) == {"title", "publisher", "accrual_periodicity", "access_rights"}
    assert not Dataset.objects.exists()
