"""Writes for competitions. Every function checks permissions, validates everything before
writing anything (a refused call changes nothing) and publishes an event after commit.

Decisions worth knowing:
- A submission after the stage's deadline is accepted marked late until `Stage.late_until`; after
  that (or with no grace period) it is refused.
- Team changes after `Competition.team_changes_until` need an organizer.
- A juror's conflict (declared, mentor of the team, or same organization as a member) blocks both
  reading and scoring: `rules.conflicted` is the single definition.
- Closing a round freezes the aggregate ranking in `Round.result`; scores cannot change afterwards.
- The tie-break order is fixed and published when the round opens (before any score exists).
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mueve.accounts.models import Role, User
from mueve.challenges.models import Challenge
from mueve.competitions import rules as crules
from mueve.competitions.models import (
    CORE_SKILLS,
    Clinic,
    ClinicQuestion,
    ClinicRegistration,
    Competition,
    Conflict,
    ConflictReason,
    Contribution,
    Criterion,
    Invitation,
    InvitationStatus,
    MentorAssignment,
    MentorProfile,
    MentorSession,
    Milestone,
    MilestoneStatus,
    PairwiseAssignment,
    PairwiseVote,
    Participant,
    Partner,
    Prize,
    PublicVote,
    Round,
    RoundMode,
    RoundStatus,
    Score,
    Selection,
    SelectionKind,
    Skill,
    Stage,
    StageKind,
    Submission,
    Team,
    TeamComment,
    TeamStatus,
)
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.core.slugs import save_with_unique_slug, slug_base
from mueve.programs.models import Program
from mueve.stakeholders.models import Organization

MAX_DECK_BYTES = 20 * 1024 * 1024
DECK_EXTENSIONS = {"pdf", "pptx", "odp", "key"}
SUBMISSION_STAGES = (StageKind.HACKATHON, StageKind.ACCELERATION)
# What each stage's submission must contain: (field, label). Video is optional for the hackathon.
REQUIRED_ITEMS = {
    StageKind.HACKATHON: (
        ("concept", gettext_lazy("Concepto")),
        ("deck", gettext_lazy("Presentación del pitch (3 minutos)")),
    ),
    StageKind.ACCELERATION: (
        ("prototype_url", gettext_lazy("Prototipo mínimo viable (enlace)")),
        ("repository_url", gettext_lazy("Repositorio")),
        ("demo_url", gettext_lazy("Demostración")),
        ("business_plan", gettext_lazy("Plan de negocios básico")),
        ("deck", gettext_lazy("Pitch final")),
    ),
}


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# --- competition setup --------------------------------------------------------------------------


@transaction.atomic
def competition_create(
    *,
    actor: User,
    program: Program,
    name: str,
    summary: str = "",
    rules_text: str = "",
    challenges: Iterable[Challenge] = (),
    required_skills: Sequence[str] = tuple(CORE_SKILLS),
    min_team_size: int = 2,
    max_team_size: int = 5,
    team_changes_until: datetime | None = None,
    slug: str | None = None,
    is_generated: bool = False,
) -> Competition:
    ensure_perm(actor, "competitions.add_competition")
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Escriba el nombre de la competencia.")]
    unknown = [s for s in required_skills if s not in Skill.values]
    if unknown:
        errors["required_skills"] = [_("Habilidad desconocida: %(s)s.") % {"s": ", ".join(unknown)}]
    if min_team_size < 1 or max_team_size < min_team_size:
        errors["max_team_size"] = [_("El tamaño máximo debe ser mayor o igual que el mínimo (y este, al menos 1).")]
    challenges = list(challenges)
    foreign = [c for c in challenges if c.program_id != program.pk]
    if foreign:
        errors["challenges"] = [_("Los desafíos deben ser del mismo programa.")]
    _raise(errors)
    competition = Competition(
        program=program,
        name=name.strip(),
        summary=summary.strip(),
        rules_text=rules_text.strip(),
        required_skills=list(dict.fromkeys(required_skills)),
        min_team_size=min_team_size,
        max_team_size=max_team_size,
        team_changes_until=team_changes_until,
        created_by=actor,
        is_generated=is_generated,
    )
    competition._history_user = actor
    save_with_unique_slug(competition, slug or slug_base(name, max_length=80, fallback="competencia"))
    competition.challenges.set(challenges)
    publish("competitions.competition_created", {"competition_id": competition.pk})
    return competition


@transaction.atomic
def competition_set_flags(
    *,
    actor: User,
    competition: Competition,
    is_published: bool | None = None,
    registration_open: bool | None = None,
    results_published: bool | None = None,
    public_vote_open: bool | None = None,
) -> Competition:
    ensure_perm(actor, "competitions.change_competition", competition)
    if results_published and not competition.rounds.filter(status=RoundStatus.CLOSED).exists():
        raise ValidationError({"results_published": [_("No hay rondas cerradas: no hay resultados que publicar.")]})
    for field, value in (
        ("is_published", is_published),
        ("registration_open", registration_open),
        ("results_published", results_published),
        ("public_vote_open", public_vote_open),
    ):
        if value is not None:
            setattr(competition, field, value)
    competition._history_user = actor
    competition.save()
    publish("competitions.competition_updated", {"competition_id": competition.pk})
    return competition


@transaction.atomic
def stage_set(
    *,
    actor: User,
    competition: Competition,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    late_until: datetime | None = None,
    description: str = "",
) -> Stage:
    ensure_perm(actor, "competitions.change_competition", competition)
    errors: dict[str, list[str]] = {}
    if kind not in StageKind.values:
        errors["kind"] = [_("Etapa desconocida.")]
    if ends_at < starts_at:
        errors["ends_at"] = [_("El término no puede ser anterior al inicio.")]
    if late_until is not None and late_until < ends_at:
        errors["late_until"] = [_("El plazo de entregas atrasadas debe ser posterior al plazo normal.")]
    _raise(errors)
    stage, _created = Stage.objects.update_or_create(
        competition=competition,
        kind=kind,
        defaults={"starts_at": starts_at, "ends_at": ends_at, "late_until": late_until, "description": description},
    )
    return stage


@transaction.atomic
def prize_set(*, actor: User, competition: Competition, title: str, description: str = "", order: int = 0) -> Prize:
    ensure_perm(actor, "competitions.change_competition", competition)
    if not title.strip():
        raise ValidationError({"title": [_("Escriba el premio.")]})
    prize, _created = Prize.objects.update_or_create(
        competition=competition, title=title.strip(), defaults={"description": description, "order": order}
    )
    return prize


@transaction.atomic
def partner_set(
    *, actor: User, competition: Competition, organization: Organization, contribution: str, detail: str = ""
) -> Partner:
    ensure_perm(actor, "competitions.change_competition", competition)
    if contribution not in Contribution.values:
        raise ValidationError({"contribution": [_("Tipo de aporte desconocido.")]})
    partner, _created = Partner.objects.update_or_create(
        competition=competition, organization=organization, defaults={"contribution": contribution, "detail": detail}
    )
    return partner


# --- clinics ------------------------------------------------------------------------------------


@transaction.atomic
def clinic_create(
    *,
    actor: User,
    competition: Competition,
    challenge: Challenge,
    title: str,
    starts_at: datetime,
    presenter: User | None = None,
    place: str = "",
    capacity: int = 60,
) -> Clinic:
    ensure_perm(actor, "competitions.change_competition", competition)
    errors: dict[str, list[str]] = {}
    if not competition.challenges.filter(pk=challenge.pk).exists():
        errors["challenge"] = [_("El desafío no está entre los que ofrece la competencia.")]
    if presenter is not None and presenter.role != Role.OFFICIAL:
        errors["presenter"] = [_("Presenta un funcionario o funcionaria.")]
    if not title.strip():
        errors["title"] = [_("Escriba el título.")]
    _raise(errors)
    clinic = Clinic.objects.create(
        competition=competition,
        challenge=challenge,
        title=title.strip(),
        starts_at=starts_at,
        presenter=presenter,
        place=place,
        capacity=capacity,
    )
    publish("competitions.clinic_created", {"clinic_id": clinic.pk, "competition_id": competition.pk})
    return clinic


@transaction.atomic
def clinic_register(*, actor: User, clinic: Clinic) -> ClinicRegistration:
    ensure_perm(actor, "competitions.attend_clinic", clinic.competition)
    existing = ClinicRegistration.objects.filter(clinic=clinic, user=actor).first()
    if existing is not None:
        return existing
    if clinic.registrations.count() >= clinic.capacity:
        raise ValidationError({"clinic": [_("La clínica no tiene cupos disponibles.")]})
    return ClinicRegistration.objects.create(clinic=clinic, user=actor)


@transaction.atomic
def clinic_mark_attendance(*, actor: User, clinic: Clinic, users: Iterable[User | int]) -> int:
    """Sets who attended among those registered (the rest did not); returns how many attended."""
    ensure_perm(actor, "competitions.change_competition", clinic.competition)
    ids = [u if isinstance(u, int) else u.pk for u in users]
    clinic.registrations.update(attended=False)
    return clinic.registrations.filter(user_id__in=ids).update(attended=True)


@transaction.atomic
def clinic_ask(*, actor: User, clinic: Clinic, question: str) -> ClinicQuestion:
    ensure_perm(actor, "competitions.ask_clinic", clinic.competition)
    if len(question.strip()) < 5:
        raise ValidationError({"question": [_("Escriba la pregunta.")]})
    return ClinicQuestion.objects.create(clinic=clinic, asked_by=actor, question=question.strip())


@transaction.atomic
def clinic_answer(*, actor: User, question: ClinicQuestion, answer: str, publish_it: bool = True) -> ClinicQuestion:
    ensure_perm(actor, "competitions.answer_clinic", question.clinic.competition)
    if not answer.strip():
        raise ValidationError({"answer": [_("Escriba la respuesta.")]})
    question.answer = answer.strip()
    question.answered_by = actor
    question.is_published = publish_it
    question.save()
    return question


# --- registration and teams --------------------------------------------------------------------


def missing_skills(competition: Competition, members: Iterable[Participant]) -> list[str]:
    covered = {s for m in members for s in m.skills}
    return [s for s in competition.required_skills if s not in covered]


def _check_team_changes(actor: User, competition: Competition, now: datetime | None = None) -> None:
    deadline = competition.team_changes_until
    if deadline is not None and _now(now) > deadline and not crules.is_organizer(actor, competition):
        raise ValidationError(
            {"__all__": [_("Pasó el plazo de cambios de equipo: solo la organización puede hacerlos ahora.")]}
        )


@transaction.atomic
def participant_register(
    *,
    actor: User,
    competition: Competition,
    skills: Sequence[str],
    other_skill: str = "",
    is_generated: bool = False,
) -> Participant:
    ensure_perm(actor, "competitions.register", competition)
    errors: dict[str, list[str]] = {}
    if not competition.registration_open:
        errors["__all__"] = [_("Las inscripciones de esta competencia no están abiertas.")]
    skills = list(dict.fromkeys(skills))
    if not skills:
        errors["skills"] = [_("Indique al menos una habilidad.")]
    elif any(s not in Skill.values for s in skills):
        errors["skills"] = [_("Habilidad desconocida.")]
    if Skill.OTHER in skills and not other_skill.strip():
        errors["other_skill"] = [_("Describa su otra habilidad.")]
    _raise(errors)
    participant, created = Participant.objects.get_or_create(
        competition=competition,
        user=actor,
        defaults={"skills": skills, "other_skill": other_skill.strip(), "is_generated": is_generated},
    )
    if not created:
        participant.skills = skills
        participant.other_skill = other_skill.strip()
        participant.save(update_fields=["skills", "other_skill", "updated_at"])
    publish("competitions.participant_registered", {"competition_id": competition.pk})
    return participant


def _participant_of(actor: User, competition: Competition) -> Participant:
    participant = Participant.objects.filter(competition=competition, user=actor).first()
    if participant is None:
        raise ValidationError({"__all__": [_("Primero inscríbase en la competencia.")]})
    return participant


@transaction.atomic
def team_create(
    *,
    actor: User,
    competition: Competition,
    name: str,
    challenge: Challenge | None = None,
    category: str = "",
    captain: Participant | None = None,
    is_generated: bool = False,
    now: datetime | None = None,
) -> Team:
    """A participant founds a team (and captains it). Organizers may found one for `captain`."""
    if captain is None:
        ensure_perm(actor, "competitions.register", competition)
        captain = _participant_of(actor, competition)
    else:
        ensure_perm(actor, "competitions.change_competition", competition)
    _check_team_changes(actor, competition, now)
    errors: dict[str, list[str]] = {}
    if captain.team_id is not None:
        errors["__all__"] = [_("Ya forma parte de un equipo.")]
    if not name.strip():
        errors["name"] = [_("Escriba el nombre del equipo.")]
    elif competition.teams.filter(name__iexact=name.strip()).exists():
        errors["name"] = [_("Ya existe un equipo con ese nombre.")]
    if challenge is not None and not competition.challenges.filter(pk=challenge.pk).exists():
        errors["challenge"] = [_("El desafío no está entre los que ofrece la competencia.")]
    _raise(errors)
    team = Team(
        competition=competition,
        name=name.strip(),
        challenge=challenge,
        category=category,
        captain=captain.user,
        is_generated=is_generated,
    )
    team._history_user = actor
    team.save()
    captain.team = team
    captain.save(update_fields=["team", "updated_at"])
    publish("competitions.team_created", {"team_id": team.pk, "competition_id": competition.pk})
    return team


@transaction.atomic
def team_update(*, actor: User, team: Team, challenge: Challenge | None = None, category: str | None = None) -> Team:
    ensure_perm(actor, "competitions.manage_team", team)
    if challenge is not None:
        if not team.competition.challenges.filter(pk=challenge.pk).exists():
            raise ValidationError({"challenge": [_("El desafío no está entre los que ofrece la competencia.")]})
        team.challenge = challenge
    if category is not None:
        team.category = category
    team._history_user = actor
    team.save()
    return team


@transaction.atomic
def team_invite(*, actor: User, team: Team, participant: Participant, now: datetime | None = None) -> Invitation:
    ensure_perm(actor, "competitions.manage_team", team)
    _check_team_changes(actor, team.competition, now)
    errors: dict[str, list[str]] = {}
    if participant.competition_id != team.competition_id:
        errors["participant"] = [_("La persona no está inscrita en esta competencia.")]
    elif participant.team_id is not None:
        errors["participant"] = [_("La persona ya tiene equipo.")]
    elif team.invitations.filter(participant=participant, status=InvitationStatus.PENDING).exists():
        errors["participant"] = [_("Ya tiene una invitación pendiente de este equipo.")]
    if team.status != TeamStatus.ACTIVE:
        errors["__all__"] = [_("El equipo se retiró.")]
    elif team.members.count() >= team.competition.max_team_size:
        errors["__all__"] = [_("El equipo ya tiene el máximo de integrantes.")]
    _raise(errors)
    invitation = Invitation.objects.create(team=team, participant=participant, invited_by=actor)
    publish("competitions.invitation_sent", {"team_id": team.pk, "participant_id": participant.pk})
    return invitation


@transaction.atomic
def invitation_respond(*, actor: User, invitation: Invitation, accept: bool, now: datetime | None = None) -> Invitation:
    participant = invitation.participant
    if participant.user_id != actor.pk:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError({"__all__": [_("La invitación ya fue respondida.")]})
    team = invitation.team
    if accept:
        _check_team_changes(actor, team.competition, now)
        if participant.team_id is not None:
            raise ValidationError({"__all__": [_("Ya forma parte de un equipo.")]})
        if team.members.count() >= team.competition.max_team_size:
            raise ValidationError({"__all__": [_("El equipo ya tiene el máximo de integrantes.")]})
        if team.status != TeamStatus.ACTIVE:
            raise ValidationError({"__all__": [_("El equipo se retiró.")]})
        participant.team = team
        participant.save(update_fields=["team", "updated_at"])
        # Other pending invitations lapse: a person is in one team.
        participant.invitations.filter(status=InvitationStatus.PENDING).exclude(pk=invitation.pk).update(
            status=InvitationStatus.DECLINED
        )
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.save(update_fields=["status"])
    publish("competitions.invitation_answered", {"team_id": team.pk, "accepted": accept})
    return invitation


@transaction.atomic
def team_add_member(*, actor: User, team: Team, participant: Participant) -> Participant:
    """Organizers move people between teams (after the deadline, or applying the matching proposal)."""
    ensure_perm(actor, "competitions.change_competition", team.competition)
    if participant.competition_id != team.competition_id:
        raise ValidationError({"participant": [_("La persona no está inscrita en esta competencia.")]})
    if team.members.count() >= team.competition.max_team_size:
        raise ValidationError({"__all__": [_("El equipo ya tiene el máximo de integrantes.")]})
    participant.team = team
    participant.save(update_fields=["team", "updated_at"])
    return participant


@transaction.atomic
def teams_from_proposal(
    *, actor: User, competition: Competition, groups: Sequence[Sequence[Participant]], prefix: str = "Equipo"
) -> list[Team]:
    """Creates the teams a matching proposal suggests (organizers): the first member captains."""
    ensure_perm(actor, "competitions.change_competition", competition)
    teams = []
    n = competition.teams.count()
    for group in groups:
        if any(p.team_id is not None for p in group):
            raise ValidationError({"__all__": [_("Alguien de la propuesta ya tiene equipo: vuelva a calcularla.")]})
        n += 1
        name = f"{prefix} {n}"
        while competition.teams.filter(name=name).exists():
            n += 1
            name = f"{prefix} {n}"
        team = team_create(actor=actor, competition=competition, name=name, captain=group[0])
        for p in group[1:]:
            team_add_member(actor=actor, team=team, participant=p)
        teams.append(team)
    return teams


@transaction.atomic
def team_withdraw(*, actor: User, team: Team, reason: str) -> Team:
    ensure_perm(actor, "competitions.withdraw_team", team)
    if team.status == TeamStatus.WITHDRAWN:
        raise ValidationError({"__all__": [_("El equipo ya se retiró.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Indique el motivo del retiro.")]})
    team.status = TeamStatus.WITHDRAWN
    team.withdrawn_reason = reason.strip()
    team._history_user = actor
    team.save()
    publish("competitions.team_withdrawn", {"team_id": team.pk})
    return team


# --- mentors and officials ---------------------------------------------------------------------


@transaction.atomic
def mentor_profile_set(
    *, actor: User, expertise: Sequence[str], bio: str = "", max_teams: int = 3, user: User | None = None
) -> MentorProfile:
    user = user or actor
    if user.role != Role.MENTOR:
        raise ValidationError({"__all__": [_("Solo las cuentas de mentoría tienen perfil de mentor/a.")]})
    if user != actor and not crules.is_manager(actor):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if not expertise or any(s not in Skill.values for s in expertise):
        raise ValidationError({"expertise": [_("Indique al menos un área de experiencia válida.")]})
    if max_teams < 1:
        raise ValidationError({"max_teams": [_("Debe poder acompañar al menos a un equipo.")]})
    profile, _created = MentorProfile.objects.update_or_create(
        user=user, defaults={"expertise": list(expertise), "bio": bio, "max_teams": max_teams}
    )
    return profile


def mentor_conflict(mentor: User, team: Team) -> bool:
    """A mentor does not accompany a team with a member of their own organization."""
    return bool(mentor.organization_id and team.members.filter(user__organization_id=mentor.organization_id).exists())


@transaction.atomic
def mentor_assign(*, actor: User, team: Team, mentor: User) -> MentorAssignment:
    ensure_perm(actor, "competitions.assign_mentor", team)
    errors: dict[str, list[str]] = {}
    profile = MentorProfile.objects.filter(user=mentor).first()
    if mentor.role != Role.MENTOR or profile is None:
        errors["mentor"] = [_("La persona no tiene perfil de mentor/a.")]
    elif mentor_conflict(mentor, team):
        errors["mentor"] = [_("Conflicto: la persona es de la misma organización que alguien del equipo.")]
    elif (
        MentorAssignment.objects.filter(mentor=mentor, team__competition=team.competition).count() >= profile.max_teams
    ):
        errors["mentor"] = [_("La persona ya acompaña al máximo de equipos que indicó.")]
    _raise(errors)
    assignment, _created = MentorAssignment.objects.get_or_create(team=team, mentor=mentor)
    publish("competitions.mentor_assigned", {"team_id": team.pk, "mentor_id": mentor.pk})
    return assignment


@transaction.atomic
def mentors_assign_balanced(*, actor: User, competition: Competition) -> list[MentorAssignment]:
    """Every active team without a mentor gets the least-loaded mentor without a conflict whose
    expertise covers a skill the team lacks (or any, if none does). Ties by name, so it is repeatable."""
    ensure_perm(actor, "competitions.assign_mentor", competition)
    profiles = list(MentorProfile.objects.select_related("user").order_by("user__username"))
    load = {
        p.user_id: MentorAssignment.objects.filter(mentor=p.user, team__competition=competition).count()
        for p in profiles
    }
    made = []
    teams = competition.teams.filter(status=TeamStatus.ACTIVE, mentor_assignments__isnull=True).order_by("pk")
    for team in teams:
        members = list(team.members.all())
        lacking = set(missing_skills(competition, members))
        candidates = [p for p in profiles if load[p.user_id] < p.max_teams and not mentor_conflict(p.user, team)]
        if not candidates:
            continue
        candidates.sort(key=lambda p: (not (lacking & set(p.expertise)), load[p.user_id], p.user.username))
        chosen = candidates[0]
        made.append(MentorAssignment.objects.create(team=team, mentor=chosen.user))
        load[chosen.user_id] += 1
    return made


@transaction.atomic
def mentor_session_log(*, actor: User, team: Team, held_on: date, notes: str) -> MentorSession:
    ensure_perm(actor, "competitions.log_mentor_session", team)
    if not notes.strip():
        raise ValidationError({"notes": [_("Escriba las notas de la sesión.")]})
    return MentorSession.objects.create(team=team, mentor=actor, held_on=held_on, notes=notes.strip())


@transaction.atomic
def team_comment(*, actor: User, team: Team, body: str) -> TeamComment:
    ensure_perm(actor, "competitions.comment_team", team)
    if not body.strip():
        raise ValidationError({"body": [_("Escriba el comentario.")]})
    return TeamComment.objects.create(team=team, author=actor, body=body.strip())


# --- submissions -------------------------------------------------------------------------------


def check_deck(upload: UploadedFile | None, field: str = "deck") -> list[str]:
    """Type (by extension AND content) and size of a pitch deck or plan: ≤ 20 MB, PDF/PPTX/ODP/Keynote."""
    if upload is None:
        return []
    name = (upload.name or "").lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if upload.size > MAX_DECK_BYTES:
        return [_("El archivo pesa más de 20 MB.")]
    if ext not in DECK_EXTENSIONS:
        return [_("Formato no admitido: use PDF, PPTX, ODP o Keynote.")]
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    # PDF starts with %PDF; PPTX, ODP and Keynote ('13 and later) are ZIP containers.
    expected = b"%PDF" if ext == "pdf" else b"PK\x03\x04"
    if not head.startswith(expected):
        return [_("El contenido del archivo no corresponde a su extensión.")]
    return []


def latest_submission(team: Team, stage: str) -> Submission | None:
    return team.submissions.filter(stage=stage).order_by("-version").first()


def checklist(stage: str, submission: Submission | None) -> list[tuple[str, bool]]:
    items = REQUIRED_ITEMS.get(stage, ())
    return [(str(label), bool(submission is not None and getattr(submission, field))) for field, label in items]


def selected_in_first_round(team: Team) -> bool:
    return Selection.objects.filter(
        team=team, round__stage=StageKind.FIRST_SELECTION, round__status=RoundStatus.CLOSED
    ).exists()


@transaction.atomic
def submission_create(
    *,
    actor: User,
    team: Team,
    stage: str,
    concept: str = "",
    deck: UploadedFile | None = None,
    video_url: str = "",
    prototype_url: str = "",
    repository_url: str = "",
    demo_url: str = "",
    business_plan: UploadedFile | None = None,
    now: datetime | None = None,
) -> Submission:
    """A new version of the team's submission for `stage`. Missing fields carry over from the
    previous version, so a team can add its video later without re-uploading the deck."""
    ensure_perm(actor, "competitions.submit", team)
    now = _now(now)
    competition = team.competition
    errors: dict[str, list[str]] = {}
    if stage not in SUBMISSION_STAGES:
        raise ValidationError({"stage": [_("Esta etapa no recibe entregas.")]})
    stage_row = competition.stages.filter(kind=stage).first()
    if team.status != TeamStatus.ACTIVE:
        errors["__all__"] = [_("El equipo se retiró: no puede entregar.")]
    elif stage_row is None:
        errors["__all__"] = [_("La competencia no tiene fechas para esta etapa.")]
    elif now < stage_row.starts_at:
        errors["__all__"] = [_("La etapa aún no comienza.")]
    elif now > stage_row.ends_at and (stage_row.late_until is None or now > stage_row.late_until):
        errors["__all__"] = [
            _("El plazo de entrega venció el %(when)s.")
            % {"when": timezone.localtime(stage_row.late_until or stage_row.ends_at).strftime("%d-%m-%Y %H:%M")}
        ]
    members = list(team.members.all())
    lacking = missing_skills(competition, members)
    if lacking:
        labels = ", ".join(str(Skill(s).label).lower() for s in lacking)
        errors.setdefault("__all__", []).append(
            _("El equipo aún no cubre las habilidades requeridas: falta %(skills)s.") % {"skills": labels}
        )
    if len(members) < competition.min_team_size:
        errors.setdefault("__all__", []).append(
            _("El equipo necesita al menos %(n)d integrantes.") % {"n": competition.min_team_size}
        )
    if stage == StageKind.ACCELERATION and not selected_in_first_round(team):
        errors.setdefault("__all__", []).append(_("Solo los equipos seleccionados entregan en la aceleración."))
    for field, upload in (("deck", deck), ("business_plan", business_plan)):
        problems = check_deck(upload, field)
        if problems:
            errors[field] = problems
    from django.core.validators import URLValidator

    validate_url = URLValidator(schemes=["http", "https"])
    for field, value in (
        ("video_url", video_url),
        ("prototype_url", prototype_url),
        ("repository_url", repository_url),
        ("demo_url", demo_url),
    ):
        if value:
            try:
                validate_url(value)
            except ValidationError:
                errors[field] = [_("Escriba una dirección web completa (https://…).")]
    _raise(errors)
    previous = latest_submission(team, stage)
    submission = Submission(
        team=team,
        stage=stage,
        version=(previous.version + 1) if previous else 1,
        submitted_by=actor,
        submitted_at=now,
        is_late=now > stage_row.ends_at,
    )
    for field, value in (
        ("concept", concept.strip()),
        ("video_url", video_url),
        ("prototype_url", prototype_url),
        ("repository_url", repository_url),
        ("demo_url", demo_url),
    ):
        setattr(submission, field, value or (getattr(previous, field) if previous else ""))
    for field, upload in (("deck", deck), ("business_plan", business_plan)):
        if upload is not None:
            setattr(submission, field, upload)
        elif previous is not None:
            setattr(submission, field, getattr(previous, field))
    submission.save()
    publish("competitions.submission_created", {"team_id": team.pk, "stage": stage, "version": submission.version})
    return submission


# --- jury ----------------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    actor: User,
    competition: Competition,
    stage: str,
    name: str,
    tie_break: str,
    criteria: Sequence[tuple[str, int, int, int]],
    jurors: Iterable[User] = (),
    top_n: int = 5,
    impact_m: int = 2,
    mode: str = RoundMode.RUBRIC,
) -> Round:
    """`criteria`: (name, weight %, scale min, scale max); the weights add up to 100. A pairwise
    round (Crowd-BT) needs no criteria: jurors only say which of two teams is better."""
    ensure_perm(actor, "competitions.manage_round", competition)
    errors: dict[str, list[str]] = {}
    submission_stage = {StageKind.FIRST_SELECTION: StageKind.HACKATHON, StageKind.FINAL: StageKind.ACCELERATION}
    if stage not in submission_stage:
        errors["stage"] = [_("Las rondas de jurado son la primera selección y la final.")]
    elif competition.rounds.filter(stage=stage).exists():
        errors["stage"] = [_("Ya existe una ronda para esta etapa.")]
    if not tie_break.strip():
        errors["tie_break"] = [_("Publique la regla de desempate antes de evaluar.")]
    if mode not in RoundMode.values:
        errors["mode"] = [_("Modo desconocido.")]
    elif mode == RoundMode.PAIRWISE:
        criteria = []
    elif not criteria:
        errors["criteria"] = [_("Defina al menos un criterio.")]
    elif sum(w for _n, w, _a, _b in criteria) != 100:
        errors["criteria"] = [_("Los pesos de los criterios deben sumar 100.")]
    elif any(lo >= hi for _n, _w, lo, hi in criteria):
        errors["criteria"] = [_("Cada escala debe tener un mínimo menor que el máximo.")]
    jurors = list(jurors)
    if any(j.role != Role.JUROR for j in jurors):
        errors["jurors"] = [_("El panel se forma con cuentas de jurado.")]
    _raise(errors)
    round_ = Round(
        competition=competition,
        stage=stage,
        submission_stage=submission_stage[stage],
        name=name.strip() or StageKind(stage).label,
        tie_break=tie_break.strip(),
        top_n=top_n,
        impact_m=impact_m,
        mode=mode,
    )
    round_._history_user = actor
    round_.save()
    round_.jurors.set(jurors)
    for order, (cname, weight, lo, hi) in enumerate(criteria):
        Criterion.objects.create(round=round_, name=cname, weight=weight, scale_min=lo, scale_max=hi, order=order)
    return round_


@transaction.atomic
def round_set_jurors(*, actor: User, round: Round, jurors: Iterable[User]) -> Round:
    ensure_perm(actor, "competitions.manage_round", round.competition)
    jurors = list(jurors)
    if any(j.role != Role.JUROR for j in jurors):
        raise ValidationError({"jurors": [_("El panel se forma con cuentas de jurado.")]})
    round.jurors.set(jurors)
    return round


def eligible_teams(round_: Round):
    """Active teams with a submission for the round's stage (and, for the final, selected before)."""
    teams = round_.competition.teams.filter(status=TeamStatus.ACTIVE, submissions__stage=round_.submission_stage)
    if round_.stage == StageKind.FINAL:
        teams = teams.filter(
            selections__round__stage=StageKind.FIRST_SELECTION, selections__round__status=RoundStatus.CLOSED
        )
    return teams.distinct().order_by("pk")


