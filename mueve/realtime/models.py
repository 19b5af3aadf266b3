"""The stored live-event log: every published domain event, in commit order, for delivery and replay."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """One domain event. `id` is the Server-Sent Events id: it only grows, and rows commit in id order."""

    id = models.BigAutoField(_("identificador"), primary_key=True)
    kind = models.CharField(_("tipo"), max_length=80)
    topic = models.CharField(_("tema"), max_length=40)
    payload = models.JSONField(_("datos"), default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("creado el"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("evento en tiempo real")
        verbose_name_plural = _("eventos en tiempo real")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.id} {self.kind}"
