from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from mueve.notifications.models import Delivery, PushSubscription


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Only whether notices went out: their text and recipients are the people's own business."""

    list_display = ("id", "channel", "status", "attempts", "sent_at", "error")
    list_filter = ("channel", "status")
    fields = ("channel", "status", "attempts", "sent_at", "error")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    """Which browsers receive pushes and whether their push service takes them. The full address and the keys stay
    out of sight: with them anyone could write to that phone. Removing a row stops the pushes to that browser."""

    list_display = ("id", "user", "service", "user_agent", "created_at", "last_success_at", "failures")
    list_filter = ("user_agent",)
    search_fields = ("user__username",)
    fields = ("user", "service", "user_agent", "created_at", "last_success_at", "failures")
    readonly_fields = fields
    list_select_related = ("user",)

    @admin.display(description=_("servicio de avisos"))
    def service(self, obj: PushSubscription) -> str:
        return obj.endpoint_host

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
