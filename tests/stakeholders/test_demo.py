"""The Gran Concepción demo: the organizations the other apps rely on, and the program's stakeholder map."""

import pytest

from mueve.demo import stakeholders as demo
from mueve.programs.models import ActivityLogEntry
from mueve.stakeholders import selectors
from mueve.stakeholders.models import (
    Champion,
    Commitment,
    Engagement,
    Membership,
    Organization,
    Person,
    ProgramStakeholder,
)
from tests.stakeholders.conftest import _program

REQUIRED_SLUGS = [
    "mtt",
    "mtt-smart-cities",
    "uoct",
    "seremitt",
    "wayra",
    "pais-digital",
    "corfo",
    "innova-biobio",
    "gore-biobio",
    "municipalidad-concepcion",
    "municipalidad-talcahuano",
    "municipalidad-san-pedro-de-la-paz",
    "municipalidad-chiguayante",
    "modernizacion-gobierno-digital",
    "universidad-de-concepcion",
    "sectra",
    "minvu",
]


def _counts():
    return [
        m.objects.count()
        for m in (Organization, Person, Membership, ProgramStakeholder, Engagement, Commitment, Champion)
    ] + [ActivityLogEntry.objects.count()]


def test_load_organizations_creates_the_contract_slugs_and_is_idempotent(db):
    demo.load_organizations()
    slugs = set(Organization.objects.values_list("slug", flat=True))
    assert set(REQUIRED_SLUGS) <= slugs
    assert Organization.objects.get(slug="mtt-smart-cities").parent.slug == "mtt"
    assert Organization.objects.get(slug="wayra").is_international
    assert Organization.objects.get(slug="citilab").sector == "international"
    assert Organization.objects.get(slug="municipalidad-chiguayante").level == "municipal"
    assert Organization.objects.get(slug="pais-digital").sector == "civil_society"
    assert all(p.full_name.startswith("Persona Demo") for p in Person.objects.all())
    before = _counts()
    history = Organization.history.count()
    demo.load_organizations()
    assert _counts() == before
    assert Organization.history.count() == history


@pytest.fixture
def gran_concepcion(jurisdiction):
    return _program(jurisdiction, slug=demo.PROGRAM_SLUG, name="Smart City Gran Concepción")


def test_load_program_links_builds_the_map_and_is_idempotent(gran_concepcion):
    demo.load_organizations()
    demo.load_program_links()
    program = gran_concepcion
    mtt = ProgramStakeholder.objects.get(program=program, organization__slug="mtt")
    assert [r.role for r in mtt.roles.all()] == ["main_counterpart"]
    pais = ProgramStakeholder.objects.get(program=program, organization__slug="pais-digital")
    assert "main_non_government_partner" in {r.role for r in pais.roles.all()}
    wayra = ProgramStakeholder.objects.get(program=program, organization__slug="wayra")
    assert "jury" in {r.role for r in wayra.roles.all()}
    gore = ProgramStakeholder.objects.get(program=program, organization__slug="gore-biobio")
    assert "host" in {r.role for r in gore.roles.all()}
    assert Commitment.objects.get(program=program, organization__slug="gore-biobio").kind == "venue"
    assert Commitment.objects.filter(program=program, organization__slug="uoct", kind="data").exists()
    champions = Champion.objects.filter(program=program)
    assert {c.organization.slug for c in champions.filter(kind="champion")} == {"uoct"}
    assert {c.component.key for c in champions.filter(kind="champion")} == {"codesign"}
    assert {c.component.key for c in champions.filter(kind="change_agent")} == {"vision"}
    results = Engagement.objects.filter(stakeholder__program=program, component__key="results")
    assert {"corfo", "mtt", "gore-santiago"} <= {e.stakeholder.organization.slug for e in results}

    matrix = selectors.stakeholder_matrix(program=program)
    rows = {row.sector: row for row in matrix.rows}
    assert rows["international"].cells[3].count >= 4  # the Table 8 hubs in component 4
    quadrants = {p.quadrant for p in selectors.interest_influence_points(program=program)}
    assert quadrants == {"manage_closely", "keep_satisfied", "keep_informed", "monitor"}

    # The log is back-dated to the work itself, not to the day the demo was loaded.
    first = ActivityLogEntry.objects.filter(program=program).order_by("created_at").first()
    assert first.created_at.year == 2013

    before = _counts()
    demo.load_organizations()
    demo.load_program_links()
    assert _counts() == before
