import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Ciudadano/a")
    OFFICIAL = "official", _("Funcionario/a")
    OPERATOR = "operator", _("Operador/a de centro de control")
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


class ApiToken(models.Model):
    """A bearer token for outside developers and scripts. Only a hash of the key is stored."""

    user = models.ForeignKey(User, verbose_name=_("usuario"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nombre"), max_length=100)
    key_hash = models.CharField(_("huella de la clave"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefijo"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("último uso"), null=True, blank=True)
    revoked = models.BooleanField(_("revocado"), default=False)

    class Meta:
        verbose_name = _("token de API")
        verbose_name_plural = _("tokens de API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


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
