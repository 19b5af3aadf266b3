"""Gran Concepción and its municipalities, plus two other regions served by the same deployment.

The polygons are APPROXIMATE illustrations (hexagons around each commune's centre), labelled as
such in the data: they are not official boundaries. Load real ones with `mueve loadareas`.
"""

import json
import math

from mueve.core.geo import M_PER_DEG_LAT, m_per_deg_lon
from mueve.territory.models import Jurisdiction, Landmark
from mueve.territory.services import areas_load_geojson, jurisdiction_upsert, landmark_upsert

# name, slug, approximate centre (lat, lon), illustrative radius in km
MUNICIPALITIES = [
    ("Concepción", "concepcion", -36.827, -73.050, 3.6),
    ("Talcahuano", "talcahuano", -36.724, -73.117, 3.0),
    ("San Pedro de la Paz", "san-pedro-de-la-paz", -36.843, -73.108, 2.6),
    ("Chiguayante", "chiguayante", -36.925, -73.028, 2.6),
    ("Hualpén", "hualpen", -36.785, -73.095, 4.0),
]


# Places people name when they say where they go: name, kind, commune slug, lat, lon, description. Real places; the
# points are approximate (within about 200 m: a mall or a campus is larger than that), and flagged so. Streets are
# placed at a point along them, on the demo lines that run over them.
LANDMARK_SOURCE = "Demo: punto aproximado (±200 m) de un lugar real de Gran Concepción"
LANDMARKS = [
    ("Plaza Independencia", Landmark.Kind.LANDMARK, "concepcion", -36.8270, -73.0503, "Plaza de armas de Concepción"),
    ("Catedral de la Santísima Concepción", Landmark.Kind.LANDMARK, "concepcion", -36.8266, -73.0510, ""),
    ("Mall Plaza Trébol", Landmark.Kind.LANDMARK, "talcahuano", -36.7917, -73.0666, "Centro comercial"),
    ("Universidad de Concepción", Landmark.Kind.LANDMARK, "concepcion", -36.8296, -73.0352, "Campus, el Campanil"),
    ("Estación Concepción", Landmark.Kind.LANDMARK, "concepcion", -36.8253, -73.0618, "Biotrén"),
    (
        "Hospital Regional de Concepción",
        Landmark.Kind.LANDMARK,
        "concepcion",
        -36.8178,
        -73.0377,
        "Dr. Guillermo Grant Benavente",
    ),
    ("Parque Ecuador", Landmark.Kind.LANDMARK, "concepcion", -36.8335, -73.0465, ""),
    ("Estadio Ester Roa Rebolledo", Landmark.Kind.LANDMARK, "concepcion", -36.8163, -73.0267, ""),
    ("Aeropuerto Carriel Sur", Landmark.Kind.LANDMARK, "talcahuano", -36.7728, -73.0631, ""),
    ("Plaza de Armas de Talcahuano", Landmark.Kind.LANDMARK, "talcahuano", -36.7249, -73.1168, ""),
    ("Laguna Grande de San Pedro", Landmark.Kind.LANDMARK, "san-pedro-de-la-paz", -36.8555, -73.1120, ""),
    ("Avenida Colón", Landmark.Kind.STREET, "hualpen", -36.7720, -73.0870, "Talcahuano – Hualpén – Concepción"),
    ("Avenida Paicaví", Landmark.Kind.STREET, "concepcion", -36.8225, -73.0457, ""),
    ("Avenida Pedro de Valdivia", Landmark.Kind.STREET, "concepcion", -36.8430, -73.0420, "Concepción – Chiguayante"),
    ("Avenida Pedro Aguirre Cerda", Landmark.Kind.STREET, "san-pedro-de-la-paz", -36.8420, -73.0900, ""),
]


def _hexagon(lat: float, lon: float, radius_km: float) -> dict:
    dlat = radius_km * 1000 / M_PER_DEG_LAT
    dlon = radius_km * 1000 / m_per_deg_lon(lat)
    ring = [
        [round(lon + dlon * math.cos(math.radians(a)), 6), round(lat + dlat * math.sin(math.radians(a)), 6)]
        for a in range(0, 360, 60)
    ]
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def load() -> None:
    biobio = jurisdiction_upsert(
        slug="biobio",
        name="Región del Biobío",
        kind=Jurisdiction.Kind.REGION,
        center_lat=-37.0,
        center_lon=-72.7,
        default_zoom=8,
    )
    gran_concepcion = jurisdiction_upsert(
        slug="gran-concepcion",
        name="Gran Concepción",
        kind=Jurisdiction.Kind.METROPOLITAN_AREA,
        parent=biobio,
        center_lat=-36.82,
        center_lon=-73.06,
        default_zoom=12,
    )
    features = []
    for name, slug, lat, lon, radius in MUNICIPALITIES:
        jurisdiction_upsert(
            slug=slug,
            name=name,
            kind=Jurisdiction.Kind.MUNICIPALITY,
            parent=gran_concepcion,
            center_lat=lat,
            center_lon=lon,
            default_zoom=14,
        )
        features.append(
            {"type": "Feature", "properties": {"name": name, "code": slug}, "geometry": _hexagon(lat, lon, radius)}
        )
    areas_load_geojson(
        jurisdiction=gran_concepcion,
        text=json.dumps({"type": "FeatureCollection", "features": features}),
        approximate=True,
        source="Demo: hexágono ilustrativo, no es un límite oficial",
    )
    jurisdiction_upsert(
        slug="temuco", name="Temuco", kind=Jurisdiction.Kind.METROPOLITAN_AREA, center_lat=-38.736, center_lon=-72.590
    )
    jurisdiction_upsert(
        slug="valparaiso",
        name="Gran Valparaíso",
        kind=Jurisdiction.Kind.METROPOLITAN_AREA,
        center_lat=-33.047,
        center_lon=-71.612,
    )
    for name, kind, commune, lat, lon, description in LANDMARKS:
        landmark_upsert(
            name=name,
            kind=kind,
            lat=lat,
            lon=lon,
            jurisdiction=Jurisdiction.objects.get(slug=commune),
            description=description,
            approximate=True,
            source=LANDMARK_SOURCE,
        )
