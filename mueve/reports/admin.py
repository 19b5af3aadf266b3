from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mueve.reports.models import (
    ApiKey,
    AttributeValue,
    Incident,
    Report,
    ReportStatusChange,
    Service,
    ServiceAttribute,
)


class ServiceAttributeInline(admin.TabularInline):
    model = ServiceAttribute
    extra = 0
    fields = ("order", "code", "datatype", "required", "variable", "description", "datatype_description")
    show_change_link = True


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "jurisdiction", "group", "agency", "alert_category", "type", "active")
    list_filter = ("jurisdiction", "group", "alert_category", "type", "active")
    search_fields = ("name", "code", "keywords")
    list_select_related = ("jurisdiction", "agency")
    autocomplete_fields = ("agency",)
    readonly_fields = ("metadata",)
    inlines = [ServiceAttributeInline]


class AttributeValueInline(admin.TabularInline):
    model = AttributeValue
    extra = 0


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(SimpleHistoryAdmin):
    list_display = ("code", "service", "datatype", "required", "order")
    list_filter = ("datatype", "service__jurisdiction")
    search_fields = ("code", "description", "service__code")
    list_select_related = ("service",)
    inlines = [AttributeValueInline]


@admin.register(ApiKey)
class ApiKeyAdmin(SimpleHistoryAdmin):
    # Keys are issued and revoked through the services (the key is shown once); the admin only reads.
    list_display = ("application_name", "status", "prefix", "approved_by", "approved_at", "created_at")
    list_filter = ("status",)
    search_fields = ("application_name", "prefix")
    readonly_fields = ("prefix", "status", "approved_by", "approved_at", "revoked_at", "requested_by")
    exclude = ("key_hash",)


class ReportStatusChangeInline(admin.TabularInline):
    model = ReportStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("field", "from_value", "to_value", "notes", "public", "changed_by", "changed_at")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("public_id", "service", "status", "moderation", "source", "requested_datetime")
    list_filter = ("status", "moderation", "source", "service__jurisdiction", "service")
    search_fields = ("public_id", "description", "address_string")
    list_select_related = ("service",)
    date_hierarchy = "requested_datetime"
    raw_id_fields = ("incident", "reporter", "api_key")
    readonly_fields = ("public_id", "token", "h3_cell", "idempotency_key", "requested_datetime")
    inlines = [ReportStatusChangeInline]


@admin.register(Incident)
class IncidentAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "service", "status", "report_count", "confidence", "agency", "opened_at")
    list_filter = ("status", "service__jurisdiction", "service")
    list_select_related = ("service", "agency")
    readonly_fields = ("h3_cell", "report_count", "confidence")
