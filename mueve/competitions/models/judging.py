"""Jury rounds: the rubric, conflicts of interest, scores, and the selection recorded with its justifications."""

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.competitions.models.setup import Competition, StageKind
from mueve.competitions.models.teams import Team
from mueve.core.models import TimeStampedModel

USER = settings.AUTH_USER_MODEL


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("En preparación")
    SCORING = "scoring", _("En evaluación")
    CLOSED = "closed", _("Cerrada")


class RoundMode(models.TextChoices):
    RUBRIC = "rubric", _("Rúbrica ponderada")
    PAIRWISE = "pairwise", _("Comparación por pares (Crowd-BT)")


class Round(TimeStampedModel):
    """A jury round: first selection (judges hackathon submissions) or final (judges acceleration)."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competencia"), on_delete=models.CASCADE, related_name="rounds"
    )
    stage = models.CharField(_("etapa"), max_length=20, choices=StageKind.choices)
    submission_stage = models.CharField(_("entregas evaluadas"), max_length=20, choices=StageKind.choices)
    name = models.CharField(_("nombre"), max_length=120)
    status = models.CharField(_("estado"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    mode = models.CharField(_("modo"), max_length=20, choices=RoundMode.choices, default=RoundMode.RUBRIC)
    jurors = models.ManyToManyField(USER, verbose_name=_("panel"), blank=True, related_name="jury_rounds")
    tie_break = models.TextField(
        _("regla de desempate"),
        help_text=_("Se publica antes de evaluar y no cambia después."),
    )
    tie_break_order = models.JSONField(
        _("orden de desempate publicado"),
        default=list,
        blank=True,
        help_text=_("Identificadores de los equipos, fijado al abrir la evaluación."),
    )
    top_n = models.PositiveSmallIntegerField(_("seleccionados por puntaje"), default=5)
    impact_m = models.PositiveSmallIntegerField(_("seleccionados por impacto social"), default=2)
    closed_at = models.DateTimeField(_("cerrada el"), null=True, blank=True)
    result = models.JSONField(_("resultado congelado al cerrar"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ronda de evaluación")
        verbose_name_plural = _("rondas de evaluación")
        ordering = ["competition", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["competition", "stage"], name="competitions_round_stage")]

    def __str__(self) -> str:
        return self.name

    @cached_property
    def scores_generated(self) -> bool:
        """Some of the round's scores were invented for the demo: its ranking is labelled so."""
        return self.scores.filter(is_generated=True).exists()


class Criterion(models.Model):
    round = models.ForeignKey(Round, verbose_name=_("ronda"), on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterio"), max_length=120)
    weight = models.PositiveSmallIntegerField(_("peso (%)"))
    scale_min = models.SmallIntegerField(_("mínimo"), default=1)
    scale_max = models.SmallIntegerField(_("máximo"), default=5)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("criterio")
        verbose_name_plural = _("criterios")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class ConflictReason(models.TextChoices):
    SAME_ORGANIZATION = "same_organization", _("Misma organización")
    MENTOR = "mentor", _("Mentor/a del equipo")
    FAMILY = "family", _("Relación familiar")
    FINANCIAL = "financial", _("Relación financiera")
    OTHER = "other", _("Otra")


class Conflict(models.Model):
    """A juror's declared conflict of interest with a team: the juror never sees nor scores it."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competencia"), on_delete=models.CASCADE, related_name="conflicts"
    )
    juror = models.ForeignKey(USER, verbose_name=_("jurado"), on_delete=models.CASCADE, related_name="jury_conflicts")
    team = models.ForeignKey(Team, verbose_name=_("equipo"), on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("motivo"), max_length=20, choices=ConflictReason.choices)
    note = models.CharField(_("detalle"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("declarado el"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflicto de interés")
        verbose_name_plural = _("conflictos de interés")
        constraints = [models.UniqueConstraint(fields=["juror", "team"], name="competitions_conflict_unique")]

    def __str__(self) -> str:
        return f"{self.juror} ✕ {self.team}"


class Score(models.Model):
    round = models.ForeignKey(Round, verbose_name=_("ronda"), on_delete=models.CASCADE, related_name="scores")
    juror = models.ForeignKey(USER, verbose_name=_("jurado"), on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, verbose_name=_("equipo"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterio"), on_delete=models.CASCADE, related_name="scores"
    )
    value = models.SmallIntegerField(_("puntaje"))
    comment = models.TextField(_("comentario"), blank=True)
    is_generated = models.BooleanField(_("datos generados"), default=False)
    updated_at = models.DateTimeField(_("actualizado el"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("puntaje")
        verbose_name_plural = _("puntajes")
        constraints = [
            models.UniqueConstraint(fields=["round", "juror", "team", "criterion"], name="competitions_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.juror} {self.team} {self.criterion}: {self.value}"


class SelectionKind(models.TextChoices):
    RANKING = "ranking", _("Por puntaje")
    SOCIAL_IMPACT = "social_impact", _("Por impacto social")
    WINNER = "winner", _("Ganador")


class Selection(models.Model):
    round = models.ForeignKey(Round, verbose_name=_("ronda"), on_delete=models.CASCADE, related_name="selections")
    team = models.ForeignKey(Team, verbose_name=_("equipo"), on_delete=models.CASCADE, related_name="selections")
    kind = models.CharField(_("tipo"), max_length=20, choices=SelectionKind.choices)
    rank = models.PositiveSmallIntegerField(_("posición"), null=True, blank=True)
    justification = models.TextField(_("justificación"))
    selected_by = models.ForeignKey(
        USER, verbose_name=_("seleccionado por"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("selección")
        verbose_name_plural = _("selecciones")
        ordering = ["round", "kind", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "team"], name="competitions_selection_unique")]

    def __str__(self) -> str:
        return f"{self.round}: {self.team} ({self.kind})"