@transaction.atomic
def round_open(*, actor: User, round: Round) -> Round:
    """Opens scoring and publishes the tie-break order: earliest first submission ranks first."""
    ensure_perm(actor, "competitions.manage_round", round.competition)
    if round.status != RoundStatus.DRAFT:
        raise ValidationError({"__all__": [_("La ronda ya fue abierta.")]})
    teams = list(eligible_teams(round))
    if not teams:
        raise ValidationError({"__all__": [_("No hay equipos con entregas para evaluar.")]})
    if not round.jurors.exists():
        raise ValidationError({"jurors": [_("Asigne el panel de jurado antes de abrir la evaluación.")]})

    def first_submitted(team: Team):
        first = team.submissions.filter(stage=round.submission_stage).order_by("version").first()
        return (first.submitted_at, team.pk)

    round.tie_break_order = [t.pk for t in sorted(teams, key=first_submitted)]
    round.status = RoundStatus.SCORING
    round._history_user = actor
    round.save()
    publish("competitions.round_opened", {"round_id": round.pk})
    return round


@transaction.atomic
def conflict_declare(*, actor: User, team: Team, reason: str, note: str = "", juror: User | None = None) -> Conflict:
    """A juror declares a conflict with a team (organizers may record one for a juror). Any score
    the juror already gave that team is removed; the audit history keeps it."""
    juror = juror or actor
    ensure_perm(actor, "competitions.declare_conflict", team)
    if juror != actor and not crules.is_organizer(actor, team.competition):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if reason not in ConflictReason.values:
        errors["reason"] = [_("Motivo desconocido.")]
    if reason == ConflictReason.OTHER and not note.strip():
        errors["note"] = [_("Describa el conflicto.")]
    _raise(errors)
    conflict, _created = Conflict.objects.get_or_create(
        competition=team.competition, juror=juror, team=team, defaults={"reason": reason, "note": note.strip()}
    )
    for score in Score.objects.filter(juror=juror, team=team, round__status=RoundStatus.SCORING):
        score._history_user = actor
        score.delete()
    publish("competitions.conflict_declared", {"team_id": team.pk})
    return conflict


