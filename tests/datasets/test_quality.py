"""Metadata quality (after data.europa.eu's MQA) as people see it: on the dataset page, per publisher on
/datos/calidad/, and on the programme's progress page."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from mueve.accounts.models import Role
from mueve.datasets import services
from mueve.datasets.models import Dataset
from mueve.datasets.selectors import quality
from tests.datasets.catalog_helpers import make_org, make_program, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)


def _percent(html: str) -> int:
    return int(re.search(r"Calidad de los metadatos: (\d+) %", html).group(1))


def test_adding_a_licence_raises_the_score_shown_on_the_dataset_page(client, manager, organization):
    dataset = services.dataset_save(
        actor=manager, title="Conteos", publisher=organization, description="Conteos por hora.", themes=["TRAN"]
    )
    client.force_login(manager)
    before_html = client.get(f"/datos/{dataset.slug}/").content.decode()
    before = quality.score(dataset)
    assert "Licencia (0 / 20)" in before_html  # listed under "Qué falta"
    services.dataset_save(actor=manager, dataset=dataset, license="CC-BY-4.0")
    dataset.refresh_from_db()
    after = quality.score(dataset)
    # Licence 20, licence from the vocabulary 10, rights 5.
    assert after.points - before.points == 35
    after_html = client.get(f"/datos/{dataset.slug}/").content.decode()
    assert _percent(after_html) > _percent(before_html)
    assert "Licencia (0 / 20)" not in after_html


def test_each_dimension_counts_what_the_metadata_says(manager, organization):
    area = make_program().jurisdiction
    bare = services.dataset_save(actor=manager, title="Sin nada", publisher=organization)
    full = published(
        manager,
        organization,
        "Completo",
        keyword="a, b",
        themes=["TRAN"],
        spatial_jurisdiction=area,
        temporal_start=dt.date(2014, 1, 1),
        contact_email="datos@example.cl",
        accrual_periodicity="monthly",
        data_modified=timezone.now() - dt.timedelta(days=3),
        formats=["CSV"],
    )
    bare_dims = {key: points for key, _label, points, _max in quality.score(bare).dimensions}
    full_dims = {key: (points, top) for key, _label, points, top in quality.score(full).dimensions}
    assert bare_dims["findability"] == 0 and bare_dims["accessibility"] == 0 and bare_dims["freshness"] == 0
    assert full_dims["findability"] == (100, 100)
    # An API link: access URL only (the platform does not keep the file).
    assert full_dims["accessibility"] == (50, 100)
    assert full_dims["interoperability"] == (110, 110)
    assert full_dims["reusability"] == (75, 75)
    assert full_dims["freshness"] == (30, 30)
    assert quality.score(full).maximum == 435


def test_freshness_is_measured_against_the_declared_frequency(manager, organization):
    now = timezone.now()
    dataset = published(manager, organization, "Diario", accrual_periodicity="daily", data_modified=now)
    fresh = quality.score(dataset, now=now)
    late = quality.score(dataset, now=now + dt.timedelta(days=3))
    very_late = quality.score(dataset, now=now + dt.timedelta(days=30))
    points = [next(c.points for c in s.checks if c.dimension == "freshness") for s in (fresh, late, very_late)]
    assert points == [30, 15, 0]
    assert quality.freshness_late(dataset, now + dt.timedelta(days=3))
    assert not quality.freshness_late(dataset, now)


def test_quality_page_ranks_publishers_and_lists_their_datasets(client, manager, organization):
    seremi = make_org("Seremi de Transportes")
    published(manager, organization, "Con todo", keyword="x", contact_email="d@example.cl", formats=["CSV"])
    published(manager, seremi, "Escueto")
    services.dataset_save(actor=manager, title="No publicado", publisher=seremi)
    html = client.get("/datos/calidad/").content.decode()
    assert html.index(organization.name) < html.index("Seremi de Transportes")
    assert "No publicado" not in html
    listing = client.get("/datos/calidad/", {"institucion": seremi.slug}).content.decode()
    assert "Escueto" in listing and "Con todo" not in listing and "No publicado" not in listing
    rows = quality.by_publisher()
    assert [r.datasets for r in rows] == [1, 1] and rows[0].percent > rows[1].percent


def test_the_programmes_progress_page_shows_its_data_quality(client, manager, organization):
    program = make_program("Smart City de prueba")
    published(manager, organization, "Conteos del programa", program=program, formats=["CSV"])
    services.dataset_save(actor=manager, title="Inventario del programa", publisher=organization, program=program)
    published(manager, organization, "De otro programa", program=make_program())
    html = client.get(f"/talleres/programa/{program.slug}/avance/").content.decode()
    assert "Datos abiertos del programa" in html
    assert "1 conjunto de datos publicado" in html and "1 del inventario aún no es público." in html
    expected = quality.for_program(program).overall.percent
    assert f"con una calidad de metadatos de <strong>{expected} %</strong>" in html
    assert Dataset.objects.filter(program=program).count() == 2
