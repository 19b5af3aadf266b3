"""911-R in the Gran Concepción hinterland: rural roads of Hualqui, Santa Juana and Florida with generated houses.

The communes' centres are real (approximately); their polygons are illustrative hexagons, and the roads' tracks are
illustrative lines leaving each town along the direction of a real rural route, not surveyed geometry. Every house is
generated (`generated=True`) and says so on its page and plate.
"""

import json
import math
import random

from mueve.core.geo import M_PER_DEG_LAT, m_per_deg_lon
from mueve.demo.territory import _hexagon
from mueve.rural_addresses import roads as geometry
from mueve.rural_addresses import services
from mueve.rural_addresses.models import RuralPlace
from mueve.territory.models import Jurisdiction
from mueve.territory.services import areas_load_geojson, jurisdiction_upsert

# slug, name, centre, radius of the illustrative polygon (km)
COMMUNES = [
    ("hualqui", "Hualqui", -36.9770, -72.9390, 12),
    ("santa-juana", "Santa Juana", -37.1740, -72.9360, 12),
    ("florida", "Florida", -36.8220, -72.6630, 12),
]
# commune, code, name, start (km 0), bearing in degrees from north, length km
ROADS = [
    ("hualqui", "O-60", "Ruta O-60, Hualqui – Talcamávida", "la plaza de Hualqui", 160, 9),
    ("hualqui", "O-622", "Camino O-622, Hualqui – Quilacoya", "el cruce con la Ruta O-60 en Hualqui", 60, 7),
    ("santa-juana", "O-680", "Ruta O-680, Santa Juana – Nacimiento", "la plaza de Santa Juana", 150, 9),
    ("santa-juana", "O-690", "Camino O-690, Santa Juana – Tanahuillín", "el puente de Santa Juana", 250, 7),
    ("florida", "N-48", "Camino N-48, Florida – Copiulemu", "la plaza de Florida", 300, 8),
    ("florida", "N-56", "Camino N-56, Florida – Coyanco", "el cruce con la Ruta 148 en Florida", 120, 7),
]
DESCRIPTIONS = [
    "Casa azul pasado el puente",
    "Casa de madera con parrón",
    "Casa blanca frente a la escuela rural",
    "Casa con portón verde y perros",
    "Casa de adobe junto al bosque de eucaliptus",
    "Casa amarilla después de la curva",
    "Casa con invernadero al lado del canal",
    "Casa roja frente a la capilla",
    "Casa con antena grande y galpón",
    "Casa de dos pisos al final del camino de tierra",
]
SOURCE = "Demo: hexágono ilustrativo, no es un límite oficial"


def _track(lat: float, lon: float, bearing: float, length_km: float, rng: random.Random) -> list[list[float]]:
    """An illustrative winding line from the town outwards, one vertex every ~500 m."""
    points = [[round(lon, 6), round(lat, 6)]]
    for _step in range(int(length_km * 2)):
        bearing += rng.uniform(-25, 25)
        lat += 500 * math.cos(math.radians(bearing)) / M_PER_DEG_LAT
        lon += 500 * math.sin(math.radians(bearing)) / m_per_deg_lon(lat)
        points.append([round(lon, 6), round(lat, 6)])
    return points


def load() -> None:
    rng = random.Random(911)
    region = Jurisdiction.objects.filter(slug="biobio").first()
    communes = {}
    for slug, name, lat, lon, radius in COMMUNES:
        commune = jurisdiction_upsert(
            slug=slug,
            name=name,
            kind=Jurisdiction.Kind.MUNICIPALITY,
            parent=region,
            center_lat=lat,
            center_lon=lon,
            default_zoom=13,
        )
        if not commune.areas.exists():
            feature = {
                "type": "Feature",
                "properties": {"name": name, "code": slug},
                "geometry": _hexagon(lat, lon, radius),
            }
            areas_load_geojson(
                jurisdiction=commune,
                text=json.dumps({"type": "FeatureCollection", "features": [feature]}),
                approximate=True,
                source=SOURCE,
            )
        communes[slug] = commune
    for slug, code, name, start, bearing, length in ROADS:
        commune = communes[slug]
        points = _track(commune.center_lat, commune.center_lon, bearing, length, rng)
        road = services.road_upsert(
            jurisdiction=commune, code=code, name=name, geometry=points, start_label=start, approximate=True
        )
        if RuralPlace.objects.filter(road=road).exists():
            continue

        km = rng.uniform(0.2, 0.6)
        while km < length - 0.3:
            lat, lon = geometry.point_at(geometry.validate_geometry(points), km)
            side = rng.choice((-1, 1)) * rng.uniform(15, 80)
            place = services.place_tag(
                user=None,
                lat=lat + side / M_PER_DEG_LAT,
                lon=lon + rng.uniform(-20, 20) / m_per_deg_lon(lat),
                description=rng.choice(DESCRIPTIONS),
                road=road,
                generated=True,
            )
            if rng.random() < 0.85:
                services.place_verify(place=place, user=None)
            km += rng.uniform(0.3, 0.9)