@transaction.atomic
def score_set(
    *, actor: User, round: Round, team: Team, values: dict[int, int], comment: str = "", is_generated: bool = False
) -> list[Score]:
    """Stores a juror's rubric for one team: one integer per criterion, inside its scale."""
    if not (crules.on_panel(actor, round) and actor.has_perm("competitions.score_team", team)):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if round.status != RoundStatus.SCORING:
        errors["__all__"] = [_("La ronda no está abierta a evaluación.")]
    elif round.mode == RoundMode.PAIRWISE:
        errors["__all__"] = [_("Esta ronda se evalúa por pares, no con rúbrica.")]
    elif not eligible_teams(round).filter(pk=team.pk).exists():
        errors["__all__"] = [_("Este equipo no participa en esta ronda.")]
    criteria = list(round.criteria.all())
    for criterion in criteria:
        key = f"criterion_{criterion.pk}"
        value = values.get(criterion.pk)
        if value is None:
            errors[key] = [_("Falta el puntaje de «%(c)s».") % {"c": criterion.name}]
        elif isinstance(value, bool) or not isinstance(value, int):
            errors[key] = [_("El puntaje debe ser un número entero.")]
        elif not criterion.scale_min <= value <= criterion.scale_max:
            errors[key] = [
                _("«%(c)s» va de %(lo)d a %(hi)d.")
                % {"c": criterion.name, "lo": criterion.scale_min, "hi": criterion.scale_max}
            ]
    _raise(errors)
    saved = []
    for criterion in criteria:
        score = Score.objects.filter(round=round, juror=actor, team=team, criterion=criterion).first()
        if score is None:
            score = Score(round=round, juror=actor, team=team, criterion=criterion, is_generated=is_generated)
        score.value = values[criterion.pk]
        score.comment = comment.strip()
        score._history_user = actor
        score.save()
        saved.append(score)
    publish("competitions.score_saved", {"round_id": round.pk})
    return saved


