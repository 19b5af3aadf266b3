"""Data-sharing agreements, the log of accesses to non-public data, and the programme's open data policy.

An agreement names its parties (at least two organizations), the datasets that flow under it, and who may read
them: for a restricted agreement, the organizations it names as grantees (none named: its parties). Its status
moves draft → signed → active → expired or revoked, only through datasets.services.agreements; an active agreement
whose end date has passed reads as expired (datasets.selectors.agreements.effective_status) before the daily
`expire_agreements` command stores it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.core.models import TimeStampedModel
from mueve.datasets.models.vocab import LICENSE_CHOICES


def _agreement_document_to(instance, filename: str) -> str:
    # Not under a public URL: the signed document is served only by the agreement's page, to parties and managers.
    return f"agreements/{instance.uuid}/{uuid.uuid4().hex[:8]}.pdf"


def _policy_document_to(instance, filename: str) -> str:
    return f"policies/{instance.program_id or 'general'}/{uuid.uuid4().hex[:8]}.pdf"


class Agreement(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        SIGNED = "signed", _("Firmado")
        ACTIVE = "active", _("Vigente")
        EXPIRED = "expired", _("Vencido")
        REVOKED = "revoked", _("Revocado")

    class AccessLevel(models.TextChoices):
        OPEN = "open", _("Abierto")
        REGISTERED = "registered", _("Con registro (clave de la API)")
        RESTRICTED = "restricted", _("Restringido a las organizaciones nombradas")

    uuid = models.UUIDField(_("identificador universal"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("título"), max_length=200)
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("programa"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="data_agreements",
    )
    parties = models.ManyToManyField(
        "stakeholders.Organization", verbose_name=_("partes"), related_name="data_agreements"
    )
    # Empty: the parties are the organizations the agreement grants access to.
    grantees = models.ManyToManyField(
        "stakeholders.Organization",
        verbose_name=_("organizaciones autorizadas"),
        related_name="granted_data_agreements",
        blank=True,
        help_text=_("Vacío: las partes del convenio."),
    )
    datasets = models.ManyToManyField(
        "datasets.Dataset", verbose_name=_("conjuntos de datos"), related_name="agreements", blank=True
    )
    purpose = models.TextField(_("propósito"))
    terms = models.TextField(_("condiciones"), blank=True)
    license = models.CharField(_("licencia"), max_length=40, choices=LICENSE_CHOICES, blank=True)
    access_level = models.CharField(
        _("nivel de acceso"), max_length=12, choices=AccessLevel.choices, default=AccessLevel.RESTRICTED
    )
    start_date = models.DateField(_("inicio"), null=True, blank=True)
    # Empty: no end date (until revoked).
    end_date = models.DateField(_("término"), null=True, blank=True)
    signed_document = models.FileField(
        _("documento firmado"), upload_to=_agreement_document_to, max_length=200, blank=True
    )
    signed_on = models.DateField(_("firmado el"), null=True, blank=True)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(_("estado cambiado el"), null=True, blank=True)
    revoked_reason = models.TextField(_("motivo de la revocación"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("creado por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(m2m_fields=[parties, grantees, datasets])

    class Meta:
        verbose_name = _("convenio de datos")
        verbose_name_plural = _("convenios de datos")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="agreement_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AccessLogEntry(models.Model):
    """One access (or refused attempt) to a registered, restricted or non-public dataset's resources."""

    class Surface(models.TextChoices):
        PAGE = "page", _("Página del catálogo")
        DOWNLOAD = "download", _("Descarga")
        CKAN = "ckan", _("API CKAN")
        DATASTORE = "datastore", _("Consulta al almacén (datastore)")

    dataset = models.ForeignKey(
        "datasets.Dataset", verbose_name=_("conjunto de datos"), on_delete=models.CASCADE, related_name="access_log"
    )
    distribution = models.ForeignKey(
        "datasets.Distribution",
        verbose_name=_("distribución"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("organización"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    surface = models.CharField(_("vía"), max_length=10, choices=Surface.choices)
    allowed = models.BooleanField(_("permitido"))
    status = models.PositiveSmallIntegerField(_("código HTTP"), default=200)
    reason = models.CharField(_("motivo"), max_length=300, blank=True)
    at = models.DateTimeField(_("fecha y hora"), default=timezone.now)

    class Meta:
        verbose_name = _("acceso a datos")
        verbose_name_plural = _("registro de accesos a datos")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["dataset", "-at"], name="access_log_dataset_at")]

    def __str__(self) -> str:
        return f"{self.dataset_id} · {self.surface} · {self.at:%Y-%m-%d %H:%M}"


class DataPolicy(TimeStampedModel):
    """The open data policy a programme publishes; each publication is a new version, earlier ones stay readable."""

    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("programa"),
        on_delete=models.CASCADE,
        related_name="data_policies",
    )
    title = models.CharField(_("título"), max_length=200)
    # Plain text: blank lines separate paragraphs, "# " starts a heading, "- " a list item. No HTML is rendered.
    body = models.TextField(_("texto"))
    version = models.CharField(_("versión"), max_length=20)
    published_at = models.DateTimeField(_("publicada el"), default=timezone.now)
    document = models.FileField(_("documento PDF"), upload_to=_policy_document_to, max_length=200, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publicada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("política de datos abiertos")
        verbose_name_plural = _("políticas de datos abiertos")
        ordering = ["-published_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["program", "version"], name="datapolicy_program_version")]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"
