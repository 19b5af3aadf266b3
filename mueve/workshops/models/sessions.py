"""Workshops themselves: kind and status, invitations, groups, registrations, attachments, outputs."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.core.models import TimeStampedModel


class Kind(models.TextChoices):
    CODESIGN = "codesign", _("Codiseño")
    DIAGNOSIS = "diagnosis", _("Diagnóstico")
    SWOT = "swot", _("FODA")
    VISION = "vision", _("Visión")
    ROADMAP = "roadmap", _("Hoja de ruta")
    HUB = "hub", _("Cocreación del hub")
    ACCOUNTABILITY = "accountability", _("Rendición de cuentas")
    OTHER = "other", _("Otro")


class WorkshopStatus(models.TextChoices):
    PLANNED = "planned", _("Por planificar")
    SCHEDULED = "scheduled", _("Convocado")
    HELD = "held", _("Realizado")
    CANCELLED = "cancelled", _("Cancelado")


class Workshop(TimeStampedModel):
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("programa"), on_delete=models.CASCADE, related_name="workshops"
    )
    component = models.ForeignKey(
        "programs.Component",
        verbose_name=_("componente"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops",
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("título"), max_length=200)
    slug = models.SlugField(_("identificador"), max_length=120, unique=True)
    status = models.CharField(
        _("estado"), max_length=20, choices=WorkshopStatus.choices, default=WorkshopStatus.PLANNED
    )
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("Un punto por línea, p. ej. «09:00 Bienvenida»."))
    venue_organization = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("institución anfitriona"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_workshops",
    )
    venue_address = models.CharField(_("dirección"), max_length=255, blank=True)
    starts_at = models.DateTimeField(_("inicio"), null=True, blank=True)
    ends_at = models.DateTimeField(_("término"), null=True, blank=True)
    minutes = models.TextField(_("acta"), blank=True)
    # Component 1: how many dots each participant may place on the concepts.
    dots_per_participant = models.PositiveSmallIntegerField(
        _("puntos por participante"), default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    # Structure carried from the methodology template (personas, horizons, hub phases...).
    structure = models.JSONField(_("estructura"), default=dict, blank=True)
    format_key = models.SlugField(_("formato"), max_length=60, blank=True)
    # Public registration: anybody with an account signs up from the workshop's page, up to `capacity` seats; past
    # it they join the waiting list. Managers still register people by name (Registration without an account).
    public_registration = models.BooleanField(_("inscripción abierta al público"), default=False)
    capacity = models.PositiveIntegerField(
        _("cupos"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Vacío: sin límite. Quien se inscribe con los cupos llenos queda en lista de espera."),
    )
    registration_closes_at = models.DateTimeField(
        _("cierre de inscripciones"), null=True, blank=True, help_text=_("Vacío: hasta que empiece el taller.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("taller")
        verbose_name_plural = _("talleres")
        ordering = ["program", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(starts_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="workshop_times_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]

    @property
    def is_common_swot_session(self) -> bool:
        """The session where the institutions' SWOT items are merged, voted and validated together."""
        return self.kind == Kind.SWOT and (self.structure or {}).get("session") == "validation"


class ParticipantRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participante")
    FACILITATOR = "facilitator", _("Facilitador/a")
    EXPERT = "expert", _("Experto/a")
    OBSERVER = "observer", _("Observador/a")
    HOST = "host", _("Anfitrión")


class Invitation(models.Model):
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("taller"), on_delete=models.CASCADE, related_name="invitations"
    )
    organization = models.ForeignKey(
        "stakeholders.Organization", verbose_name=_("institución"), on_delete=models.CASCADE
    )
    role = models.CharField(_("rol"), max_length=20, choices=ParticipantRole.choices)
    seats = models.PositiveSmallIntegerField(_("cupos"), default=1)
    created_at = models.DateTimeField(_("creada el"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitación a taller")
        verbose_name_plural = _("invitaciones a talleres")
        ordering = ["workshop", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "organization", "role"], name="unique_workshop_invitation")
        ]

    def __str__(self) -> str:
        return str(f"{self.organization} → {self.workshop}")