# --- pairwise rounds (Crowd-BT, for large events) -----------------------------------------------


def _pairwise_states(round_: Round):
    from mueve.competitions import crowdbt

    votes = [(v.juror_id, v.winner_id, v.loser_id) for v in round_.pairwise_votes.all()]
    return crowdbt.replay(votes, items=eligible_teams(round_).values_list("pk", flat=True))


def _pairwise_choose(round_: Round, assignment: PairwiseAssignment, states) -> int | None:
    from mueve.competitions import crowdbt
    from mueve.competitions.selectors import teams_for_juror

    seen = set(assignment.seen)
    candidates = {t.pk: states.items[t.pk] for t in teams_for_juror(round_=round_, user=assignment.juror)}
    candidates = {k: v for k, v in candidates.items() if k not in seen}
    if not candidates:
        return None
    annotator = states.annotators.get(assignment.juror_id, crowdbt.AnnotatorState())
    if assignment.current_id is None:
        # The first team: the least compared one (fewest votes), so coverage grows evenly.
        counts = {k: 0 for k in candidates}
        for v in round_.pairwise_votes.all():
            for k in (v.winner_id, v.loser_id):
                if k in counts:
                    counts[k] += 1
        return min(candidates, key=lambda k: (counts[k], k))
    return crowdbt.choose_next(annotator, states.items[assignment.current_id], candidates)


