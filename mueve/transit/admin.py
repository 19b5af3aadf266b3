from django.contrib import admin

from mueve.transit.models import BuilderRoute, Feed, FeedImport, FeedValidationIssue, Route, Stop, VehiclePosition


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "source", "version", "illustrative", "imported_at"]
    list_filter = ["source", "illustrative"]
    search_fields = ["name", "slug"]


class IssueInline(admin.TabularInline):
    model = FeedValidationIssue
    extra = 0
    readonly_fields = ["severity", "code", "file", "row", "field", "message"]
    can_delete = False


@admin.register(FeedImport)
class FeedImportAdmin(admin.ModelAdmin):
    list_display = ["feed", "filename", "status", "created_at", "actor"]
    list_filter = ["status"]
    readonly_fields = ["feed", "filename", "status", "counts", "actor", "created_at"]
    inlines = [IssueInline]


@admin.register(Route)
class RouteAdmin(admin.ModelAdmin):
    list_display = ["route_id", "short_name", "long_name", "feed", "continuous_pickup", "continuous_drop_off"]
    list_filter = ["feed"]
    search_fields = ["route_id", "short_name", "long_name"]


@admin.register(Stop)
class StopAdmin(admin.ModelAdmin):
    list_display = ["stop_id", "name", "tts_stop_name", "feed", "lat", "lon"]
    list_filter = ["feed"]
    search_fields = ["stop_id", "name"]


@admin.register(BuilderRoute)
class BuilderRouteAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name", "long_name", "feed", "hail_anywhere", "updated_at"]
    list_filter = ["feed"]


@admin.register(VehiclePosition)
class VehiclePositionAdmin(admin.ModelAdmin):
    list_display = ["vehicle_id", "label", "route", "lat", "lon", "timestamp"]
    list_filter = ["feed"]
