from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.core.models import TimeStampedModel


class Interview(TimeStampedModel):
    """A context interview with an official: where challenges come from (component 1)."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("programa"), on_delete=models.CASCADE, related_name="interviews"
    )
    component = models.ForeignKey(
        "programs.Component", verbose_name=_("componente"), on_delete=models.SET_NULL, null=True, blank=True
    )
    institution = models.ForeignKey(
        "stakeholders.Organization", verbose_name=_("institución"), on_delete=models.PROTECT, related_name="interviews"
    )
    person = models.ForeignKey(
        "stakeholders.Person", verbose_name=_("persona entrevistada"), on_delete=models.SET_NULL, null=True, blank=True
    )
    interviewee_name = models.CharField(_("nombre de la persona entrevistada"), max_length=200, blank=True)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entrevistador/a"), on_delete=models.SET_NULL, null=True, blank=True
    )
    date = models.DateField(_("fecha"))
    notes = models.TextField(_("notas"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entrevista")
        verbose_name_plural = _("entrevistas")
        ordering = ["-date", "institution__name"]

    def __str__(self) -> str:
        return f"{self.institution} — {self.date:%Y-%m-%d}"


class Kind(models.TextChoices):
    CONCRETE = "concrete", _("Concreto (solución tecnológica rápida)")
    ABSTRACT = "abstract", _("Abstracto (requiere una competencia)")


KIND_SHORT_LABELS = {Kind.CONCRETE: _("Concreto"), Kind.ABSTRACT: _("Abstracto")}


class Status(models.TextChoices):
    IDENTIFIED = "identified", _("Identificado")
    VALIDATED = "validated", _("Validado")
    PUBLISHED = "published", _("Publicado")
    ADDRESSING = "addressing", _("En abordaje")
    SOLVED = "solved", _("Resuelto")


PUBLIC_STATUSES = (Status.PUBLISHED, Status.ADDRESSING, Status.SOLVED)


class AddressedVia(models.TextChoices):
    CONCEPT = "concept", _("Un concepto (taller de codiseño)")
    COMPETITION = "competition", _("Una competencia")


ADDRESSED_VIA_SHORT_LABELS = {AddressedVia.CONCEPT: _("Concepto"), AddressedVia.COMPETITION: _("Competencia")}


class Challenge(TimeStampedModel):
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("programa"), on_delete=models.CASCADE, related_name="challenges"
    )
    title = models.CharField(
        _("desafío (como pregunta)"),
        max_length=255,
        help_text=_("Por ejemplo: ¿Cómo reducir el vandalismo en paraderos?"),
    )
    slug = models.SlugField(_("identificador"), max_length=120, unique=True)
    description = models.TextField(_("descripción"), blank=True)
    owner = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("institución dueña"),
        on_delete=models.PROTECT,
        related_name="owned_challenges",
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("estado"), max_length=20, choices=Status.choices, default=Status.IDENTIFIED)
    # How the programme chose to address it. *What* addresses it is not stored here: it is the
    # competitions that offer it and the workshop concepts made for it (selectors.addressed_by).
    addressed_via = models.CharField(_("abordado mediante"), max_length=20, choices=AddressedVia.choices, blank=True)
    component = models.ForeignKey(
        "programs.Component", verbose_name=_("componente"), on_delete=models.SET_NULL, null=True, blank=True
    )
    interviews = models.ManyToManyField(
        Interview, verbose_name=_("entrevistas de origen"), blank=True, related_name="challenges"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("creado por"), on_delete=models.SET_NULL, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("desafío")
        verbose_name_plural = _("desafíos")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_kind_short_display(self) -> str:
        """The kind in one word, for badges ("Concreto", "Abstracto")."""
        return KIND_SHORT_LABELS.get(self.kind, self.kind)

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES


class StatusChange(models.Model):
    challenge = models.ForeignKey(
        Challenge, verbose_name=_("desafío"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("desde"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("hacia"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("por"), on_delete=models.SET_NULL, null=True, blank=True
    )
    note = models.TextField(_("nota"), blank=True)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("cambio de estado")
        verbose_name_plural = _("cambios de estado")

    def __str__(self) -> str:
        return f"{self.challenge}: {self.from_status or '—'} → {self.to_status}"