def _check_pairwise(actor: User, round_: Round) -> None:
    if not (crules.on_panel(actor, round_) and crules.is_juror(actor)):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if round_.mode != RoundMode.PAIRWISE:
        raise ValidationError({"__all__": [_("Esta ronda se evalúa con rúbrica, no por pares.")]})
    if round_.status != RoundStatus.SCORING:
        raise ValidationError({"__all__": [_("La ronda no está abierta a evaluación.")]})


@transaction.atomic
def pairwise_next(*, actor: User, round: Round, advance: bool = False) -> PairwiseAssignment:
    """The juror's place in the round, assigning the first team when there is none. With `advance`,
    a juror who has looked at the first team moves on to the second (nothing to compare yet)."""
    _check_pairwise(actor, round)
    assignment, _created = PairwiseAssignment.objects.select_for_update().get_or_create(round=round, juror=actor)
    if assignment.current_id is None and not assignment.seen:
        assignment.current_id = _pairwise_choose(round, assignment, _pairwise_states(round))
        if assignment.current_id:
            assignment.seen = [assignment.current_id]
        assignment.save()
    elif advance and assignment.previous_id is None and assignment.current_id is not None:
        following = _pairwise_choose(round, assignment, _pairwise_states(round))
        if following is not None:
            assignment.previous_id, assignment.current_id = assignment.current_id, following
            assignment.seen = [*assignment.seen, following]
            assignment.save()
    return assignment


