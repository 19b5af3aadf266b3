from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mueve.territory.models import Area, Jurisdiction, Landmark


@admin.register(Jurisdiction)
class JurisdictionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "jurisdiction", "approximate", "source")
    list_filter = ("jurisdiction", "approximate")
    search_fields = ("name", "code")
    # Polygons come in through `mueve loadareas`, which validates them and keeps the bounding box in step.
    readonly_fields = ("geometry", "min_lat", "min_lon", "max_lat", "max_lon")


@admin.register(Landmark)
class LandmarkAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "jurisdiction", "lat", "lon", "approximate")
    list_filter = ("kind", "jurisdiction", "approximate")
    search_fields = ("name", "description")
