from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AdoptionName(models.Model):
    """The name a citizen gives the light or stop they adopted ("la luz de mi pasaje"), shown to them only."""

    adoption = models.OneToOneField(
        "reports.Adoption", verbose_name=_("adopción"), on_delete=models.CASCADE, related_name="given_name"
    )
    name = models.CharField(_("nombre que le dio"), max_length=60)

    class Meta:
        verbose_name = _("nombre de una adopción")
        verbose_name_plural = _("nombres de adopciones")

    def __str__(self) -> str:
        return self.name


class Reward(models.Model):
    """Something the municipality gives to neighbours who take part (a certificate, a visit to the UOCT). Offered
    in one jurisdiction, and managed by the staff whose scope covers it; without one (national), it is offered
    everywhere and only the national level manages it (issue 20)."""

    name = models.CharField(_("nombre"), max_length=120)
    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction",
        verbose_name=_("jurisdicción"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rewards",
        help_text=_("Dónde se ofrece. Sin jurisdicción: en todo el país (solo el nivel nacional lo gestiona)."),
    )
    description = models.TextField(_("descripción"), blank=True)
    active = models.BooleanField(_("vigente"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("definido por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("creado el"), default=timezone.now)

    class Meta:
        verbose_name = _("premio")
        verbose_name_plural = _("premios")
        ordering = ["-active", "name"]
        constraints = [
            # A name once per jurisdiction (its citizens would not tell two apart), and once among national ones.
            models.UniqueConstraint(Lower("name"), "jurisdiction", name="unique_reward_name_per_jurisdiction"),
            models.UniqueConstraint(
                Lower("name"), condition=Q(jurisdiction__isnull=True), name="unique_national_reward_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RewardGrant(models.Model):
    """A record that a neighbour received a reward."""

    reward = models.ForeignKey(Reward, verbose_name=_("premio"), on_delete=models.PROTECT, related_name="grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("vecino/a"), on_delete=models.CASCADE, related_name="reward_grants"
    )
    granted_on = models.DateField(_("entregado el"), default=timezone.localdate)
    note = models.CharField(_("nota"), max_length=255, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrado por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registrado el"), default=timezone.now)

    class Meta:
        verbose_name = _("premio entregado")
        verbose_name_plural = _("premios entregados")
        ordering = ["-granted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.reward} → {self.user_id}"