@transaction.atomic
def pairwise_vote(*, actor: User, round: Round, current_wins: bool) -> PairwiseAssignment:
    """Records "the team I see now is better (or worse) than the one before" and moves on."""
    _check_pairwise(actor, round)
    assignment = PairwiseAssignment.objects.select_for_update().filter(round=round, juror=actor).first()
    if assignment is None or assignment.previous_id is None or assignment.current_id is None:
        raise ValidationError({"__all__": [_("No hay una comparación pendiente.")]})
    if any(crules.conflicted(actor, team) for team in (assignment.current, assignment.previous)):
        # A conflict declared (or arisen) after the pair was shown: that vote must not count.
        raise ValidationError(
            {"__all__": [_("Tiene un conflicto de interés con uno de estos equipos: no puede votar.")]}
        )
    winner, loser = (
        (assignment.current_id, assignment.previous_id)
        if current_wins
        else (assignment.previous_id, assignment.current_id)
    )
    PairwiseVote.objects.create(round=round, juror=actor, winner_id=winner, loser_id=loser)
    following = _pairwise_choose(round, assignment, _pairwise_states(round))
    assignment.previous_id = assignment.current_id
    assignment.current_id = following
    if following is not None:
        assignment.seen = [*assignment.seen, following]
    assignment.save()
    publish("competitions.pairwise_vote", {"round_id": round.pk})
    return assignment


