import pytest

from mueve.challenges.models import Challenge, Interview, Kind, Status, StatusChange
from mueve.challenges.selectors import challenge_public_list
from mueve.demo import accounts, challenges, programs, stakeholders, territory
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
    by = {c.addressed_by for c in Challenge.objects.filter(kind=Kind.CONCRETE)}
    assert {"Ciudadano te Informa", "iTransConcepción", "Cuida tu Luz", "Cuido mi Barrio"} <= by
    assert Challenge.objects.get(addressed_by="iTransConcepción").status == Status.SOLVED
    vandalism = Challenge.objects.get(title__icontains="vandalismo")
    assert vandalism.status == Status.ADDRESSING and vandalism.addressed_by == "MueveTT 2014"
    assert all(c.title.startswith("¿") and c.title.endswith("?") for c in Challenge.objects.all())
    assert {sc.created_at.year for sc in StatusChange.objects.all()} == {2014}
    assert all(i.interviewee_name.startswith("Jefatura") for i in Interview.objects.all())
    assert {i.date.strftime("%Y-%m") for i in Interview.objects.all()} == {"2014-01"}
    public = set(challenge_public_list())
    internal = set(Challenge.objects.filter(status__in=[Status.IDENTIFIED, Status.VALIDATED]))
    assert internal and not (public & internal)
