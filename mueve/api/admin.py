"""The developer portal in the admin: applications, their keys (made, approved and revoked through the services,
so the key is shown once and every process hears of a revocation), and their usage (read only)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from mueve.api import services
from mueve.api.models import ApiKey, Application, KeyUsage


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    extra = 0
    can_delete = False
    fields = ("name", "prefix", "status", "requests_per_minute", "requests_per_day", "last_used_at")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "organization", "created_at")
    search_fields = ("name", "owner__username", "contact_email")
    autocomplete_fields = ("owner", "organization")
    inlines = [ApiKeyInline]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "application", "status", "requests_per_minute", "requests_per_day", "last_used_at")
    list_filter = ("status",)
    search_fields = ("application__name", "name", "prefix")
    list_select_related = ("application",)
    autocomplete_fields = ("application",)
    actions = ["approve", "revoke"]
    history_fields = (
        "prefix",
        "status",
        "created_at",
        "requested_by",
        "approved_at",
        "approved_by",
        "revoked_at",
        "revoked_by",
        "last_used_at",
    )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("application", "name", "requests_per_minute", "requests_per_day")
        return ("application", "name", *self.history_fields, "requests_per_minute", "requests_per_day")

    def get_readonly_fields(self, request, obj=None):
        # An issued key keeps its application and name; its status changes through the actions, never by hand.
        return ("application", "name", *self.history_fields) if obj else ()

    def save_model(self, request, obj, form, change):
        per_minute, per_day = obj.requests_per_minute, obj.requests_per_day
        if change:
            services.key_quota_set(api_key=obj, actor=request.user, per_minute=per_minute, per_day=per_day)
            return
        api_key, key = services.key_create(application=obj.application, actor=request.user, name=obj.name)
        services.key_quota_set(api_key=api_key, actor=request.user, per_minute=per_minute, per_day=per_day)
        obj.pk = api_key.pk
        obj.refresh_from_db()
        messages.warning(request, _("Copie ahora la clave; no se volverá a mostrar: %(key)s") % {"key": key})

    @admin.action(description=_("Aprobar las claves elegidas"))
    def approve(self, request, queryset):
        for api_key in queryset.select_related("application"):
            try:
                api_key, key = services.key_approve(api_key=api_key, actor=request.user)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, f"{api_key}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
                continue
            if key:
                messages.warning(
                    request,
                    _("Clave de «%(app)s»; cópiela ahora, no se volverá a mostrar: %(key)s")
                    % {"app": api_key.application.name, "key": key},
                )
        messages.success(request, _("Listo."))

    @admin.action(description=_("Revocar las claves elegidas"))
    def revoke(self, request, queryset):
        for api_key in queryset:
            try:
                services.key_revoke(api_key=api_key, actor=request.user)
            except PermissionDenied:
                messages.error(request, _("No tiene permiso para revocar %(key)s.") % {"key": api_key})
        messages.success(request, _("Listo."))


@admin.register(KeyUsage)
class KeyUsageAdmin(admin.ModelAdmin):
    list_display = ("api_key", "hour", "surface", "count")
    list_filter = ("surface",)
    date_hierarchy = "hour"
    list_select_related = ("api_key__application",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
