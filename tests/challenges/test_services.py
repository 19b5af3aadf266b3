import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mueve.accounts.models import Role
from mueve.challenges import services
from mueve.challenges.models import Challenge, Interview, Kind, Status, StatusChange
from mueve.core import events
from mueve.programs.models import ActivityLogEntry

QUESTION = "¿Cómo reducir el vandalismo en paraderos?"


def create(manager, program, organization, **overrides):
    data = {"actor": manager, "program": program, "title": QUESTION, "owner": organization, "kind": Kind.ABSTRACT}
    data.update(overrides)
    return services.challenge_create(**data)


def test_create_records_identified_status_and_history(manager, program, organization):
    challenge = create(manager, program, organization, description="Paraderos dañados cada semana.")
    assert challenge.status == Status.IDENTIFIED
    assert challenge.slug == "como-reducir-el-vandalismo-en-paraderos"
    assert challenge.created_by == manager
    changes = list(challenge.status_changes.all())
    assert [(c.from_status, c.to_status) for c in changes] == [("", Status.IDENTIFIED)]
    assert challenge.history.count() == 1


def test_title_without_opening_mark_gets_one(manager, program, organization):
    challenge = create(manager, program, organization, title="  Cómo mejorar la   experiencia de viaje? ")
    assert challenge.title == "¿Cómo mejorar la experiencia de viaje?"


@pytest.mark.parametrize(
    "title",
    ["Reducir el vandalismo en paraderos", "¿Cómo reducir el vandalismo en paraderos", "Vandalismo ¿qué hacer? hoy"],
)
def test_title_must_be_a_question(manager, program, organization, title):
    with pytest.raises(ValidationError) as exc:
        create(manager, program, organization, title=title)
    assert exc.value.message_dict["title"] == ["Formule el desafío como una pregunta, por ejemplo «¿Cómo reducir…?»"]
    assert not Challenge.objects.exists()


def test_title_too_short_or_empty(manager, program, organization):
    with pytest.raises(ValidationError) as exc:
        create(manager, program, organization, title="¿Cómo?")
    assert "demasiado corto" in exc.value.message_dict["title"][0]
    with pytest.raises(ValidationError) as exc:
        create(manager, program, organization, title="   ")
    assert "title" in exc.value.message_dict


def test_duplicate_title_in_same_program_refused_but_other_program_gets_own_slug(
    manager, program, other_program, organization
):
    create(manager, program, organization)
    with pytest.raises(ValidationError) as exc:
        create(manager, program, organization, title=QUESTION.upper().replace("¿", "¿"))
    assert "Ya existe" in exc.value.message_dict["title"][0]
    second = create(manager, other_program, organization)
    assert second.slug == "como-reducir-el-vandalismo-en-paraderos-2"
    assert Challenge.objects.count() == 2


def test_unknown_kind_and_foreign_component_refused(manager, program, other_program, organization):
    foreign = other_program.components.create(order=1, key="x", name="X")
    with pytest.raises(ValidationError) as exc:
        create(manager, program, organization, kind="medium", component=foreign)
    assert set(exc.value.message_dict) == {"kind", "component"}
    assert not Challenge.objects.exists()


def test_citizen_cannot_create(make_user, program, organization):
    with pytest.raises(PermissionDenied):
        create(make_user(Role.CITIZEN), program, organization)


def test_official_can_create(official, program, organization):
    assert create(official, program, organization).created_by == official


def test_allowed_path_to_solved_with_history(manager, program, organization):
    challenge = create(manager, program, organization)
    for to_status in (Status.VALIDATED, Status.PUBLISHED):
        challenge = services.challenge_transition(actor=manager, challenge=challenge, to_status=to_status)
    challenge = services.challenge_transition(
        actor=manager,
        challenge=challenge,
        to_status=Status.ADDRESSING,
        addressed_via="competition",
        note="Presentado en las clínicas.",
    )
    assert challenge.addressed_via == "competition"
    challenge = services.challenge_transition(actor=manager, challenge=challenge, to_status=Status.SOLVED)
    challenge.refresh_from_db()
    assert challenge.status == Status.SOLVED
    assert challenge.addressed_via == "competition"
    steps = [(c.from_status, c.to_status, c.note) for c in StatusChange.objects.filter(challenge=challenge)]
    assert steps == [
        ("", "identified", ""),
        ("identified", "validated", ""),
        ("validated", "published", ""),
        ("published", "addressing", "Presentado en las clínicas."),
        ("addressing", "solved", ""),
    ]


