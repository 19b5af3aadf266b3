"""i-BiciPark in the admin: racks and slots to look at and rename; alarms and check-ins read only (they are the
record of who closed what, and why)."""

from django.contrib import admin

from mueve.sensors.bicipark.models import Parking, Rack, Slot, TheftAlarm


class SlotInline(admin.TabularInline):
    model = Slot
    extra = 0
    readonly_fields = ["number", "code", "device"]
    can_delete = False


@admin.register(Rack)
class RackAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "organization", "jurisdiction"]
    search_fields = ["name", "slug"]
    readonly_fields = ["camera"]
    inlines = [SlotInline]


@admin.register(Parking)
class ParkingAdmin(admin.ModelAdmin):
    list_display = ["slot", "checked_in_at", "unlocked_at"]
    readonly_fields = [f.name for f in Parking._meta.fields]


@admin.register(TheftAlarm)
class TheftAlarmAdmin(admin.ModelAdmin):
    list_display = ["slot", "triggered_at", "status", "closed_by", "closed_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in TheftAlarm._meta.fields]

    def has_add_permission(self, request):
        return False
