"""Other catalogs this one harvests (a CKAN portal, or a DCAT-AP catalog)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mueve.core.models import TimeStampedModel


class HarvestSource(TimeStampedModel):
    class Kind(models.TextChoices):
        CKAN = "ckan", _("Portal CKAN (API de acciones)")
        DCAT = "dcat", _("Catálogo DCAT-AP (RDF)")

    name = models.CharField(_("nombre"), max_length=120)
    kind = models.CharField(_("tipo"), max_length=8, choices=Kind.choices)
    url = models.URLField(_("URL"), max_length=500)
    # Harvested datasets are published under this organization unless the source names a known one.
    publisher = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("institución por omisión"),
        on_delete=models.PROTECT,
        related_name="harvest_sources",
    )
    every_hours = models.PositiveSmallIntegerField(_("cosechar cada (horas)"), default=24)
    active = models.BooleanField(_("activa"), default=True)
    last_run_at = models.DateTimeField(_("última cosecha"), null=True, blank=True)
    last_result = models.JSONField(_("resultado de la última cosecha"), default=dict, blank=True)

    class Meta:
        verbose_name = _("fuente de cosecha")
        verbose_name_plural = _("fuentes de cosecha")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
