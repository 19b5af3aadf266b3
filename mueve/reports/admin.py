from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mueve.accounts.scopes import in_jurisdiction, jurisdiction_filter
from mueve.reports import services
from mueve.reports.models import (
    Adoption,
    Asset,
    AttributeValue,
    BannedContact,
    Incident,
    IncidentAssignment,
    IncidentChange,
    Report,
    ReportFeedback,
    ReportPhoto,
    ReportStatusChange,
    RewardPoint,
    RoutingRule,
    Service,
    ServiceAttribute,
)


class JurisdictionScopedAdminMixin:
    """Staff scoped to some jurisdictions (accounts.RoleScope) list, open and pick only those jurisdictions' rows;
    superusers and unscoped staff see every one. `scope_path` leads from the model to its jurisdiction's id.
    Another jurisdiction's row is missing from the list and its change page (the admin says it does not exist),
    and its history answers 403."""

    scope_path = "jurisdiction_id"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        jurisdictions = jurisdiction_filter(request.user)
        return queryset if jurisdictions is None else queryset.filter(**{f"{self.scope_path}__in": jurisdictions})

    def _in_scope(self, request, obj) -> bool:
        if obj is None or jurisdiction_filter(request.user) is None:
            return True
        value = obj
        for step in self.scope_path.split("__"):
            value = getattr(value, step, None)
        return in_jurisdiction(request.user, value)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The choices (and what a submitted form may name): the person's jurisdictions, and their services, areas,
        # incidents and reports.
        from mueve.territory.models import Jurisdiction

        jurisdictions = jurisdiction_filter(request.user)
        related = db_field.related_model
        if jurisdictions is not None and related is not None:
            if related is Jurisdiction:
                kwargs["queryset"] = Jurisdiction.objects.filter(pk__in=jurisdictions)
            elif any(field.name == "jurisdiction" for field in related._meta.get_fields()):
                kwargs["queryset"] = related._default_manager.filter(jurisdiction_id__in=jurisdictions)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReferenceDataAdminMixin:
    """Open311 and routing read services, keys and rules from memory for a few seconds: an edit here makes this
    process forget them at once (the other processes follow within selectors.REFERENCE_TTL_SECONDS)."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.reference_data_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.reference_data_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.reference_data_changed()


class ServiceAttributeInline(admin.TabularInline):
    model = ServiceAttribute
    extra = 0
    fields = ("order", "code", "datatype", "required", "variable", "description", "datatype_description")
    show_change_link = True


@admin.register(Service)
class ServiceAdmin(JurisdictionScopedAdminMixin, ReferenceDataAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "name",
        "code",
        "jurisdiction",
        "group",
        "agency",
        "alert_category",
        "fusion_radius_m",
        "fusion_window_minutes",
        "moderate_photos",
        "moderate_text",
        "active",
    )
    list_filter = ("jurisdiction", "group", "alert_category", "type", "moderate_photos", "moderate_text", "active")
    search_fields = ("name", "code", "keywords")
    list_select_related = ("jurisdiction", "agency")
    autocomplete_fields = ("agency",)
    readonly_fields = ("metadata",)
    inlines = [ServiceAttributeInline]


class AttributeValueInline(admin.TabularInline):
    model = AttributeValue
    extra = 0


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(JurisdictionScopedAdminMixin, ReferenceDataAdminMixin, SimpleHistoryAdmin):
    scope_path = "service__jurisdiction_id"
    list_display = ("code", "service", "datatype", "required", "order")
    list_filter = ("datatype", "service__jurisdiction")
    search_fields = ("code", "description", "service__code")
    list_select_related = ("service",)
    inlines = [AttributeValueInline]


class ReportStatusChangeInline(admin.TabularInline):
    model = ReportStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("field", "from_value", "to_value", "notes", "public", "changed_by", "changed_at", "data")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(JurisdictionScopedAdminMixin, admin.ModelAdmin):
    list_display = ("public_id", "service", "status", "moderation", "source", "requested_datetime")
    list_filter = ("status", "moderation", "source", "service__jurisdiction", "service")
    search_fields = ("public_id", "description", "address_string")
    list_select_related = ("service",)
    date_hierarchy = "requested_datetime"
    raw_id_fields = ("incident", "reporter", "api_key")
    # Moderation decisions go through the control centre's queue, which records them; not edited here.
    readonly_fields = (
        "public_id",
        "token",
        "h3_cell",
        "idempotency_key",
        "requested_datetime",
        "reporter_key",
        "description_review",
    )
    inlines = [ReportStatusChangeInline]


class IncidentAssignmentInline(admin.TabularInline):
    model = IncidentAssignment
    extra = 0
    can_delete = False
    readonly_fields = ("agency", "role", "rule", "reason", "actor", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


class IncidentChangeInline(admin.TabularInline):
    model = IncidentChange
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_status", "to_status", "note", "actor", "created_at", "data")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Incident)
class IncidentAdmin(JurisdictionScopedAdminMixin, SimpleHistoryAdmin):
    # Status changes go through the operators' services (audit, reports, points); the admin only reads them.
    list_display = ("__str__", "service", "status", "report_count", "confidence", "priority", "agency", "opened_at")
    list_filter = ("status", "service__jurisdiction", "service", "agency")
    list_select_related = ("service", "agency")
    date_hierarchy = "opened_at"
    readonly_fields = (
        "h3_cell",
        "report_count",
        "source_count",
        "confidence",
        "priority",
        "status",
        "resolution",
        "acknowledged_at",
        "dispatched_at",
        "closed_at",
        "routing_rule",
        "agency",
    )
    raw_id_fields = ("duplicate_of",)
    inlines = [IncidentAssignmentInline, IncidentChangeInline]


@admin.register(RoutingRule)
class RoutingRuleAdmin(JurisdictionScopedAdminMixin, ReferenceDataAdminMixin, SimpleHistoryAdmin):
    """Managers edit the routing here: category × area (× an answer) → agency, who else is told, and the order."""

    list_display = ("__str__", "jurisdiction", "service", "area", "condition", "agency", "notified", "order", "active")
    list_display_links = ("__str__",)
    list_editable = ("order", "active")
    list_filter = ("jurisdiction", "active", "service", "agency")
    list_select_related = ("jurisdiction", "service", "area", "agency")
    search_fields = ("name", "service__name", "area__name", "agency__name")
    autocomplete_fields = ("agency", "also_notify")
    ordering = ("jurisdiction", "order", "id")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("also_notify")

    @admin.display(description="condición")
    def condition(self, rule: RoutingRule) -> str:
        return f"{rule.attribute_code} = {rule.attribute_value}" if rule.attribute_code else "—"

    @admin.display(description="avisar también a")
    def notified(self, rule: RoutingRule) -> str:
        return ", ".join(o.acronym or o.name for o in rule.also_notify.all()) or "—"

    # reports.manage_routing on the rule: a regional manager edits their jurisdictions' rules only.
    def has_module_permission(self, request):
        return request.user.has_perm("reports.manage_routing")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("reports.manage_routing", obj)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("reports.manage_routing", obj)

    def has_add_permission(self, request):
        return request.user.has_perm("reports.manage_routing")

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("reports.manage_routing", obj)


@admin.register(IncidentAssignment)
class IncidentAssignmentAdmin(JurisdictionScopedAdminMixin, admin.ModelAdmin):
    scope_path = "incident__jurisdiction_id"
    list_display = ("incident", "agency", "role", "rule", "reason", "actor", "created_at")
    list_filter = ("role", "agency")
    list_select_related = ("incident", "incident__service", "agency", "rule", "actor")
    raw_id_fields = ("incident",)


@admin.register(BannedContact)
class BannedContactAdmin(SimpleHistoryAdmin):
    # Only a hash is stored; create bans with services.banned_contact_add (the value is never kept). The list holds
    # in every jurisdiction: staff scoped to some regions neither read nor change it (rule
    # reports.manage_banned_contacts), whatever model permissions they were given.
    list_display = ("kind", "hint", "reason", "active", "expires_at", "created_by", "created_at")
    list_filter = ("kind", "active")
    readonly_fields = ("kind", "hint", "created_by")

    def has_module_permission(self, request) -> bool:
        return self._national(request) and super().has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return self._national(request) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._national(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._national(request) and super().has_delete_permission(request, obj)

    @staticmethod
    def _national(request) -> bool:
        # Managers with the admin's model permissions reach this page; the rule asks the role and the scope.
        return request.user.has_perm("reports.manage_banned_contacts")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.forget_bans()  # the ban list is cached for the ingest path


@admin.register(Asset)
class AssetAdmin(JurisdictionScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "kind", "jurisdiction", "service", "active")
    list_filter = ("kind", "jurisdiction", "active")
    search_fields = ("name", "code")
    list_select_related = ("jurisdiction", "service")
    readonly_fields = ("h3_cell",)


@admin.register(Adoption)
class AdoptionAdmin(JurisdictionScopedAdminMixin, admin.ModelAdmin):
    scope_path = "asset__jurisdiction_id"
    list_display = ("asset", "user", "created_at")
    list_select_related = ("asset", "user")
    raw_id_fields = ("asset", "user")


@admin.register(RewardPoint)
class RewardPointAdmin(JurisdictionScopedAdminMixin, admin.ModelAdmin):
    scope_path = "report__jurisdiction_id"
    list_display = ("user", "points", "reason", "area", "report", "created_at")
    list_filter = ("reason", "area")
    list_select_related = ("user", "area", "report")
    raw_id_fields = ("user", "report")


@admin.register(ReportPhoto)
class ReportPhotoAdmin(JurisdictionScopedAdminMixin, admin.ModelAdmin):
    scope_path = "report__jurisdiction_id"
    list_display = ("report", "review", "content_type", "width", "height", "size_bytes", "created_at")
    list_filter = ("review",)
    raw_id_fields = ("report",)
    readonly_fields = ("token", "review")


@admin.register(ReportFeedback)
class ReportFeedbackAdmin(JurisdictionScopedAdminMixin, admin.ModelAdmin):
    """The reporters' «¿Quedó resuelto?»; an operator approves or rejects a waiting comment here."""

    scope_path = "report__jurisdiction_id"

    list_display = ("report", "fixed", "comment_review", "created_at")
    list_filter = ("fixed", "comment_review")
    raw_id_fields = ("report", "incident", "photo")
    readonly_fields = ("report", "incident", "fixed", "comment", "photo", "created_at")
