"""Component 2's outputs: the SWOT, the personas' visions, the roadmap lines and their initiatives."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.core.models import TimeStampedModel
from mueve.workshops.models.codesign import Tracked
from mueve.workshops.models.sessions import Workshop, WorkshopGroup


class Quadrant(models.TextChoices):
    STRENGTH = "S", _("Fortalezas")
    WEAKNESS = "W", _("Debilidades")
    OPPORTUNITY = "O", _("Oportunidades")
    THREAT = "T", _("Amenazas")


class SwotItem(TimeStampedModel):
    """Gathered in one institution's workshop; merged, voted and validated in the common session."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("programa"), on_delete=models.CASCADE, related_name="swot_items"
    )
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("taller de origen"), on_delete=models.CASCADE, related_name="swot_items"
    )
    institution = models.ForeignKey(
        "stakeholders.Organization", verbose_name=_("institución"), on_delete=models.SET_NULL, null=True, blank=True
    )
    quadrant = models.CharField(_("cuadrante"), max_length=1, choices=Quadrant.choices)
    text = models.CharField(_("texto"), max_length=300)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("fusionado en"), on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    votes = models.PositiveIntegerField(_("votos"), default=0)
    validated = models.BooleanField(_("validado"), default=False)
    is_generated = models.BooleanField(
        _("dato generado"), default=False, help_text=_("Inventado para la demostración.")
    )

    class Meta:
        verbose_name = _("elemento FODA")
        verbose_name_plural = _("elementos FODA")
        ordering = ["program", "quadrant", "-votes", "id"]

    def __str__(self) -> str:
        return self.text


class Vision(models.Model):
    workshop = models.ForeignKey(Workshop, verbose_name=_("taller"), on_delete=models.CASCADE, related_name="visions")
    group = models.ForeignKey(
        WorkshopGroup, verbose_name=_("grupo"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    persona = models.CharField(_("rol de usuario"), max_length=60)
    horizon_year = models.PositiveSmallIntegerField(_("año horizonte"))
    text = models.TextField(_("visión"))
    is_generated = models.BooleanField(
        _("dato generado"), default=False, help_text=_("Inventado para la demostración.")
    )

    class Meta:
        verbose_name = _("visión")
        verbose_name_plural = _("visiones")
        ordering = ["workshop", "id"]

    def __str__(self) -> str:
        return str(f"{self.persona} {self.horizon_year}")


class RoadmapLine(models.Model):
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("programa"), on_delete=models.CASCADE, related_name="roadmap_lines"
    )
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("taller"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("orden"))
    name = models.CharField(_("línea"), max_length=200)
    weight = models.FloatField(_("peso"), default=1.0, validators=[MinValueValidator(0.0)])

    class Meta:
        verbose_name = _("línea de la hoja de ruta")
        verbose_name_plural = _("líneas de la hoja de ruta")
        ordering = ["program", "order"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="unique_roadmap_line")]

    def __str__(self) -> str:
        return self.name


class Initiative(Tracked):
    line = models.ForeignKey(RoadmapLine, verbose_name=_("línea"), on_delete=models.CASCADE, related_name="initiatives")
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    name = models.CharField(_("iniciativa"), max_length=255)
    horizon = models.PositiveSmallIntegerField(_("horizonte (año)"))
    objectives = models.TextField(_("objetivos"), blank=True)
    resources = models.TextField(_("recursos"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("iniciativa")
        verbose_name_plural = _("iniciativas")
        ordering = ["line", "horizon", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["line", "name"], name="unique_initiative")]

    def __str__(self) -> str:
        return self.name


# --- component 4: innovation hub ------------------------------------------------------------------
