from django.contrib import admin

from mueve.realtime.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: the log is written by services and pruned by the recorder."""

    list_display = ["id", "kind", "topic", "created_at"]
    list_filter = ["topic", "kind"]
    search_fields = ["kind"]
    readonly_fields = ["id", "kind", "topic", "payload", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
