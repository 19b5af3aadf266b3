from django.contrib import admin

from mueve.notifications.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Only whether notices went out: their text and recipients are the people's own business."""

    list_display = ("id", "channel", "status", "attempts", "sent_at", "error")
    list_filter = ("channel", "status")
    fields = ("channel", "status", "attempts", "sent_at", "error")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
