from django.contrib import admin

from mueve.accounts.scopes import jurisdiction_filter
from mueve.realtime.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: the log is written by services and pruned by the recorder. Staff scoped to some jurisdictions
    read only the events about them (the payload's `jurisdiction_id`, as the live stream filters them)."""

    list_display = ["id", "kind", "topic", "created_at"]
    list_filter = ["topic", "kind"]
    search_fields = ["kind"]
    readonly_fields = ["id", "kind", "topic", "payload", "created_at"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        jurisdictions = jurisdiction_filter(request.user)
        return queryset if jurisdictions is None else queryset.filter(payload__jurisdiction_id__in=list(jurisdictions))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
