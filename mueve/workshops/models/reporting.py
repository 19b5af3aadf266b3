"""The programme report's narrative texts and the workshop formats a methodology template carries."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.core.models import TimeStampedModel
from mueve.workshops.models.sessions import Kind


class ReportNarrative(TimeStampedModel):
    """The report's words a manager writes; the tables come from the database."""

    program = models.OneToOneField(
        "programs.Program", verbose_name=_("programa"), on_delete=models.CASCADE, related_name="report_narrative"
    )
    executive_summary = models.TextField(_("resumen ejecutivo"), blank=True)
    background = models.TextField(_("antecedentes"), blank=True)
    impact = models.TextField(_("impacto"), blank=True)
    replication = models.TextField(_("replicación"), blank=True)
    lessons = models.TextField(_("lecciones aprendidas"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("texto del informe")
        verbose_name_plural = _("textos del informe")


class WorkshopFormat(models.Model):
    """A workshop format of a methodology template: what a replicating city plans from."""

    template = models.ForeignKey(
        "programs.MethodologyTemplate",
        verbose_name=_("plantilla"),
        on_delete=models.CASCADE,
        related_name="workshop_formats",
    )
    component_key = models.SlugField(_("componente"), max_length=40)
    key = models.SlugField(_("clave"), max_length=60)
    order = models.PositiveSmallIntegerField(
        _("orden"),
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("título"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    structure = models.JSONField(_("estructura"), default=dict, blank=True)

    class Meta:
        verbose_name = _("formato de taller")
        verbose_name_plural = _("formatos de taller")
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="unique_workshop_format")]

    def __str__(self) -> str:
        return str(self.title)
