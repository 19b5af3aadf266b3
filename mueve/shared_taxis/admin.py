from django.contrib import admin

from mueve.shared_taxis.models import Car, CarState, Line, SeatRequest


@admin.register(Line)
class LineAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "route", "terminal_name", "fare_clp", "active")
    list_filter = ("active",)
    search_fields = ("name", "slug")
    raw_id_fields = ("route",)


@admin.register(Car)
class CarAdmin(admin.ModelAdmin):
    list_display = ("plate", "line", "capacity", "driver", "active")
    list_filter = ("line", "active")
    search_fields = ("plate",)
    raw_id_fields = ("driver",)


@admin.register(CarState)
class CarStateAdmin(admin.ModelAdmin):
    list_display = ("car", "status", "along_m", "free_seats", "updated_at")
    list_filter = ("status",)


@admin.register(SeatRequest)
class SeatRequestAdmin(admin.ModelAdmin):
    # No rider positions here: they exist only while the trip lasts and are the driver's business.
    list_display = ("line", "party_size", "status", "car", "requested_at")
    list_filter = ("line", "status")
    exclude = ("lat", "lon", "token")
    readonly_fields = ("line", "along_m", "party_size", "status", "car", "eta_s", "assigned_at", "ended_at")