@transaction.atomic
def round_close(*, actor: User, round: Round) -> Round:
    """Closes scoring and freezes the aggregate (see selectors.round_aggregate) in `round.result`."""
    from mueve.competitions.selectors import round_aggregate

    ensure_perm(actor, "competitions.manage_round", round.competition)
    if round.status != RoundStatus.SCORING:
        raise ValidationError({"__all__": [_("Solo se cierra una ronda en evaluación.")]})
    if not (round.scores.exists() or round.pairwise_votes.exists()):
        raise ValidationError({"__all__": [_("Nadie del jurado ha evaluado todavía.")]})
    if round.mode == RoundMode.PAIRWISE:
        round.result = _pairwise_result(round)
    else:
        round.result = round_aggregate(round).as_json()
    round.status = RoundStatus.CLOSED
    round.closed_at = timezone.now()
    round._history_user = actor
    round.save()
    publish("competitions.round_closed", {"round_id": round.pk})
    return round


def _pairwise_result(round_: Round) -> dict:
    """Crowd-BT ranking: highest mean belief first; equal means follow the published tie-break."""
    states = _pairwise_states(round_)
    position = {t: i for i, t in enumerate(round_.tie_break_order)}
    order = sorted(states.items, key=lambda t: (-states.items[t].mu, position.get(t, len(position)), t))
    crowd = {
        "order": [int(t) for t in order],
        "scores": {str(t): round(states.items[t].mu, 6) for t in order},
        "ties": [],
    }
    return {
        "method": "crowd-bt",
        "order": crowd["order"],
        "crowdbt": crowd,
        "copeland": {},
        "zscore": {},
        "kemeny": None,
        "kendall_w": None,
        "alpha": None,
        "disagreement": {"agree": True, "differing": [], "top_sets": {}},
        "juror_count": round_.pairwise_votes.values("juror").distinct().count(),
        "tie_break_order": list(round_.tie_break_order),
        "votes": round_.pairwise_votes.count(),
    }


