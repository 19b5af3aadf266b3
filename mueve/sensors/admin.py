from django.contrib import admin

from mueve.reports.admin import JurisdictionScopedAdminMixin
from mueve.sensors.models import Device, NgsiNotification, NgsiSubscription, RejectedReading, Rule, RuleFiring


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["uid", "name", "kind", "owner", "jurisdiction", "status", "last_seen_at"]
    list_filter = ["kind", "status", "jurisdiction"]
    search_fields = ["uid", "name"]
    readonly_fields = ["key_prefix", "last_seen_at"]
    exclude = ["key_hash", "broker_hash"]

    def has_add_permission(self, request):
        return False  # provisioning issues a secret: from the devices page, which shows it once


@admin.register(RejectedReading)
class RejectedReadingAdmin(admin.ModelAdmin):
    list_display = ["received_at", "device_uid", "via", "reason", "detail"]
    list_filter = ["reason", "via"]
    readonly_fields = [f.name for f in RejectedReading._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(NgsiSubscription)
class NgsiSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["sub_id", "api_key", "endpoint", "created_at"]
    search_fields = ["sub_id", "endpoint"]
    readonly_fields = ["sub_id", "api_key", "created_at"]

    def has_add_permission(self, request):
        return False  # created by applications through /ngsi-ld/v1/subscriptions


@admin.register(NgsiNotification)
class NgsiNotificationAdmin(admin.ModelAdmin):
    list_display = ["notification_id", "subscription", "created_at", "attempts", "delivered_at", "last_error"]
    list_filter = ["delivered_at"]
    readonly_fields = [f.name for f in NgsiNotification._meta.fields]


@admin.register(Rule)
class RuleAdmin(JurisdictionScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "jurisdiction", "device_kind", "device", "metric", "kind", "action", "active"]
    list_filter = ["kind", "action", "active", "jurisdiction"]
    search_fields = ["name", "metric"]
    raw_id_fields = ["device"]


@admin.register(RuleFiring)
class RuleFiringAdmin(JurisdictionScopedAdminMixin, admin.ModelAdmin):
    scope_path = "rule__jurisdiction_id"
    list_display = ["started_at", "ended_at", "rule", "device", "incident"]
    list_filter = ["rule"]
    readonly_fields = [f.name for f in RuleFiring._meta.fields]

    def has_add_permission(self, request):
        return False


from mueve.sensors.bicipark import admin as bicipark_admin  # noqa: E402, F401 (i-BiciPark)
from mueve.sensors.shelters import admin as shelters_admin  # noqa: E402, F401 (registers the shelters)
