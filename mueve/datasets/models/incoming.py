"""Data that organizations send in (the roadmap's "incoming data integration"): per distribution, how it arrives
(uploads, or a URL fetched on a schedule) and the Table Schema it is checked against; and every version received,
accepted or rejected, with its source file and its errors. The pipeline is in `mueve.datasets.incoming`.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from mueve.core.models import TimeStampedModel


class IncomingStorage(FileSystemStorage):
    """DATA_DIR/incoming, outside MEDIA_ROOT: a received file (a rejected one above all) is never served to the
    public; the steward gets it through a view that checks who asks. Read from the settings at each use."""

    @property
    def base_location(self):
        return str(Path(settings.DATA_DIR) / "incoming")

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def incoming_storage() -> FileSystemStorage:
    return IncomingStorage()


def _version_upload_to(instance, filename: str) -> str:
    return f"{instance.source.dataset.uuid}/{instance.source_id}/{instance.number:05d}/{Path(filename).name}"


class IncomingSource(TimeStampedModel):
    """How one distribution's data comes in. Created with its first upload or URL; the distribution itself is created
    with the first accepted version, so a rejected first upload leaves nothing on the public page."""

    class SchemaOrigin(models.TextChoices):
        NONE = "", _("Sin esquema aún")
        PROVIDED = "provided", _("Entregado por la institución")
        INFERRED = "inferred", _("Deducido de la primera versión aceptada")

    dataset = models.ForeignKey(
        "datasets.Dataset", verbose_name=_("conjunto de datos"), on_delete=models.CASCADE, related_name="incoming"
    )
    title = models.CharField(_("título"), max_length=200)
    distribution = models.OneToOneField(
        "datasets.Distribution",
        verbose_name=_("distribución"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="incoming",
    )
    # A Frictionless Table Schema descriptor ({"fields": [...], ...}); empty until given or inferred.
    table_schema = models.JSONField(_("esquema de tabla"), default=dict, blank=True)
    schema_origin = models.CharField(
        _("origen del esquema"), max_length=10, choices=SchemaOrigin.choices, default=SchemaOrigin.NONE, blank=True
    )
    url = models.URLField(_("URL a descargar"), max_length=500, blank=True)
    every_hours = models.PositiveSmallIntegerField(_("descargar cada (horas)"), null=True, blank=True)
    next_fetch_at = models.DateTimeField(_("próxima descarga"), null=True, blank=True, db_index=True)
    last_fetch_at = models.DateTimeField(_("última descarga"), null=True, blank=True)

    class Meta:
        verbose_name = _("entrada de datos")
        verbose_name_plural = _("entradas de datos")
        ordering = ["dataset", "title"]

    def __str__(self) -> str:
        return self.title


class IncomingVersion(models.Model):
    """One file received for a distribution. Only an accepted version is ever published; a rejected one keeps its
    errors for the steward and changes nothing."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Aceptada")
        REJECTED = "rejected", _("Rechazada")

    class Origin(models.TextChoices):
        UPLOAD = "upload", _("Subida")
        URL = "url", _("Descarga programada")

    source = models.ForeignKey(
        IncomingSource, verbose_name=_("entrada"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("número"))
    origin = models.CharField(_("origen"), max_length=8, choices=Origin.choices, default=Origin.UPLOAD)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("subida por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recibida el"), auto_now_add=True)
    original_name = models.CharField(_("nombre del archivo"), max_length=255, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    # The file as received (empty when it was refused before it was whole, e.g. too large).
    source_file = models.FileField(
        _("archivo recibido"), storage=incoming_storage, upload_to=_version_upload_to, max_length=300, blank=True
    )
    byte_size = models.BigIntegerField(_("tamaño en bytes"), null=True, blank=True)
    checksum_sha256 = models.CharField(_("suma SHA-256"), max_length=64, blank=True)
    # EU file-type code (vocab.FILE_TYPES): CSV, XLSX, GEOJSON or GTFS.
    format = models.CharField(_("formato"), max_length=20, blank=True)
    encoding = models.CharField(_("codificación detectada"), max_length=40, blank=True)
    delimiter = models.CharField(_("separador"), max_length=4, blank=True)
    row_count = models.BigIntegerField(_("filas"), null=True, blank=True)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices)
    # [{"row": n|None, "column": "name"|"", "message": "..."}], at most incoming.MAX_ERRORS of them.
    errors = models.JSONField(_("errores"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("número de errores"), default=0)
    warnings = models.JSONField(_("advertencias"), default=list, blank=True)

    class Meta:
        verbose_name = _("versión recibida")
        verbose_name_plural = _("versiones recibidas")
        ordering = ["source", "-number"]
        constraints = [models.UniqueConstraint(fields=["source", "number"], name="incoming_version_number")]

    def __str__(self) -> str:
        return f"{self.source} v{self.number}"

    @property
    def accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def hidden_errors(self) -> int:
        return max(self.error_count - len(self.errors), 0)