@pytest.mark.parametrize(
    "start, target",
    [
        (Status.IDENTIFIED, Status.PUBLISHED),
        (Status.IDENTIFIED, Status.SOLVED),
        (Status.VALIDATED, Status.ADDRESSING),
        (Status.PUBLISHED, Status.SOLVED),
        (Status.PUBLISHED, Status.IDENTIFIED),
        (Status.SOLVED, Status.PUBLISHED),
    ],
)
def test_refused_transitions_change_nothing(make_challenge, manager, start, target):
    challenge = make_challenge(status=start)
    before = StatusChange.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.challenge_transition(actor=manager, challenge=challenge, to_status=target, addressed_via="competition")
    assert "No se puede pasar" in exc.value.message_dict["to_status"][0]
    challenge.refresh_from_db()
    assert challenge.status == start
    assert StatusChange.objects.count() == before


def test_same_and_unknown_status_refused(make_challenge, manager):
    challenge = make_challenge()
    for target, text in ((Status.IDENTIFIED, "ya está"), ("closed", "desconocido")):
        with pytest.raises(ValidationError) as exc:
            services.challenge_transition(actor=manager, challenge=challenge, to_status=target)
        assert text in exc.value.message_dict["to_status"][0]


def test_addressing_requires_how(make_challenge, manager):
    challenge = make_challenge(status=Status.PUBLISHED)
    with pytest.raises(ValidationError) as exc:
        services.challenge_transition(actor=manager, challenge=challenge, to_status=Status.ADDRESSING)
    assert set(exc.value.message_dict) == {"addressed_via"}
    with pytest.raises(ValidationError) as exc:
        services.challenge_transition(
            actor=manager, challenge=challenge, to_status=Status.ADDRESSING, addressed_via="magic"
        )
    assert set(exc.value.message_dict) == {"addressed_via"}
    challenge.refresh_from_db()
    assert challenge.status == Status.PUBLISHED


def test_kind_mismatch_needs_an_explaining_note(make_challenge, manager):
    challenge = make_challenge(status=Status.PUBLISHED, kind=Kind.CONCRETE)
    with pytest.raises(ValidationError) as exc:
        services.challenge_transition(
            actor=manager,
            challenge=challenge,
            to_status=Status.ADDRESSING,
            addressed_via="competition",
        )
    assert "normalmente se aborda mediante un concepto" in exc.value.message_dict["note"][0]
    challenge = services.challenge_transition(
        actor=manager,
        challenge=challenge,
        to_status=Status.ADDRESSING,
        addressed_via="competition",
        note="Ningún concepto del taller lo cubría.",
    )
    assert challenge.status == Status.ADDRESSING


def test_back_to_published_clears_addressing_and_reopening_solved_keeps_it(make_challenge, manager):
    challenge = make_challenge(status=Status.ADDRESSING)
    challenge = services.challenge_transition(actor=manager, challenge=challenge, to_status=Status.PUBLISHED)
    assert challenge.addressed_via == ""
    solved = make_challenge("¿Cómo mejorar la experiencia de viaje en micro?", status=Status.SOLVED)
    reopened = services.challenge_transition(actor=manager, challenge=solved, to_status=Status.ADDRESSING)
    assert reopened.addressed_via == "competition"


def test_only_managers_transition(make_challenge, official):
    challenge = make_challenge()
    with pytest.raises(PermissionDenied):
        services.challenge_transition(actor=official, challenge=challenge, to_status=Status.VALIDATED)


def test_update_keeps_slug_and_checks_title(make_challenge, manager):
    challenge = make_challenge()
    make_challenge("¿Cómo fomentar el uso de la bicicleta?")
    updated = services.challenge_update(
        actor=manager, challenge=challenge, title="Cómo evitar el vandalismo en paraderos y señales?"
    )
    assert updated.title == "¿Cómo evitar el vandalismo en paraderos y señales?"
    assert updated.slug == "como-reducir-el-vandalismo-en-paraderos"
    with pytest.raises(ValidationError) as exc:
        services.challenge_update(actor=manager, challenge=challenge, title="¿Cómo fomentar el uso de la bicicleta?")
    assert "title" in exc.value.message_dict
    assert Challenge.objects.get(pk=challenge.pk).title == "¿Cómo evitar el vandalismo en paraderos y señales?"


def test_official_updates_only_own_institution(make_challenge, official, other_org):
    own = make_challenge()
    services.challenge_update(actor=official, challenge=own, description="Más contexto.")
    foreign = make_challenge("¿Cómo mejorar la experiencia de viaje?", owner=other_org)
    with pytest.raises(PermissionDenied):
        services.challenge_update(actor=official, challenge=foreign, description="No.")


