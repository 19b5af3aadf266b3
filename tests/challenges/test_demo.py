import pytest

from mueve.challenges.models import AddressedVia, Challenge, Interview, Kind, Status, StatusChange
from mueve.challenges.selectors import addressed_by, challenge_public_list
from mueve.demo import accounts, challenges, programs, stakeholders, territory
from mueve.demo.loader import load_demo
from mueve.stakeholders.models import Level, Organization, Sector
from mueve.stakeholders.services import organization_create


@pytest.fixture
def demo_base(db):
    """What the demo loader runs before challenges.load()."""
    territory.load()
    stakeholders.load_organizations()
    # The accounts need these three (made by the stakeholders demo; created here if it has not yet).
    for slug in ("mtt-smart-cities", "uoct", "wayra"):
        if not Organization.objects.filter(slug=slug).exists():
            organization_create(name=f"Demo {slug}", slug=slug, sector=Sector.GOVERNMENT, level=Level.NATIONAL)
    accounts.load()
    programs.load()
    stakeholders.load_program_links()


def test_demo_loads_interviews_and_challenges_idempotently(demo_base):
    challenges.load()
    counts = (Interview.objects.count(), Challenge.objects.count(), StatusChange.objects.count())
    challenges.load()
    assert (Interview.objects.count(), Challenge.objects.count(), StatusChange.objects.count()) == counts
    assert Interview.objects.count() >= 10
    assert Challenge.objects.filter(kind=Kind.ABSTRACT, component__key="competition").count() == 6


def test_demo_content_follows_the_report(demo_base):
    challenges.load()
    taken_up = Challenge.objects.filter(status__in=[Status.ADDRESSING, Status.SOLVED])
    assert {c.addressed_via for c in taken_up.filter(kind=Kind.CONCRETE)} == {AddressedVia.CONCEPT}
    assert Challenge.objects.get(title__icontains="transporte público y de tránsito").status == Status.SOLVED
    vandalism = Challenge.objects.get(title__icontains="vandalismo")
    assert vandalism.status == Status.ADDRESSING and vandalism.addressed_via == AddressedVia.COMPETITION
    assert all(c.title.startswith("¿") and c.title.endswith("?") for c in Challenge.objects.all())
    assert {sc.created_at.year for sc in StatusChange.objects.all()} == {2014}
    assert all(i.interviewee_name.startswith("Jefatura") for i in Interview.objects.all())
    assert {i.date.strftime("%Y-%m") for i in Interview.objects.all()} == {"2014-01"}
    public = set(challenge_public_list())
    internal = set(Challenge.objects.filter(status__in=[Status.IDENTIFIED, Status.VALIDATED]))
    assert internal and not (public & internal)


def test_demo_links_the_concept_or_competition_that_addresses_each_challenge(db):
    load_demo()
    by = {c.title: [a.name for a in addressed_by(c)] for c in Challenge.objects.all()}
    concrete = {
        c.title for c in Challenge.objects.filter(kind=Kind.CONCRETE, status__in=[Status.ADDRESSING, Status.SOLVED])
    }
    assert {name for title in concrete for name in by[title]} == {
        "Ciudadano te Informa",
        "iTransConcepción",
        "Cuida tu Luz",
        "Cuido mi Barrio",
    }
    solved = Challenge.objects.get(status=Status.SOLVED)
    assert by[solved.title] == ["iTransConcepción"]
    box3 = Challenge.objects.filter(kind=Kind.ABSTRACT, component__key="competition")
    assert all(by[c.title] == ["MueveTT 2014"] for c in box3)
    assert all(by[c.title] == [] for c in Challenge.objects.filter(status__in=[Status.IDENTIFIED, Status.VALIDATED]))
