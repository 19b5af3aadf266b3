"""Component 1's outputs: concepts with their dot votes, prototypes, pilots and their feedback, and the
technology solutions."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.core.models import TimeStampedModel
from mueve.workshops.models.sessions import Registration, Workshop, WorkshopGroup


class TrackStatus(models.TextChoices):
    # The statuses G's rollup understands.
    PLANNED = "planned", _("Sin iniciar")
    IN_PROGRESS = "in_progress", _("En curso")
    DONE = "done", _("Cumplido")
    BLOCKED = "blocked", _("Detenido")
    CANCELLED = "cancelled", _("Descartado")


class Tracked(models.Model):
    """Accountability fields shared by everything followed after the workshops."""

    track_status = models.CharField(
        _("estado de avance"), max_length=20, choices=TrackStatus.choices, default=TrackStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("avance %"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    weight = models.FloatField(_("peso"), default=1.0, validators=[MinValueValidator(0.0)])
    responsible = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("responsable"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


# --- component 1: codesign --------------------------------------------------------------------------


class ConceptStatus(models.TextChoices):
    PROPOSED = "proposed", _("Propuesto")
    SELECTED = "selected", _("Seleccionado")
    NOT_SELECTED = "not_selected", _("No seleccionado")


class Concept(Tracked, TimeStampedModel):
    workshop = models.ForeignKey(Workshop, verbose_name=_("taller"), on_delete=models.CASCADE, related_name="concepts")
    group = models.ForeignKey(
        WorkshopGroup, verbose_name=_("grupo"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("nombre"), max_length=200)
    challenge = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("desafío que aborda"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concepts",
    )
    users = models.CharField(_("usuarios"), max_length=255, blank=True)
    description = models.TextField(_("descripción"))
    technology = models.CharField(_("tecnología"), max_length=255, blank=True)
    expected_value = models.TextField(_("valor esperado"), blank=True)
    status = models.CharField(
        _("decisión"), max_length=20, choices=ConceptStatus.choices, default=ConceptStatus.PROPOSED
    )
    decision_reason = models.TextField(_("razón de la decisión"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("concepto")
        verbose_name_plural = _("conceptos")
        ordering = ["workshop", "id"]
        constraints = [models.UniqueConstraint(fields=["workshop", "name"], name="unique_concept_name")]

    def __str__(self) -> str:
        return self.name


class DotVote(models.Model):
    concept = models.ForeignKey(Concept, verbose_name=_("concepto"), on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        Registration, verbose_name=_("votante"), on_delete=models.CASCADE, related_name="dot_votes"
    )
    dots = models.PositiveSmallIntegerField(_("puntos"), default=1)
    is_generated = models.BooleanField(
        _("dato generado"), default=False, help_text=_("Inventado para la demostración.")
    )

    class Meta:
        verbose_name = _("voto con puntos")
        verbose_name_plural = _("votos con puntos")
        constraints = [models.UniqueConstraint(fields=["concept", "voter"], name="unique_dot_vote")]

    def __str__(self) -> str:
        return str(f"{self.voter} · {self.concept}: {self.dots}")


class Prototype(TimeStampedModel):
    concept = models.ForeignKey(
        Concept, verbose_name=_("concepto"), on_delete=models.CASCADE, related_name="prototypes"
    )
    title = models.CharField(_("título"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    built_by = models.ForeignKey(
        "stakeholders.Organization", verbose_name=_("construido por"), on_delete=models.SET_NULL, null=True, blank=True
    )
    built_on = models.DateField(_("fecha"), null=True, blank=True)
    effort = models.CharField(_("esfuerzo"), max_length=120, blank=True)
    demonstrated_to = models.CharField(_("demostrado a"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("prototipo")
        verbose_name_plural = _("prototipos")


class Pilot(TimeStampedModel):
    concept = models.ForeignKey(Concept, verbose_name=_("concepto"), on_delete=models.CASCADE, related_name="pilots")
    description = models.TextField(_("descripción"))
    start_date = models.DateField(_("inicio"), null=True, blank=True)
    end_date = models.DateField(_("término"), null=True, blank=True)

    class Meta:
        verbose_name = _("piloto")
        verbose_name_plural = _("pilotos")


class PilotFeedback(models.Model):
    pilot = models.ForeignKey(Pilot, verbose_name=_("piloto"), on_delete=models.CASCADE, related_name="feedback")
    tester = models.CharField(_("persona que prueba (seudónimo)"), max_length=100)
    rating = models.PositiveSmallIntegerField(
        _("valoración (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comentario"), blank=True)
    date = models.DateField(_("fecha"))
    is_generated = models.BooleanField(
        _("dato generado"), default=False, help_text=_("Inventado para la demostración.")
    )

    class Meta:
        verbose_name = _("opinión sobre el piloto")
        verbose_name_plural = _("opiniones sobre pilotos")

    def __str__(self) -> str:
        return str(f"{self.tester}: {self.rating}/5")


# --- component 2: diagnosis, SWOT, vision, roadmap ---------------------------------------------------


class TechnologySolution(models.Model):
    workshop = models.ForeignKey(Workshop, verbose_name=_("taller"), on_delete=models.CASCADE, related_name="solutions")
    organization = models.ForeignKey(
        "stakeholders.Organization", verbose_name=_("institución"), on_delete=models.SET_NULL, null=True, blank=True
    )
    name = models.CharField(_("nombre"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    in_use = models.BooleanField(_("en uso"), default=True)

    class Meta:
        verbose_name = _("solución tecnológica")
        verbose_name_plural = _("soluciones tecnológicas")
        ordering = ["workshop", "name"]

    def __str__(self) -> str:
        return str(self.name)
