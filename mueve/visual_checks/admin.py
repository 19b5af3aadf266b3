from django.contrib import admin

from mueve.visual_checks.models import Camera, Drone, Mission, NoFlyZone, RetentionPolicy


@admin.register(Camera)
class CameraAdmin(admin.ModelAdmin):
    list_display = ("name", "jurisdiction", "range_m", "fov_deg", "active")
    list_filter = ("jurisdiction", "active")


@admin.register(Drone)
class DroneAdmin(admin.ModelAdmin):
    list_display = ("name", "jurisdiction", "pilot", "speed_mps", "endurance_min", "status")
    list_filter = ("jurisdiction", "status")


@admin.register(NoFlyZone)
class NoFlyZoneAdmin(admin.ModelAdmin):
    list_display = ("name", "jurisdiction")


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ("jurisdiction", "footage_days")


# Missions and footage are evidence: read-only here (their changes go through the services, with their checks).
@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ("pk", "incident", "camera", "drone", "status", "requested_at", "first_image_at")
    list_filter = ("status",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
