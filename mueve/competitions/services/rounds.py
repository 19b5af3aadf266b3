"""Jury rounds: create, open, score with the rubric, close (a pairwise round's votes: pairwise.py).

- The tie-break order is fixed and published when the round opens (before any score exists).
- Closing a round freezes the aggregate ranking in `Round.result`; scores cannot change afterwards.
"""

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts.models import Role, User
from mueve.competitions import events
from mueve.competitions import rules as crules
from mueve.competitions.models import (
    Competition,
    Criterion,
    Round,
    RoundMode,
    RoundStatus,
    Score,
    StageKind,
    Team,
)
from mueve.competitions.selectors import eligible_teams, round_aggregate
from mueve.competitions.services._common import raise_errors
from mueve.competitions.services.pairwise import pairwise_result
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm


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
    elif (existing := competition.rounds.filter(stage=stage).first()) is not None:
        # One round per stage: its ranking and selection are what the stage decided. There is no reopening a
        # closed round (its result is frozen), so say which round it is and what can still be done with it.
        if existing.status == RoundStatus.CLOSED:
            hint = _("está cerrada y su resultado quedó congelado: no se reabre ni se reemplaza.")
        elif existing.status == RoundStatus.DRAFT:
            hint = _("está en preparación: ábrala desde la gestión de la competencia en lugar de crear otra.")
        else:
            hint = _("está en evaluación: el jurado puede evaluar en ella ahora.")
        errors["stage"] = [
            _("Ya existe la ronda «%(name)s» para la etapa %(stage)s; %(hint)s")
            % {"name": existing.name, "stage": StageKind(stage).label, "hint": hint}
        ]
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
    raise_errors(errors)
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
    publish(events.ROUND_OPENED, events.round_payload(round))
    return round


@transaction.atomic
def score_set(
    *, actor: User, round: Round, team: Team, values: dict[int, int], comment: str = "", is_generated: bool = False
) -> list[Score]:
    """Stores a juror's rubric for one team: one integer per criterion, inside its scale."""
    if not (crules.on_panel(actor, round) and actor.has_perm("competitions.score_team", team)):
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
    raise_errors(errors)
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
    publish(events.SCORE_SAVED, events.round_payload(round))
    return saved


def round_result(round_: Round) -> dict:
    """The aggregate a closed round freezes: Crowd-BT for pairwise rounds, the rubric aggregate otherwise."""
    if round_.mode == RoundMode.PAIRWISE:
        return pairwise_result(round_)
    return round_aggregate(round_).as_json()


@transaction.atomic
def round_close(*, actor: User, round: Round) -> Round:
    """Closes scoring and freezes the aggregate (see selectors.round_aggregate) in `round.result`."""
    ensure_perm(actor, "competitions.manage_round", round.competition)
    if round.status != RoundStatus.SCORING:
        raise ValidationError({"__all__": [_("Solo se cierra una ronda en evaluación.")]})
    if not (round.scores.exists() or round.pairwise_votes.exists()):
        raise ValidationError({"__all__": [_("Nadie del jurado ha evaluado todavía.")]})
    round.result = round_result(round)
    round.status = RoundStatus.CLOSED
    round.closed_at = timezone.now()
    round._history_user = actor
    round.save()
    publish(events.ROUND_CLOSED, events.round_payload(round))
    return round
