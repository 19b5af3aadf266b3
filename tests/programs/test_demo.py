from datetime import date

import pytest
from django.test import Client

from mueve.demo import accounts, territory
from mueve.demo import programs as demo_programs
from mueve.programs import selectors, services
from mueve.programs.models import (
    ActivityLogEntry,
    IndicatorValue,
    MethodologyTemplate,
    Phase,
    Program,
    Result,
    Status,
    TemplatePhase,
)
from mueve.stakeholders.models import Level, Organization, Sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    territory.load()
    # accounts.load() attaches demo users to these organizations (the stakeholders demo creates them for real).
    for slug in ("mtt-smart-cities", "uoct", "wayra"):
        Organization.objects.get_or_create(
            slug=slug, defaults={"name": slug, "sector": Sector.GOVERNMENT, "level": Level.NATIONAL}
        )
    accounts.load()
    demo_programs.load()


def _counts():
    return [
        m.objects.count()
        for m in (MethodologyTemplate, TemplatePhase, Program, Phase, Result, IndicatorValue, ActivityLogEntry)
    ]


def test_demo_template_and_program_follow_the_seed(demo):
    template = selectors.template_get("innovacion-abierta-4c")
    doc = services.template_export(template=template)
    assert [c["key"] for c in doc["components"]] == ["codesign", "vision", "competition", "hub", "results"]
    assert [c["theme"] for c in doc["components"]] == [
        "Demostración y campeones",
        "Visión y socios",
        "Innovación abierta práctica",
        "Mecanismo de sostenibilidad",
        "Presentación de resultados",
    ]
    assert [p["name"] for p in doc["components"][2]["phases"]] == ["Vinculación", "Competencia", "Aceleración"]

    program = selectors.program_get_public("smart-city-gran-concepcion")
    assert program.jurisdiction.slug == "gran-concepcion"
    assert program.status == Status.DONE
    assert (program.start_date, program.end_date) == (date(2013, 11, 1), date(2014, 11, 20))
    assert program.managers.filter(username="gestora").exists()
    components = {c.key: c for c in program.components.all()}
    assert list(components) == ["codesign", "vision", "competition", "hub", "results"]
    assert components["codesign"].start_date == date(2014, 1, 2)
    assert [(p.start_date.month, p.end_date.month) for p in components["competition"].phases.all()] == [
        (5, 5),
        (6, 6),
        (7, 10),
    ]
    assert all(p.status == Status.DONE for c in components.values() for p in c.phases.all())
    assert components["results"].phases.all()[1].start_date == date(2014, 11, 18)
    assert any("Despierta" in r.title for r in components["competition"].results.all())
    series = {s.indicator.name: s for s in selectors.indicator_series(program)}
    assert [v for _d, v, _n in series["Equipos de MueveTT en carrera"].points] == [14, 7, 4]
    assert series["Participantes en la competencia MueveTT"].latest == 50
    assert program.activity.filter(verb="milestone").count() == len(demo_programs.MILESTONES)

    replica = Program.objects.get(slug="muevett-temuco")
    assert replica.template == program.template
    assert replica.status == Status.PLANNED
    assert replica.jurisdiction.slug == "temuco"


def test_demo_load_is_idempotent(demo):
    before = _counts()
    demo_programs.load()
    assert _counts() == before


def test_demo_pages_render(demo):
    client = Client()
    for url in ("/", "/programas/", "/programas/smart-city-gran-concepcion/", "/programas/muevett-temuco/"):
        response = client.get(url)
        assert response.status_code == 200, url
    html = client.get("/programas/smart-city-gran-concepcion/").content.decode()
    assert "Smart City Expo World Congress" in html
    assert "@demo.mueve.cl" not in html
