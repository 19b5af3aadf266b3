"""The open-data catalog: datasets (dcat:Dataset, a CKAN package) and their distributions (dcat:Distribution, a
CKAN resource). It grew out of the diagnosis inventory of Component 2: an inventoried dataset becomes public when
its steward publishes it.

Field names follow DCAT-AP 3; the controlled values and their URIs are in `vocab`.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.core.models import TimeStampedModel
from mueve.datasets.models.vocab import LICENSE_CHOICES, AccessRights, Periodicity


class Dataset(TimeStampedModel):
    class Status(models.TextChoices):
        INVENTORIED = "inventoried", _("Inventariado (no publicado)")
        PUBLISHED = "published", _("Publicado")
        WITHDRAWN = "withdrawn", _("Retirado")

    uuid = models.UUIDField(_("identificador universal"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("título"), max_length=200)
    slug = models.SlugField(_("identificador"), max_length=120, unique=True)
    description = models.TextField(_("contenido"), blank=True)
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.INVENTORIED)
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
    # Comma-separated; `keywords` gives the list.
    keyword = models.CharField(_("palabras clave"), max_length=255, blank=True)
    # Comma-separated EU data-theme codes (vocab.Theme); `themes_list` gives the list.
    themes = models.CharField(_("temas"), max_length=120, blank=True)
    # The inventory's free-text format, kept for datasets without distributions yet.
    format = models.CharField(_("formato"), max_length=60, blank=True)
    accrual_periodicity = models.CharField(
        _("frecuencia de actualización"), max_length=20, choices=Periodicity.choices, default=Periodicity.UNKNOWN
    )
    access_rights = models.CharField(
        _("acceso"), max_length=20, choices=AccessRights.choices, default=AccessRights.NON_PUBLIC
    )
    license = models.CharField(_("licencia"), max_length=40, choices=LICENSE_CHOICES, blank=True)
    landing_page = models.URLField(_("página"), blank=True)
    version = models.CharField(_("versión"), max_length=40, blank=True)
    # Spatial coverage: a jurisdiction, or a bounding box (WGS84), or both.
    spatial_jurisdiction = models.ForeignKey(
        "territory.Jurisdiction",
        verbose_name=_("cobertura espacial (jurisdicción)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    bbox_west = models.FloatField(
        _("límite oeste"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    bbox_south = models.FloatField(
        _("límite sur"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    bbox_east = models.FloatField(
        _("límite este"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    bbox_north = models.FloatField(
        _("límite norte"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    temporal_start = models.DateField(_("cobertura temporal desde"), null=True, blank=True)
    temporal_end = models.DateField(_("cobertura temporal hasta"), null=True, blank=True)
    # The contact point is an institutional address (a desk, not a person's private one): it is published.
    contact_name = models.CharField(_("punto de contacto"), max_length=120, blank=True)
    contact_email = models.EmailField(_("correo del punto de contacto"), blank=True)
    steward = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable del conjunto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stewarded_datasets",
    )
    issued = models.DateTimeField(_("publicado el"), null=True, blank=True)
    # When the data (not only the record) last changed: freshness is measured against the frequency from here.
    data_modified = models.DateTimeField(_("datos actualizados el"), null=True, blank=True)
    # Where the inventory found it (the diagnosis workshop of Component 2).
    identified_in = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("identificado en"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="datasets",
    )
    # Datasets the platform publishes about itself (incidents, GTFS, results, roadmap) carry their generator's key,
    # and are kept current by it (datasets.services.own_data).
    generator = models.CharField(_("generado por la plataforma"), max_length=60, blank=True)
    # Harvested from another catalog: the source and the id the dataset has there.
    harvest_source = models.ForeignKey(
        "datasets.HarvestSource",
        verbose_name=_("cosechado de"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="datasets",
    )
    harvest_identifier = models.CharField(_("identificador en la fuente"), max_length=200, blank=True)
    # Title, description, keywords and publisher in one text, for full-text search (kept by the services).
    search_text = models.TextField(_("texto de búsqueda"), blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("conjunto de datos")
        verbose_name_plural = _("conjuntos de datos")
        ordering = ["title"]
        permissions = [("manage_catalog", _("Puede administrar el catálogo de datos"))]
        indexes = [
            models.Index(fields=["status", "title"], name="dataset_status_title"),
            models.Index(fields=["harvest_source", "harvest_identifier"], name="dataset_harvest_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(bbox_west__isnull=True)
                | (models.Q(bbox_west__lte=models.F("bbox_east")) & models.Q(bbox_south__lte=models.F("bbox_north"))),
                name="dataset_bbox_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def keywords(self) -> list[str]:
        return [k.strip() for k in self.keyword.split(",") if k.strip()]

    @property
    def themes_list(self) -> list[str]:
        return [t.strip() for t in self.themes.split(",") if t.strip()]

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        if self.bbox_west is None:
            return None
        return (self.bbox_west, self.bbox_south, self.bbox_east, self.bbox_north)


def _distribution_upload_to(instance, filename: str) -> str:
    return f"catalog/{instance.dataset.uuid}/{instance.uuid}/{filename}"


class Distribution(TimeStampedModel):
    """One way to get a dataset: a file the platform keeps, an API endpoint, or a live feed."""

    class Kind(models.TextChoices):
        FILE = "file", _("Archivo")
        API = "api", _("API")
        FEED = "feed", _("Flujo en tiempo real")

    uuid = models.UUIDField(_("identificador universal"), default=uuid.uuid4, unique=True, editable=False)
    dataset = models.ForeignKey(
        Dataset, verbose_name=_("conjunto de datos"), on_delete=models.CASCADE, related_name="distributions"
    )
    title = models.CharField(_("título"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    kind = models.CharField(_("tipo"), max_length=8, choices=Kind.choices, default=Kind.FILE)
    # EU file-type code (vocab.FILE_TYPES).
    format = models.CharField(_("formato"), max_length=20, blank=True)
    media_type = models.CharField(_("tipo de medio"), max_length=100, blank=True)
    # A file the platform keeps (not under MEDIA: restricted files are served only through the catalog's checks).
    file = models.FileField(_("archivo"), upload_to=_distribution_upload_to, max_length=300, blank=True)
    # For an API, a feed, an external file, or a file the platform generates on request (own data).
    access_url = models.URLField(_("URL de acceso"), max_length=500, blank=True)
    byte_size = models.BigIntegerField(_("tamaño en bytes"), null=True, blank=True)
    checksum_sha256 = models.CharField(_("suma SHA-256"), max_length=64, blank=True)
    position = models.PositiveSmallIntegerField(_("orden"), default=0)
    # Tabular data loaded into the datastore (datasets.datastore): its table and its fields
    # ([{"id": "nombre", "type": "text|int|numeric|timestamp|bool"}]).
    datastore_table = models.CharField(_("tabla del almacén"), max_length=63, blank=True, editable=False)
    datastore_fields = models.JSONField(_("campos del almacén"), default=list, blank=True, editable=False)
    datastore_rows = models.BigIntegerField(_("filas en el almacén"), null=True, blank=True, editable=False)
    harvest_identifier = models.CharField(_("identificador en la fuente"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("distribución")
        verbose_name_plural = _("distribuciones")
        ordering = ["dataset", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def datastore_active(self) -> bool:
        return bool(self.datastore_table)
