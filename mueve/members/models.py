from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MemberSettings(models.Model):
    """A person's choices that are not notices: kept apart from the account so other apps can read them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="member_settings"
    )
    # Cuido mi Barrio's public neighbourhood rankings leave this person out (their points still count for them).
    public_ranking_opt_out = models.BooleanField(_("fuera de los rankings públicos"), default=False)
    # Shown in the public rankings instead of the first name and initial, when the person chose one.
    public_alias = models.CharField(_("seudónimo en los rankings"), max_length=30, blank=True)
    updated_at = models.DateTimeField(_("actualizado el"), default=timezone.now)

    class Meta:
        verbose_name = _("ajustes de la persona")
        verbose_name_plural = _("ajustes de las personas")

    def __str__(self) -> str:
        return str(self.user_id)
