"""The back office saves organizations directly: it must not be a way around the services' checks."""

import pytest
from django.urls import reverse

from mueve.accounts.models import Role
from mueve.stakeholders.models import Organization


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(Role.ADMIN))
    return client


def _form_data(org: Organization, **changes) -> dict:
    data = {
        "name": org.name,
        "acronym": org.acronym,
        "slug": org.slug,
        "sector": org.sector,
        "level": org.level,
        "parent": org.parent_id or "",
        "jurisdiction": org.jurisdiction_id or "",
        "description": org.description,
        "website": org.website,
        # the read-only units inline
        "units-TOTAL_FORMS": "0",
        "units-INITIAL_FORMS": "0",
        "units-MIN_NUM_FORMS": "0",
        "units-MAX_NUM_FORMS": "0",
    }
    data.update(changes)
    return data


def _units_management(org: Organization) -> dict:
    count = str(org.units.count())
    return {"units-TOTAL_FORMS": count, "units-INITIAL_FORMS": count}


def test_admin_refuses_a_parent_that_makes_a_loop(admin_client, make_org, mtt):
    unit = make_org("Unidad de Ciudades Inteligentes", parent=mtt)
    url = reverse("admin:stakeholders_organization_change", args=[mtt.pk])
    data = _form_data(mtt, parent=unit.pk, **_units_management(mtt))
    for key, value in {"units-0-id": unit.pk, "units-0-parent": mtt.pk}.items():
        data[key] = value
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    mtt.refresh_from_db()
    assert mtt.parent is None


def test_admin_keeps_the_slug_and_refuses_accent_twins(admin_client, make_org, mtt):
    other = make_org("Municipalidad de Concepción", level="municipal")
    url = reverse("admin:stakeholders_organization_change", args=[other.pk])
    page = admin_client.get(url)
    assert "slug" not in page.context["adminform"].form.fields
    response = admin_client.post(url, _form_data(other, slug="otro-slug", description="Cambiada"))
    assert response.status_code == 302
    other.refresh_from_db()
    assert (other.slug, other.description) == ("municipalidad-de-concepcion", "Cambiada")

    response = admin_client.post(url, _form_data(other, name="MINISTERIO DE TRANSPORTES Y TELECOMUNICACIONES"))
    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors


def test_admin_add_takes_a_slug_but_not_a_reserved_one(admin_client, db):
    url = reverse("admin:stakeholders_organization_add")
    before = Organization.objects.count()
    data = _form_data(Organization(name="Importadora", sector="private", level="national"), slug="importar")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert Organization.objects.count() == before
    response = admin_client.post(url, {**data, "slug": "importadora"})
    assert response.status_code == 302
    assert Organization.objects.get(name="Importadora").slug == "importadora"
