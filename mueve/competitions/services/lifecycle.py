"""Setting a competition up: the competition itself, its public flags, stage dates, prizes, partners."""

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.challenges.models import Challenge
from mueve.competitions import events
from mueve.competitions.models import (
    CORE_SKILLS,
    Competition,
    CompetitionKind,
    Contribution,
    Partner,
    Prize,
    RoundStatus,
    Skill,
    Stage,
    StageKind,
)
from mueve.competitions.services._common import raise_errors
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.core.slugs import save_with_unique_slug, slug_base
from mueve.programs.models import Program
from mueve.stakeholders.models import Organization


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
    kind: str = CompetitionKind.OPEN,
) -> Competition:
    ensure_perm(actor, "competitions.add_competition", program)
    errors: dict[str, list[str]] = {}
    if kind not in CompetitionKind.values:
        errors["kind"] = [_("Tipo de competencia desconocido.")]
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
    raise_errors(errors)
    competition = Competition(
        program=program,
        kind=kind,
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
    publish(events.COMPETITION_CREATED, events.competition_payload(competition))
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
    publish(events.COMPETITION_UPDATED, events.competition_payload(competition))
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
    raise_errors(errors)
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
