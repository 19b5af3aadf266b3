"""The open-data catalogue, seeded by the diagnosis inventory of Component 2.

Field names follow DCAT (dcat:Dataset): title, description, publisher, theme/keyword, format
(dct:format as a media type or plain name), accrualPeriodicity, accessRights, license.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.core.models import TimeStampedModel


class Periodicity(models.TextChoices):
    # Values are the Dublin Core frequency vocabulary terms (dct:accrualPeriodicity).
    CONTINUOUS = "continuous", _("Continua (tiempo real)")
    DAILY = "daily", _("Diaria")
    WEEKLY = "weekly", _("Semanal")
    MONTHLY = "monthly", _("Mensual")
    ANNUAL = "annual", _("Anual")
    IRREGULAR = "irregular", _("Irregular")
    UNKNOWN = "unknown", _("Desconocida")


class AccessRights(models.TextChoices):
    # EU access-right vocabulary: PUBLIC, RESTRICTED, NON_PUBLIC.
    PUBLIC = "public", _("Pública")
    RESTRICTED = "restricted", _("Restringida (por convenio)")
    NON_PUBLIC = "non_public", _("No pública")


class Dataset(TimeStampedModel):
    title = models.CharField(_("título"), max_length=200)
    slug = models.SlugField(_("identificador"), max_length=120, unique=True)
    description = models.TextField(_("contenido"), blank=True)
    publisher = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("institución dueña"),
        on_delete=models.PROTECT,
        related_name="datasets",
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("programa"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="datasets",
    )
    keyword = models.CharField(_("palabras clave"), max_length=255, blank=True)
    format = models.CharField(_("formato"), max_length=60, blank=True)
    accrual_periodicity = models.CharField(
        _("frecuencia de actualización"), max_length=20, choices=Periodicity.choices, default=Periodicity.UNKNOWN
    )
    access_rights = models.CharField(
        _("acceso"), max_length=20, choices=AccessRights.choices, default=AccessRights.NON_PUBLIC
    )
    license = models.CharField(_("licencia"), max_length=120, blank=True)
    landing_page = models.URLField(_("página"), blank=True)
    # Where the inventory found it (the diagnosis workshop of Component 2).
    identified_in = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("identificado en"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="datasets",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("conjunto de datos")
        verbose_name_plural = _("conjuntos de datos")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title
