"""Competition services: the whole flow, and bad input that changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mueve.accounts.models import Role
from mueve.competitions import selectors, services
from mueve.competitions.models import (
    Conflict,
    ConflictReason,
    MilestoneStatus,
    Participant,
    RoundStatus,
    Score,
    SelectionKind,
    StageKind,
    Submission,
)
from mueve.stakeholders.models import Level, Organization, Sector
from tests.competitions.conftest import CRITERIA, pdf, values

pytestmark = pytest.mark.django_db


def messages(exc: ValidationError) -> str:
    return " ".join(m for ms in exc.message_dict.values() for m in ms)


# --- registration and teams -------------------------------------------------------------------


def test_only_entrepreneurs_register_and_only_while_open(competition, make_user, manager):
    # Entrepreneurs: participant accounts and citizens' own accounts (a sign-up). Officials judge and help instead.
    for role in (Role.OFFICIAL, Role.JUROR, Role.MENTOR):
        with pytest.raises(PermissionDenied):
            services.participant_register(actor=make_user(role), competition=competition, skills=["design"])
    assert not Participant.objects.exists()
    services.participant_register(actor=make_user(Role.CITIZEN), competition=competition, skills=["design"])
    Participant.objects.all().delete()
    services.competition_set_flags(actor=manager, competition=competition, registration_open=False)
    with pytest.raises(ValidationError) as exc:
        services.participant_register(actor=make_user(Role.PARTICIPANT), competition=competition, skills=["design"])
    assert "no están abiertas" in messages(exc.value)
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    ("skills", "other", "field"),
    [([], "", "skills"), (["magic"], "", "skills"), (["other"], "", "other_skill")],
)
def test_registration_refuses_bad_skills(competition, make_user, skills, other, field):
    with pytest.raises(ValidationError) as exc:
        services.participant_register(
            actor=make_user(Role.PARTICIPANT), competition=competition, skills=skills, other_skill=other
        )
    assert field in exc.value.message_dict
    assert not Participant.objects.exists()


def test_team_by_invitation(make_team, competition):
    team = make_team("Despierta")
    assert team.members.count() == 3
    assert selectors.team_skill_matrix(competition, team) == [
        ("Diseño", True),
        ("Negocios", True),
        ("Tecnología", True),
    ]


def test_a_person_accepts_one_team_and_other_invitations_lapse(competition, make_user, make_team):
    a = make_team("A", skills=[["design"]])
    b = make_team("B", skills=[["business"]])
    person = services.participant_register(
        actor=make_user(Role.PARTICIPANT), competition=competition, skills=["technology"]
    )
    inv_a = services.team_invite(actor=a.captain, team=a, participant=person)
    inv_b = services.team_invite(actor=b.captain, team=b, participant=person)
    services.invitation_respond(actor=person.user, invitation=inv_a, accept=True)
    inv_b.refresh_from_db()
    assert inv_b.status == "declined"
    with pytest.raises(ValidationError):
        services.invitation_respond(actor=person.user, invitation=inv_b, accept=True)
    person.refresh_from_db()
    assert person.team == a


def test_nobody_else_accepts_an_invitation(competition, make_user, make_team):
    team = make_team("A", skills=[["design"]])
    person = services.participant_register(
        actor=make_user(Role.PARTICIPANT), competition=competition, skills=["design"]
    )
    invitation = services.team_invite(actor=team.captain, team=team, participant=person)
    with pytest.raises(PermissionDenied):
        services.invitation_respond(actor=team.captain, invitation=invitation, accept=True)


def test_team_changes_after_the_deadline_need_an_organizer(competition, make_user, make_team, manager):
    team = make_team("A", skills=[["design"], ["business"]])
    competition.team_changes_until = timezone.now() - dt.timedelta(hours=1)
    competition.save()
    person = services.participant_register(
        actor=make_user(Role.PARTICIPANT), competition=competition, skills=["technology"]
    )
    with pytest.raises(ValidationError) as exc:
        services.team_invite(actor=team.captain, team=team, participant=person)
    assert "organización" in messages(exc.value)
    assert not team.invitations.filter(participant=person).exists()
    services.team_add_member(actor=manager, team=team, participant=person)
    assert team.members.count() == 3


def test_team_without_required_skills_cannot_submit(make_team, submit):
    team = make_team("Solo diseño", skills=[["design"], ["design"], ["business"]])
    with pytest.raises(ValidationError) as exc:
        submit(team)
    assert "falta tecnología" in messages(exc.value)
    assert not Submission.objects.exists()


def test_matching_proposes_balanced_teams_that_cover_all_skills(competition, make_user):
    skills = [["design"]] * 3 + [["business"]] * 4 + [["technology"]] * 3 + [["design", "technology"]] * 2
    for s in skills:
        services.participant_register(actor=make_user(Role.PARTICIPANT), competition=competition, skills=s)
    proposal = selectors.team_proposals(competition=competition)
    assert len(proposal.groups) == 4
    sizes = [len(g) for g in proposal.groups]
    assert max(sizes) - min(sizes) <= 1
    for group in proposal.groups:
        covered = {s for p in group for s in p.skills}
        assert {"design", "business", "technology"} <= covered
    assert sum(sizes) + len(proposal.leftover) == 12


def test_matching_proposal_becomes_teams(competition, make_user, manager):
    for s in (["design"], ["business"], ["technology"]) * 2:
        services.participant_register(actor=make_user(Role.PARTICIPANT), competition=competition, skills=s)
    proposal = selectors.team_proposals(competition=competition)
    teams = services.teams_from_proposal(actor=manager, competition=competition, groups=proposal.groups)
    assert [t.members.count() for t in teams] == [3, 3]
    assert all(not selectors.missing_skills(competition, t.members.all()) for t in teams)


# --- submissions ------------------------------------------------------------------------------


def test_submission_versions_carry_over_and_checklist(make_team, submit):
    team = make_team()
    first = submit(team, concept="", deck=None)
    assert dict(selectors.checklist(StageKind.HACKATHON, first)) == {
        "Concepto": False,
        "Presentación del pitch (3 minutos)": False,
    }
    second = submit(team, concept="Alarma de destino")
    third = submit(team, concept="", deck=None, video_url="https://video.example.org/pitch")
    assert (first.version, second.version, third.version) == (1, 2, 3)
    assert third.concept == "Alarma de destino" and third.deck
    assert all(done for _label, done in selectors.checklist(StageKind.HACKATHON, third))


def test_late_submission_is_marked_then_refused(make_team, submit, competition, now):
    team = make_team()
    late = submit(team, now=now + dt.timedelta(days=1, hours=2))
    assert late.is_late
    with pytest.raises(ValidationError) as exc:
        submit(team, now=now + dt.timedelta(days=3))
    assert "venció" in messages(exc.value)
    assert team.submissions.count() == 1


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (pdf(size=20 * 1024 * 1024 + 1), "20 MB"),
        (pdf(name="pitch.exe"), "Formato no admitido"),
        (pdf(name="pitch.pptx"), "no corresponde"),
    ],
)
def test_bad_decks_are_refused(make_team, submit, upload, expected):
    team = make_team()
    with pytest.raises(ValidationError) as exc:
        submit(team, deck=upload)
    assert expected in " ".join(exc.value.message_dict["deck"])
    assert not Submission.objects.exists()


def test_only_members_submit_and_withdrawn_teams_cannot(make_team, submit, make_user):
    team = make_team()
    other = make_team("Otro")
    with pytest.raises(PermissionDenied):
        services.submission_create(actor=other.captain, team=team, stage=StageKind.HACKATHON, concept="x")
    services.team_withdraw(actor=team.captain, team=team, reason="Sin tiempo")
    with pytest.raises(ValidationError):
        submit(team)


def test_acceleration_only_for_selected_teams(make_team):
    team = make_team()
    with pytest.raises(ValidationError) as exc:
        services.submission_create(
            actor=team.captain, team=team, stage=StageKind.ACCELERATION, prototype_url="https://example.org"
        )
    assert "seleccionados" in messages(exc.value)


# --- mentors ----------------------------------------------------------------------------------


def test_mentor_assignment_balanced_and_without_conflict(competition, make_team, make_user, manager, organization):
    teams = [make_team(f"T{i}") for i in range(3)]
    conflicted_mentor = make_user(Role.MENTOR, organization=organization)
    free_mentor = make_user(Role.MENTOR)
    services.mentor_profile_set(actor=conflicted_mentor, expertise=["design"], max_teams=2)
    services.mentor_profile_set(actor=free_mentor, expertise=["business"], max_teams=2)
    member = teams[0].members.first().user
    member.organization = organization
    member.save()
    with pytest.raises(ValidationError) as exc:
        services.mentor_assign(actor=manager, team=teams[0], mentor=conflicted_mentor)
    assert "misma organización" in messages(exc.value)
    made = services.mentors_assign_balanced(actor=manager, competition=competition)
    by_team = {a.team.name: a.mentor for a in made}
    assert by_team["T0"] == free_mentor
    assert sorted(len([a for a in made if a.mentor == m]) for m in (conflicted_mentor, free_mentor)) == [1, 2]


def test_mentor_session_notes_and_official_comments(make_team, make_user, manager, official_of_owner):
    team = make_team()
    mentor = make_user(Role.MENTOR)
    services.mentor_profile_set(actor=mentor, expertise=["business"])
    with pytest.raises(PermissionDenied):
        services.mentor_session_log(actor=mentor, team=team, held_on=dt.date.today(), notes="x")
    services.mentor_assign(actor=manager, team=team, mentor=mentor)
    services.mentor_session_log(actor=mentor, team=team, held_on=dt.date.today(), notes="Validar con usuarios.")
    services.team_comment(actor=official_of_owner, team=team, body="Pueden usar datos de la UOCT.")
    outsider = make_user(Role.CITIZEN)
    with pytest.raises(PermissionDenied):
        services.team_comment(actor=outsider, team=team, body="hola")
    assert team.comments.count() == 1 and team.mentor_sessions.count() == 1


@pytest.fixture
def official_of_owner(make_user):
    return make_user(Role.OFFICIAL)  # the root conftest gives officials the challenge owner's organization


# --- jury ---------------------------------------------------------------------------------------


@pytest.fixture
def scored_setup(competition, make_team, submit, first_round, manager):
    teams = [make_team(name) for name in ("Alfa", "Beta", "Gama", "Delta")]
    for team in teams:
        submit(team)
    services.round_open(actor=manager, round=first_round)
    first_round.refresh_from_db()
    return teams


def test_round_opens_with_a_published_tie_break_order(scored_setup, first_round):
    assert first_round.status == RoundStatus.SCORING
    assert first_round.tie_break_order == [t.pk for t in scored_setup]


def test_conflicted_juror_never_sees_nor_scores_the_team(scored_setup, first_round, jurors):
    alfa = scored_setup[0]
    juror = jurors[0]
    services.conflict_declare(actor=juror, team=alfa, reason=ConflictReason.FAMILY)
    assert alfa not in selectors.teams_for_juror(round_=first_round, user=juror)
    assert not juror.has_perm("competitions.view_team_private", alfa)
    with pytest.raises(PermissionDenied):
        services.score_set(actor=juror, round=first_round, team=alfa, values=values(first_round, 5, 5, 5))
    assert not Score.objects.exists()


def test_mentor_of_a_team_is_conflicted_without_declaring(scored_setup, first_round, make_user, manager):
    juror = first_round.jurors.first()
    juror.role = Role.MENTOR
    juror.save()
    services.mentor_profile_set(actor=juror, expertise=["business"])
    services.mentor_assign(actor=manager, team=scored_setup[1], mentor=juror)
    juror.role = Role.JUROR
    juror.save()
    assert scored_setup[1] not in selectors.teams_for_juror(round_=first_round, user=juror)


def test_declaring_a_conflict_removes_earlier_scores_but_history_keeps_them(scored_setup, first_round, jurors):
    alfa = scored_setup[0]
    services.score_set(actor=jurors[0], round=first_round, team=alfa, values=values(first_round, 4, 4, 4))
    services.conflict_declare(actor=jurors[0], team=alfa, reason=ConflictReason.FINANCIAL)
    assert not Score.objects.filter(juror=jurors[0], team=alfa).exists()
    assert Score.history.filter(juror=jurors[0], team=alfa, history_type="-").count() == 3


@pytest.mark.parametrize("bad", [0, 6, 2.5, "4", True])
def test_score_outside_the_scale_or_not_integer_changes_nothing(scored_setup, first_round, jurors, bad):
    vals = values(first_round, 3, 3, 3)
    first_criterion = next(iter(vals))
    vals[first_criterion] = bad
    with pytest.raises(ValidationError) as exc:
        services.score_set(actor=jurors[0], round=first_round, team=scored_setup[0], values=vals)
    assert f"criterion_{first_criterion}" in exc.value.message_dict
    assert not Score.objects.exists()


def test_missing_criterion_is_refused(scored_setup, first_round, jurors):
    vals = values(first_round, 3, 3, 3)
    vals.popitem()
    with pytest.raises(ValidationError):
        services.score_set(actor=jurors[0], round=first_round, team=scored_setup[0], values=vals)
    assert not Score.objects.exists()


def test_non_panel_juror_cannot_score(scored_setup, first_round, make_user):
    outsider = make_user(Role.JUROR)
    with pytest.raises(PermissionDenied):
        services.score_set(actor=outsider, round=first_round, team=scored_setup[0], values=values(first_round, 3, 3, 3))


def test_score_changes_are_audited(scored_setup, first_round, jurors):
    team = scored_setup[0]
    services.score_set(actor=jurors[0], round=first_round, team=team, values=values(first_round, 3, 3, 3))
    services.score_set(actor=jurors[0], round=first_round, team=team, values=values(first_round, 5, 3, 3))
    criterion = first_round.criteria.first()
    history = Score.history.filter(juror=jurors[0], team=team, criterion=criterion).order_by("history_date")
    assert [h.value for h in history] == [3, 5]
    assert history.last().history_user == jurors[0]


def _score_all(round_, teams, jurors, table):
    """table[j][t] = the same value on every criterion."""
    for j, juror in enumerate(jurors):
        for t, team in enumerate(teams):
            if table[j][t] is None:
                continue
            v = table[j][t]
            services.score_set(actor=juror, round=round_, team=team, values=values(round_, v, v, v))


def test_scores_private_until_close_then_visible(scored_setup, first_round, jurors, manager):
    _score_all(first_round, scored_setup, jurors, [[5, 4, 3, 2], [4, 5, 3, 2], [5, 3, 4, 1]])
    own = selectors.scores_visible_to(round_=first_round, user=jurors[0])
    assert {s.juror_id for s in own} == {jurors[0].pk}
    assert selectors.scores_visible_to(round_=first_round, user=manager).count() == 36
    services.round_close(actor=manager, round=first_round)
    assert selectors.scores_visible_to(round_=first_round, user=jurors[0]).count() == 36
    with pytest.raises(ValidationError):
        services.score_set(
            actor=jurors[0], round=first_round, team=scored_setup[0], values=values(first_round, 1, 1, 1)
        )


def test_close_freezes_ranking_and_selection_is_top_n_plus_justified_picks(scored_setup, first_round, jurors, manager):
    alfa, beta, gama, delta = scored_setup
    services.conflict_declare(actor=jurors[2], team=beta, reason=ConflictReason.SAME_ORGANIZATION)
    _score_all(first_round, scored_setup, jurors, [[5, 4, 3, 2], [4, 5, 3, 2], [5, None, 4, 1]])
    services.round_close(actor=manager, round=first_round)
    first_round.refresh_from_db()
    result = first_round.result
    assert result["order"][:2] == [alfa.pk, beta.pk]
    assert result["kendall_w"] is None  # a recusal: W needs complete rankings
    assert result["alpha"] is not None
    with pytest.raises(ValidationError) as exc:
        services.selection_record(actor=manager, round=first_round, impact_picks={delta.pk: ""})
    assert "justification" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.selection_record(actor=manager, round=first_round, impact_picks={alfa.pk: "ya está"})
    picks = services.selection_record(actor=manager, round=first_round, impact_picks={delta.pk: "Impacto social alto"})
    assert [(s.team, s.kind) for s in picks] == [
        (alfa, SelectionKind.RANKING),
        (beta, SelectionKind.RANKING),
        (delta, SelectionKind.SOCIAL_IMPACT),
    ]
    assert selectors.selected_in_first_round(delta)


def test_tie_break_follows_published_order(scored_setup, first_round, jurors, manager):
    _score_all(first_round, scored_setup, jurors, [[3, 3, 3, 3]] * 3)
    services.round_close(actor=manager, round=first_round)
    first_round.refresh_from_db()
    assert first_round.result["order"] == first_round.tie_break_order


def test_round_needs_weights_adding_to_100_and_a_tie_break(competition, manager):
    with pytest.raises(ValidationError) as exc:
        services.round_create(
            actor=manager,
            competition=competition,
            stage=StageKind.FINAL,
            name="Final",
            tie_break="",
            criteria=[("Impacto", 50, 1, 5)],
        )
    assert {"criteria", "tie_break"} <= set(exc.value.message_dict)


# --- acceleration, final, funnel ---------------------------------------------------------------


def test_full_flow_to_winners_and_funnel(scored_setup, first_round, jurors, manager, make_user, competition):
    alfa, beta, gama, delta = scored_setup
    _score_all(first_round, scored_setup, jurors, [[5, 4, 3, 2]] * 3)
    services.round_close(actor=manager, round=first_round)
    services.selection_record(actor=manager, round=first_round, impact_picks={delta.pk: "Impacto social"})
    mentor = make_user(Role.MENTOR)
    services.mentor_profile_set(actor=mentor, expertise=["business"])
    services.mentor_assign(actor=manager, team=alfa, mentor=mentor)
    milestone = services.milestone_add(actor=alfa.captain, team=alfa, title="Prototipo", due_on=dt.date.today())
    with pytest.raises(ValidationError):
        services.milestone_sign_off(actor=mentor, milestone=milestone)
    services.milestone_mark_done(actor=alfa.captain, milestone=milestone)
    with pytest.raises(PermissionDenied):
        services.milestone_sign_off(actor=alfa.captain, milestone=milestone)
    services.milestone_sign_off(actor=mentor, milestone=milestone)
    assert milestone.status == MilestoneStatus.SIGNED_OFF
    for team in (alfa, beta):
        services.submission_create(
            actor=team.captain,
            team=team,
            stage=StageKind.ACCELERATION,
            prototype_url="https://example.org/p",
            repository_url="https://example.org/r",
            demo_url="https://example.org/d",
            business_plan=pdf("plan.pdf"),
            deck=pdf(),
        )
    services.team_withdraw(actor=delta.captain, team=delta, reason="No terminó")
    final = services.round_create(
        actor=manager,
        competition=competition,
        stage=StageKind.FINAL,
        name="Final",
        tie_break="Orden de entrega.",
        criteria=CRITERIA,
        jurors=jurors,
        top_n=1,
        impact_m=0,
    )
    services.round_open(actor=manager, round=final)
    assert list(selectors.eligible_teams(final)) == [alfa, beta]
    _score_all(final, [alfa, beta], jurors, [[4, 5]] * 3)
    services.round_close(actor=manager, round=final)
    with pytest.raises(ValidationError):
        services.winners_record(actor=manager, round=final, winners={gama.pk: "no llegó"})
    services.winners_record(actor=manager, round=final, winners={beta.pk: "Mejor prototipo"})
    services.competition_set_flags(actor=manager, competition=competition, results_published=True)
    assert [v for _label, v in selectors.funnel(competition)] == [12, 4, 4, 3, 2, 1]


# --- issue 17: a conflict that arises after judging ---------------------------------------------


@pytest.fixture
def jurors_org(jurors):
    """The organization of jurors[0] (the others have none)."""
    org = Organization.objects.create(
        name="Municipalidad de Prueba", slug="muni-prueba", sector=Sector.GOVERNMENT, level=Level.MUNICIPAL
    )
    jurors[0].organization = org
    jurors[0].save()
    return org


def _colleague(make_user, competition, org):
    user = make_user(Role.PARTICIPANT, organization=org)
    return services.participant_register(actor=user, competition=competition, skills=["design"])


def test_member_added_after_the_close_withdraws_the_jurors_frozen_scores(
    scored_setup, first_round, jurors, jurors_org, manager, make_user, competition
):
    alfa = scored_setup[0]
    _score_all(first_round, scored_setup, jurors, [[5, 4, 3, 2], [4, 5, 3, 2], [5, 3, 4, 1]])
    services.round_close(actor=manager, round=first_round)
    first_round.refresh_from_db()
    assert str(alfa.pk) in first_round.result["totals"][str(jurors[0].pk)]
    services.team_add_member(actor=manager, team=alfa, participant=_colleague(make_user, competition, jurors_org))
    conflict = Conflict.objects.get(juror=jurors[0], team=alfa)
    assert conflict.reason == ConflictReason.SAME_ORGANIZATION
    assert not Score.objects.filter(juror=jurors[0], team=alfa).exists()
    assert Score.history.filter(juror=jurors[0], team=alfa, history_type="-").count() == 3
    first_round.refresh_from_db()
    assert str(alfa.pk) not in first_round.result["totals"][str(jurors[0].pk)]
    assert first_round.result == selectors.round_aggregate(first_round).as_json()
    # The other jurors' scores for the team still count.
    assert Score.objects.filter(team=alfa).count() == 2 * 3


def test_member_joining_by_invitation_withdraws_open_scores(
    scored_setup, first_round, jurors, jurors_org, make_user, competition
):
    alfa = scored_setup[0]
    services.score_set(actor=jurors[0], round=first_round, team=alfa, values=values(first_round, 5, 5, 5))
    person = _colleague(make_user, competition, jurors_org)
    invitation = services.team_invite(actor=alfa.captain, team=alfa, participant=person)
    services.invitation_respond(actor=person.user, invitation=invitation, accept=True)
    assert Conflict.objects.filter(juror=jurors[0], team=alfa).exists()
    assert not Score.objects.filter(juror=jurors[0], team=alfa).exists()
    assert alfa not in selectors.teams_for_juror(round_=first_round, user=jurors[0])


def test_teams_from_a_proposal_record_conflicts_with_jurors(
    competition, first_round, jurors, jurors_org, make_user, manager
):
    _colleague(make_user, competition, jurors_org)
    for s in (["business"], ["technology"]):
        services.participant_register(actor=make_user(Role.PARTICIPANT), competition=competition, skills=s)
    proposal = selectors.team_proposals(competition=competition)
    (team,) = services.teams_from_proposal(actor=manager, competition=competition, groups=proposal.groups)
    assert list(Conflict.objects.filter(team=team).values_list("juror", flat=True)) == [jurors[0].pk]
