from django.contrib import admin

from mueve.rural_addresses.models import RuralPlace, RuralRoad


@admin.register(RuralRoad)
class RuralRoadAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "jurisdiction", "length_km", "approximate"]
    list_filter = ["jurisdiction"]
    search_fields = ["code", "name"]


@admin.register(RuralPlace)
class RuralPlaceAdmin(admin.ModelAdmin):
    # The emergency notes are not in the admin: only emergency roles read them (rules.py).
    list_display = ["plus_code", "road", "km", "status", "generated"]
    list_filter = ["status", "generated", "jurisdiction"]
    search_fields = ["plus_code", "description"]
    readonly_fields = ["plus_code", "km", "offset_m", "tagged_by", "verified_by", "verified_at"]
    raw_id_fields = ["road"]