class WorkshopGroup(models.Model):
    """A table of the workshop. Vision groups take a transport user's role (`persona`)."""

    workshop = models.ForeignKey(Workshop, verbose_name=_("taller"), on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField(_("número"))
    name = models.CharField(_("nombre"), max_length=120, blank=True)
    persona = models.CharField(_("rol de usuario"), max_length=60, blank=True)
    facilitator = models.CharField(_("facilitador/a"), max_length=200, blank=True)
    expert = models.CharField(_("experto/a"), max_length=200, blank=True)
    expert_organization = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("institución del experto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    spokesperson = models.ForeignKey(
        "Registration", verbose_name=_("vocero/a"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("grupo de taller")
        verbose_name_plural = _("grupos de taller")
        ordering = ["workshop", "number"]
        constraints = [models.UniqueConstraint(fields=["workshop", "number"], name="unique_workshop_group")]

    def __str__(self) -> str:
        return self.name or _("Grupo %(n)d") % {"n": self.number}


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Inscrito/a")
    WAITLISTED = "waitlisted", _("En lista de espera")
    CANCELLED = "cancelled", _("Cancelada")


class Registration(models.Model):
    """A person signed up for a workshop. Names are shown to managers only.

    A manager registers people by name (no account); a person with an account registers themselves on a workshop
    open to the public, once (`user` is unique per workshop), and is confirmed or waits for a seat. The waiting
    list is served in the order of `status_changed_at`: who joined it first gets the next seat."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("taller"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    full_name = models.CharField(_("nombre"), max_length=200)
    organization = models.ForeignKey(
        "stakeholders.Organization", verbose_name=_("institución"), on_delete=models.SET_NULL, null=True, blank=True
    )
    sector = models.CharField(_("sector"), max_length=20, blank=True)
    role = models.CharField(
        _("rol"), max_length=20, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT
    )
    attended = models.BooleanField(_("asistió"), default=False)
    group = models.ForeignKey(
        WorkshopGroup, verbose_name=_("grupo"), on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    status = models.CharField(
        _("estado de la inscripción"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
    )
    status_changed_at = models.DateTimeField(_("estado desde"), default=timezone.now)
    created_at = models.DateTimeField(_("inscrito el"), auto_now_add=True)

    class Meta:
        verbose_name = _("inscripción a taller")
        verbose_name_plural = _("inscripciones a talleres")
        ordering = ["workshop", "full_name", "id"]
        constraints = [
            # Names identify the people a manager registered by hand; two accounts may share a name.
            models.UniqueConstraint(
                fields=["workshop", "full_name"],
                condition=models.Q(user__isnull=True),
                name="unique_workshop_registration",
            ),
            models.UniqueConstraint(
                fields=["workshop", "user"], condition=models.Q(user__isnull=False), name="unique_workshop_user"
            ),
        ]
        indexes = [models.Index(fields=["workshop", "status", "status_changed_at"], name="ws_registration_queue_idx")]

    def __str__(self) -> str:
        return self.full_name


class Attachment(TimeStampedModel):
    class Type(models.TextChoices):
        PHOTO = "photo", _("Foto")
        DOCUMENT = "document", _("Documento")

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("taller"), on_delete=models.CASCADE, related_name="attachments"
    )
    type = models.CharField(_("tipo"), max_length=20, choices=Type.choices)
    title = models.CharField(_("título"), max_length=200)
    file = models.FileField(_("archivo"), upload_to="workshops/%Y/%m/")
    content_type = models.CharField(_("tipo de archivo"), max_length=100)
    size_bytes = models.PositiveIntegerField(
        _("tamaño (bytes)"),
    )

    class Meta:
        verbose_name = _("adjunto de taller")
        verbose_name_plural = _("adjuntos de talleres")
        ordering = ["workshop", "id"]


class Output(models.Model):
    """A workshop product written by a group: a phase output of the hub, a finding, a conclusion."""

    workshop = models.ForeignKey(Workshop, verbose_name=_("taller"), on_delete=models.CASCADE, related_name="outputs")
    group = models.ForeignKey(
        WorkshopGroup, verbose_name=_("grupo"), on_delete=models.SET_NULL, null=True, blank=True, related_name="outputs"
    )
    phase = models.CharField(_("fase"), max_length=60, blank=True)
    title = models.CharField(_("título"), max_length=200)
    text = models.TextField(_("texto"), blank=True)
    is_generated = models.BooleanField(
        _("dato generado"), default=False, help_text=_("Inventado para la demostración.")
    )

    class Meta:
        verbose_name = _("producto de taller")
        verbose_name_plural = _("productos de talleres")
        ordering = ["workshop", "phase", "id"]

    def __str__(self) -> str:
        return str(self.title)


# --- accountability ---------------------------------------------------------------------------------
