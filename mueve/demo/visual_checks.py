"""Alerta Drone's demo (MueveTT 2014, Table 7): two cameras in Concepción's centre, two drones with their pilot,
and the no-fly zone around Carriel Sur (Talcahuano), the region's aerodrome. The zone is an illustration of the
2 km around an aerodrome where the DGAC's rule (DAN 151) forbids drones, not the official chart."""

import math

from mueve.accounts.models import User
from mueve.territory.models import Jurisdiction
from mueve.visual_checks import services

CARRIEL_SUR = (-36.7727, -73.0631)  # aerodrome reference point (approximate)


def _circle(lat: float, lon: float, radius_m: float, sides: int = 16) -> list[list[float]]:
    dlat = radius_m / 111_195
    dlon = radius_m / (111_195 * math.cos(math.radians(lat)))
    return [
        [
            round(lon + dlon * math.cos(2 * math.pi * k / sides), 6),
            round(lat + dlat * math.sin(2 * math.pi * k / sides), 6),
        ]
        for k in range(sides)
    ]


def load() -> None:
    jurisdiction = Jurisdiction.objects.filter(slug="gran-concepcion").first()
    pilot = User.objects.filter(username="piloto").first()
    if jurisdiction is None or pilot is None:
        return
    services.no_fly_zone_upsert(
        name="Aeródromo Carriel Sur: zona de protección (2 km, ilustrativa)", polygon=_circle(*CARRIEL_SUR, 2000)
    )
    services.camera_upsert(
        jurisdiction=jurisdiction,
        name="Cámara Plaza de la Independencia",
        lat=-36.8270,
        lon=-73.0503,
        range_m=180,
        fov_deg=360,
    )
    services.camera_upsert(
        jurisdiction=jurisdiction,
        name="Cámara Puente Llacolén (acceso norte)",
        lat=-36.8350,
        lon=-73.0700,
        range_m=250,
        bearing_deg=225,
        fov_deg=90,
    )
    services.drone_upsert(
        jurisdiction=jurisdiction,
        name="Dron UOCT 1 (base Concepción)",
        base_lat=-36.8201,
        base_lon=-73.0444,
        speed_mps=15,
        endurance_min=30,
        pilot=pilot,
    )
    services.drone_upsert(
        jurisdiction=jurisdiction,
        name="Dron UOCT 2 (base Talcahuano)",
        base_lat=-36.7240,
        base_lon=-73.1160,
        speed_mps=15,
        endurance_min=25,
        pilot=pilot,
    )
