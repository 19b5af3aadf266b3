from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Ciudadano/a")
    OFFICIAL = "official", _("Funcionario/a")
    OPERATOR = "operator", _("Operador/a de centro de control")
    # SAMU 131, Bomberos 132, Carabineros 133: the only role that reads the emergency notes of rural places.
    EMERGENCY = "emergency", _("Servicio de emergencia (SAMU, Bomberos, Carabineros)")
    PARTICIPANT = "participant", _("Participante (emprendedor/a)")
    MENTOR = "mentor", _("Mentor/a")
    JUROR = "juror", _("Jurado")
    MANAGER = "manager", _("Gestor/a de programa")
    ADMIN = "admin", _("Administrador/a")


class User(AbstractUser):
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    organization = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("organización"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Obligatoria para funcionarios: la institución a la que pertenece."),
    )
    phone = models.CharField(_("teléfono"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_platform_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN


class RoleScope(models.Model):
    """Where a person's role holds. A person without any scope holds their role across the platform (the
    ministry's national Smart City Unit, the platform's own staff); with scopes, only in those jurisdictions and
    programmes: a Temuco operator triages Temuco's incidents, a programme's manager manages that programme."""

    user = models.ForeignKey(User, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="role_scopes")
    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction",
        verbose_name=_("jurisdicción"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("programa"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_by = models.ForeignKey(
        User, verbose_name=_("otorgado por"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("otorgado el"), auto_now_add=True)

    class Meta:
        verbose_name = _("ámbito de rol")
        verbose_name_plural = _("ámbitos de rol")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(jurisdiction__isnull=True) & models.Q(program__isnull=False))
                | (models.Q(jurisdiction__isnull=False) & models.Q(program__isnull=True)),
                name="role_scope_one_kind",
            ),
            models.UniqueConstraint(fields=["user", "jurisdiction"], name="role_scope_unique_jurisdiction"),
            models.UniqueConstraint(fields=["user", "program"], name="role_scope_unique_program"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.jurisdiction or self.program}"