def test_update_with_same_values_writes_nothing(make_challenge, manager):
    challenge = make_challenge()
    versions = challenge.history.count()
    services.challenge_update(actor=manager, challenge=challenge, title=challenge.title, kind=challenge.kind)
    assert challenge.history.count() == versions


def test_activity_log_never_quotes_internal_challenges(make_challenge, program):
    make_challenge("¿Cómo coordinar cortes de ruta con emergencias?")
    make_challenge(status=Status.PUBLISHED)
    messages = list(ActivityLogEntry.objects.filter(program=program).values_list("message", flat=True))
    assert not any("cortes de ruta" in m for m in messages)
    assert any("Desafío publicado: «¿Cómo reducir el vandalismo en paraderos?»" in m for m in messages)


def test_events_published_after_commit_with_ids_only(
    manager, program, organization, django_capture_on_commit_callbacks
):
    received = []

    def listener(kind, payload):
        received.append((kind, payload))

    events.subscribe(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            challenge = create(manager, program, organization)
            services.challenge_transition(actor=manager, challenge=challenge, to_status=Status.VALIDATED)
    finally:
        events._subscribers.remove(listener)
    kinds = [kind for kind, _payload in received]
    assert "challenge.created" in kinds and "challenge.status_changed" in kinds
    changed = next(p for k, p in received if k == "challenge.status_changed")
    assert changed == {
        "challenge_id": challenge.pk,
        "program_id": program.pk,
        "from_status": "identified",
        "to_status": "validated",
    }


def test_backdated_creation_and_transition(manager, program, organization):
    when = dt.datetime(2014, 1, 15, 10, 0, tzinfo=dt.UTC)
    challenge = services.challenge_create(
        actor=manager, program=program, title=QUESTION, owner=organization, kind=Kind.ABSTRACT, occurred_at=when
    )
    services.challenge_transition(
        actor=manager, challenge=challenge, to_status=Status.VALIDATED, occurred_at=when + dt.timedelta(days=3)
    )
    challenge.refresh_from_db()
    assert challenge.created_at == when
    dates = [c.created_at.date() for c in challenge.status_changes.all()]
    assert dates == [dt.date(2014, 1, 15), dt.date(2014, 1, 18)]


def test_interview_create_and_rules(manager, official, citizen, program, organization):
    codesign = program.components.get(key="codesign")
    interview = services.interview_create(
        actor=official,
        program=program,
        institution=organization,
        date=dt.date(2014, 1, 10),
        interviewee_name="Jefatura de la unidad",
        notes="Poca información en tiempo real.",
        component=codesign,
    )
    assert interview.interviewer == official
    with pytest.raises(PermissionDenied):
        services.interview_create(actor=citizen, program=program, institution=organization, date=dt.date(2014, 1, 10))
    with pytest.raises(ValidationError) as exc:
        services.interview_create(
            actor=manager, program=program, institution=organization, date=dt.date.today() + dt.timedelta(days=3)
        )
    assert "date" in exc.value.message_dict
    assert Interview.objects.count() == 1


def test_challenge_interviews_must_be_of_same_program(manager, program, other_program, organization):
    interview = services.interview_create(
        actor=manager, program=other_program, institution=organization, date=dt.date(2014, 1, 10)
    )
    with pytest.raises(ValidationError) as exc:
        create(manager, program, organization, interviews=[interview])
    assert "interviews" in exc.value.message_dict


def test_service_is_atomic(manager, program, organization):
    with pytest.raises(ValidationError):
        with transaction.atomic():
            create(manager, program, organization, kind="nope")
    assert not StatusChange.objects.exists()


def test_unpublishing_withdraws_the_public_activity_that_quoted_the_challenge(client, manager, program, organization):
    from mueve.programs.selectors import activity_for

    challenge = services.challenge_create(
        actor=manager,
        program=program,
        title="¿Cómo cuidar las ciclovías del centro?",
        owner=organization,
        kind=Kind.CONCRETE,
    )
    services.challenge_transition(actor=manager, challenge=challenge, to_status=Status.VALIDATED)
    services.challenge_transition(actor=manager, challenge=challenge, to_status=Status.PUBLISHED)
    assert any("ciclovías" in e.message for e in activity_for(program))
    services.challenge_transition(actor=manager, challenge=challenge, to_status=Status.VALIDATED, note="Revisar")
    assert not any("ciclovías" in e.message for e in activity_for(program))
    page = client.get(f"/programas/{program.slug}/actividad/").content.decode()
    assert "ciclovías" not in page
    api = client.get(f"/api/v1/programs/{program.slug}/activity").content.decode()
    assert "ciclovías" not in api