@transaction.atomic
def selection_record(
    *,
    actor: User,
    round: Round,
    impact_picks: dict[int, str] | None = None,
    top_justification: str = "",
) -> list[Selection]:
    """First selection: the top N of the frozen ranking plus up to M social-impact picks (team id →
    justification) chosen by the jury from the rest. Replaces an earlier selection of the round."""
    from mueve.competitions import scoring

    ensure_perm(actor, "competitions.manage_round", round.competition)
    if round.status != RoundStatus.CLOSED:
        raise ValidationError({"__all__": [_("Primero cierre la ronda.")]})
    order = [int(t) for t in round.result.get("order", [])]
    picks = {int(k): v.strip() for k, v in (impact_picks or {}).items()}
    result = scoring.select(order, top_n=round.top_n, extra=picks, max_extra=round.impact_m)
    round.selections.all().delete()
    made = []
    for rank, team_id in enumerate(result.top, start=1):
        text = top_justification.strip() or _("Puesto %(n)d del ranking agregado del jurado.") % {"n": rank}
        made.append(
            Selection.objects.create(
                round=round,
                team_id=team_id,
                kind=SelectionKind.RANKING,
                rank=rank,
                justification=text,
                selected_by=actor,
            )
        )
    for pick in result.extra:
        made.append(
            Selection.objects.create(
                round=round,
                team_id=pick.entry,
                kind=SelectionKind.SOCIAL_IMPACT,
                justification=pick.justification,
                selected_by=actor,
            )
        )
    publish("competitions.selection_recorded", {"round_id": round.pk})
    return made


@transaction.atomic
def winners_record(*, actor: User, round: Round, winners: dict[int, str]) -> list[Selection]:
    """Final: the winners (team id → the jury's justification), normally the top of the final ranking."""
    ensure_perm(actor, "competitions.manage_round", round.competition)
    errors: dict[str, list[str]] = {}
    if round.stage != StageKind.FINAL:
        errors["__all__"] = [_("Los ganadores se eligen en la ronda final.")]
    elif round.status != RoundStatus.CLOSED:
        errors["__all__"] = [_("Primero cierre la ronda.")]
    if not winners:
        errors["winners"] = [_("Elija al menos un equipo ganador.")]
    eligible = set(eligible_teams(round).values_list("pk", flat=True))
    if any(int(t) not in eligible for t in winners):
        errors["winners"] = [_("Un equipo elegido no participó en la final.")]
    if any(not text.strip() for text in winners.values()):
        errors["justification"] = [_("Cada ganador necesita una justificación.")]
    _raise(errors)
    order = [int(t) for t in round.result.get("order", [])]
    round.selections.all().delete()
    return [
        Selection.objects.create(
            round=round,
            team_id=int(team_id),
            kind=SelectionKind.WINNER,
            rank=(order.index(int(team_id)) + 1) if int(team_id) in order else None,
            justification=text.strip(),
            selected_by=actor,
        )
        for team_id, text in winners.items()
    ]


# --- audience award -----------------------------------------------------------------------------


@transaction.atomic
def public_vote_cast(*, actor: User, team: Team) -> PublicVote:
    """One vote per verified account and competition, never for one's own team; counted apart from
    the jury and never mixed into its ranking."""
    competition = team.competition
    ensure_perm(actor, "competitions.public_vote", competition)
    errors: dict[str, list[str]] = {}
    if not competition.public_vote_open:
        errors["__all__"] = [_("La votación del público no está abierta.")]
    elif team.status != TeamStatus.ACTIVE or not team.submissions.exists():
        errors["team"] = [_("Ese equipo no participa en la votación.")]
    elif team.members.filter(user=actor).exists():
        errors["team"] = [_("No puede votar por su propio equipo.")]
    elif PublicVote.objects.filter(competition=competition, user=actor).exists():
        errors["__all__"] = [_("Ya votó en esta competencia: hay un voto por cuenta.")]
    _raise(errors)
    vote = PublicVote.objects.create(competition=competition, team=team, user=actor)
    publish("competitions.public_vote", {"competition_id": competition.pk})
    return vote


# --- acceleration milestones --------------------------------------------------------------------


@transaction.atomic
def milestone_add(*, actor: User, team: Team, title: str, due_on: date) -> Milestone:
    ensure_perm(actor, "competitions.update_milestone", team)
    if not title.strip():
        raise ValidationError({"title": [_("Escriba el hito.")]})
    return Milestone.objects.create(team=team, title=title.strip(), due_on=due_on)


@transaction.atomic
def milestone_mark_done(*, actor: User, milestone: Milestone, evidence_url: str = "") -> Milestone:
    ensure_perm(actor, "competitions.update_milestone", milestone.team)
    if milestone.status == MilestoneStatus.SIGNED_OFF:
        raise ValidationError({"__all__": [_("El hito ya fue aprobado.")]})
    milestone.status = MilestoneStatus.DONE
    milestone.evidence_url = evidence_url
    milestone.save()
    return milestone


@transaction.atomic
def milestone_sign_off(*, actor: User, milestone: Milestone) -> Milestone:
    ensure_perm(actor, "competitions.sign_off_milestone", milestone.team)
    if milestone.status != MilestoneStatus.DONE:
        raise ValidationError({"__all__": [_("El equipo aún no marca el hito como hecho.")]})
    milestone.status = MilestoneStatus.SIGNED_OFF
    milestone.signed_off_by = actor
    milestone.signed_off_at = timezone.now()
    milestone.save()
    publish("competitions.milestone_signed_off", {"team_id": milestone.team_id})
    return milestone
