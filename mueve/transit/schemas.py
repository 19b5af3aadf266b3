from datetime import date
from typing import Literal

from ninja import Schema
from pydantic import Field

from mueve.core.schemas import Text


class FeedOut(Schema):
    slug: str
    name: str
    version: str
    illustrative: bool
    licence: str
    imported_at: str | None

    @staticmethod
    def resolve_imported_at(obj) -> str | None:
        return obj.imported_at.isoformat() if obj.imported_at else None


class RouteOut(Schema):
    feed: str
    route_id: str
    short_name: str
    long_name: str
    color: str
    hail_anywhere: bool
    url: str

    @staticmethod
    def resolve_feed(obj) -> str:
        return obj.feed.slug

    @staticmethod
    def resolve_url(obj) -> str:
        from django.urls import reverse

        return reverse("transit:route", args=[obj.feed.slug, obj.route_id])


class StopOut(Schema):
    feed: str
    stop_id: str
    name: str
    tts_stop_name: str
    lat: float | None
    lon: float | None

    @staticmethod
    def resolve_feed(obj) -> str:
        return obj.feed.slug


class StopQuery(Schema):
    q: Text = Field(..., min_length=2, max_length=100, description="parte del nombre, código o id de la parada")
    feed: Text = Field("", max_length=80)


class PlanQuery(Schema):
    origin: Text = Field(..., max_length=120, description="«lat,lon», «stop:<stop_id>» o el nombre de un lugar")
    destination: Text = Field(..., max_length=120, description="«lat,lon», «stop:<stop_id>» o el nombre de un lugar")
    depart_from: Text = Field("", max_length=5, description="HH:MM (por omisión, ahora)")
    depart_until: Text = Field("", max_length=5, description="HH:MM (por omisión, 30 minutos después)")
    day: date | None = None
    max_transfers: int = Field(3, ge=0, le=5)
    feed: Text = Field("", max_length=80)
    max_walk_m: int = Field(600, ge=0, le=2000)


class VehicleOut(Schema):
    vehicle_id: str
    label: str
    simulated: bool = Field(..., description="un bus simulado para la demostración, no uno real")
    trip_id: str
    start_date: str | None = Field(None, description="AAAA-MM-DD: día de servicio de la instancia del viaje.")
    start_time: str | None = Field(
        None, description="HH:MM:SS: inicio de la instancia (distingue buses de un mismo viaje por frecuencia)."
    )
    route_id: str | None
    lat: float
    lon: float
    bearing: float | None
    timestamp: str

    @staticmethod
    def resolve_route_id(obj) -> str | None:
        return obj.route.route_id if obj.route_id else None

    @staticmethod
    def resolve_start_date(obj) -> str | None:
        return obj.start_date.isoformat() if obj.start_date else None

    @staticmethod
    def resolve_start_time(obj) -> str | None:
        from mueve.transit.gtfs import format_time

        return format_time(obj.start_time) if obj.start_time is not None else None

    @staticmethod
    def resolve_timestamp(obj) -> str:
        return obj.timestamp.isoformat()


class GeometryStopOut(Schema):
    stop_id: str
    name: str
    tts_stop_name: str
    lat: float | None
    lon: float | None


class RouteGeometryOut(Schema):
    feed: str
    route_id: str
    short_name: str
    long_name: str
    color: str
    hail_anywhere: bool
    shape: list[list[float]] = Field(..., description="[lat, lon] en el orden del recorrido.")
    stops: list[GeometryStopOut]


class PlanFeedOut(Schema):
    slug: str
    name: str
    illustrative: bool


class LegOut(Schema):
    kind: Literal["walk", "ride"]
    depart: str
    arrive: str
    depart_s: int = Field(..., description="segundos desde la medianoche del día de servicio (puede pasar de 86400)")
    arrive_s: int = Field(..., description="segundos desde la medianoche del día de servicio")
    minutes: int
    from_stop: str | None
    from_name: str
    to_stop: str | None
    to_name: str
    from_point: list[float] | None
    to_point: list[float] | None
    distance_m: int
    route_id: str | None
    route_name: str
    route_color: str
    headsign: str
    hail_board: bool
    hail_alight: bool
    trip_id: str | None = Field(None, description="trip_id GTFS del viaje (ride).")
    start_time: str | None = Field(
        None, description="HH:MM:SS: inicio de la instancia de un viaje por frecuencia (frequencies.txt)."
    )
    realtime: bool = Field(False, description="Hay un bus en circulación ubicado en este viaje.")
    vehicle_passed: bool = Field(False, description="Ese bus ya pasó por la parada de subida.")
    delay_s: int | None = Field(None, description="Atraso del bus en segundos (negativo: adelantado).")
    predicted_departure: str | None = Field(None, description="HH:MM previsto en la subida, según el bus en vivo.")
    predicted_arrival: str | None = Field(None, description="HH:MM previsto en la bajada, según el bus en vivo.")
    pickup_type: int = Field(..., description="GTFS pickup_type al subir: 0 normal, 2 llamar, 3 avisar al conductor")
    drop_off_type: int = Field(..., description="GTFS drop_off_type al bajar: 0 normal, 2 llamar, 3 avisar")
    notices: list[str] = Field(..., description="Qué debe hacer el pasajero para subir o bajar, si algo")


class JourneyOut(Schema):
    depart: str = Field(..., description="HH:MM en que el pasajero debe salir (el primer tramo, a pie o en bus)")
    board: str | None = Field(..., description="HH:MM en que sale el primer bus (None si el viaje es a pie)")
    board_route: str = Field(..., description="la línea del primer bus")
    arrive: str
    depart_s: int
    arrive_s: int
    duration_min: int
    transfers: int
    rides: int
    summary: str = Field(..., description="«Directo, sin transbordos», «1 transbordo», «A pie, sin bus»…")
    legs: list[LegOut]


class WalkOut(Schema):
    distance_m: int
    minutes: int


class PlanOut(Schema):
    feed: PlanFeedOut
    date: str = Field(..., description="AAAA-MM-DD")
    depart_from: str
    depart_until: str
    origin: list[float] | None = Field(..., description="[lat, lon]")
    destination: list[float] | None = Field(..., description="[lat, lon]")
    origin_name: str = Field(..., description="el nombre del lugar de origen, si se dio o eligió uno")
    destination_name: str
    walk: WalkOut | None = Field(..., description="si el destino queda a pie: cuánto se camina")
    journeys: list[JourneyOut]
