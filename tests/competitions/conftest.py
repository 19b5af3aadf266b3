import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mueve.accounts.models import Role
from mueve.challenges import services as challenge_services
from mueve.challenges.models import Kind, Status
from mueve.competitions import services
from mueve.competitions.models import StageKind
from mueve.programs.models import Program
from mueve.territory.models import Jurisdiction

CRITERIA = [("Impacto", 40, 1, 5), ("Factibilidad", 30, 1, 5), ("Innovación", 30, 1, 5)]
ALL_SKILLS = [["design"], ["business"], ["technology"]]


def pdf(name="pitch.pdf", size=None) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n%%EOF\n"
    if size is not None:
        body = body + b"0" * (size - len(body))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)


@pytest.fixture
def program(db, manager) -> Program:
    jurisdiction = Jurisdiction.objects.create(
        slug="gc-test", name="Gran Concepción (prueba)", kind=Jurisdiction.Kind.METROPOLITAN_AREA
    )
    return Program.objects.create(
        name="Smart City de prueba",
        slug="smart-city-prueba",
        jurisdiction=jurisdiction,
        start_date=dt.date(2013, 11, 1),
        end_date=dt.date(2030, 12, 31),
    )


@pytest.fixture
def challenge(program, organization, manager):
    challenge = challenge_services.challenge_create(
        actor=manager,
        program=program,
        title="¿Cómo reducir el vandalismo en paraderos?",
        owner=organization,
        kind=Kind.ABSTRACT,
    )
    for step in (Status.VALIDATED, Status.PUBLISHED):
        challenge = challenge_services.challenge_transition(actor=manager, challenge=challenge, to_status=step)
    return challenge


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def competition(program, challenge, manager, now):
    """A published competition, registration open, hackathon and acceleration open around `now`."""
    competition = services.competition_create(
        actor=manager,
        program=program,
        name="MueveTT de prueba",
        challenges=[challenge],
        min_team_size=3,
        max_team_size=4,
    )
    day = dt.timedelta(days=1)
    stages = [
        (StageKind.CLINICS, now - 10 * day, now - 5 * day, None),
        (StageKind.HACKATHON, now - day, now + day, now + 2 * day),
        (StageKind.FIRST_SELECTION, now + day, now + 2 * day, None),
        (StageKind.ACCELERATION, now - day, now + 30 * day, None),
        (StageKind.FINAL, now + 31 * day, now + 32 * day, None),
    ]
    for kind, start, end, late in stages:
        services.stage_set(
            actor=manager, competition=competition, kind=kind, starts_at=start, ends_at=end, late_until=late
        )
    services.competition_set_flags(actor=manager, competition=competition, is_published=True, registration_open=True)
    return competition


@pytest.fixture
def make_team(competition, make_user, challenge):
    """make_team(name, skills=[[...], ...]) -> a team formed by invitation, one participant per skill list."""

    def make(name="Equipo", skills=ALL_SKILLS, **user_extra):
        people = []
        for s in skills:
            user = make_user(Role.PARTICIPANT, **user_extra)
            people.append(services.participant_register(actor=user, competition=competition, skills=s))
        team = services.team_create(actor=people[0].user, competition=competition, name=name, challenge=challenge)
        for p in people[1:]:
            invitation = services.team_invite(actor=people[0].user, team=team, participant=p)
            services.invitation_respond(actor=p.user, invitation=invitation, accept=True)
        return team

    return make


@pytest.fixture
def submit():
    def do(team, **extra):
        extra.setdefault("concept", "Un concepto.")
        extra.setdefault("deck", pdf())
        return services.submission_create(actor=team.captain, team=team, stage=StageKind.HACKATHON, **extra)

    return do


@pytest.fixture
def jurors(make_user):
    return [make_user(Role.JUROR) for _ in range(3)]


@pytest.fixture
def first_round(competition, manager, jurors):
    return services.round_create(
        actor=manager,
        competition=competition,
        stage=StageKind.FIRST_SELECTION,
        name="Primera selección",
        tie_break="Gana quien entregó primero.",
        criteria=CRITERIA,
        jurors=jurors,
        top_n=2,
        impact_m=1,
    )


def values(round_, *scores):
    return {c.pk: v for c, v in zip(round_.criteria.all(), scores, strict=True)}


# --- pairwise rounds (Crowd-BT) ---

QUALITY = {"Alfa": 4, "Beta": 3, "Gama": 2, "Delta": 1}


@pytest.fixture
def pairwise_round(competition, make_team, submit, manager, jurors):
    teams = {name: make_team(name) for name in QUALITY}
    for team in teams.values():
        submit(team)
    round_ = services.round_create(
        actor=manager,
        competition=competition,
        stage=StageKind.FIRST_SELECTION,
        name="Feria de proyectos",
        tie_break="Orden de entrega.",
        criteria=[],
        jurors=jurors,
        top_n=2,
        impact_m=0,
        mode="pairwise",
    )
    services.round_open(actor=manager, round=round_)
    round_.refresh_from_db()
    return round_, teams


def judge_honestly(round_, juror):
    """An honest juror: always prefers the team of higher quality."""
    assignment = services.pairwise_next(actor=juror, round=round_)
    assignment = services.pairwise_next(actor=juror, round=round_, advance=True)
    while assignment.current is not None and assignment.previous is not None:
        better = QUALITY[assignment.current.name] > QUALITY[assignment.previous.name]
        assignment = services.pairwise_vote(actor=juror, round=round_, current_wins=better)
    return assignment


from tests.mail import smtp_server  # noqa: E402, F401  (a real SMTP server for the e-mail tests)
