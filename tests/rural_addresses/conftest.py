"""Two rural communes with drawn (illustrative) boundaries and a road in each, and the people who use 911-R."""

import json
import math

import pytest

from mueve.accounts.models import Role
from mueve.accounts.services import role_scope_grant
from mueve.core.geo import M_PER_DEG_LAT, m_per_deg_lon
from mueve.rural_addresses import roads, selectors, services
from mueve.territory.models import Jurisdiction
from mueve.territory.services import areas_load_geojson, jurisdiction_upsert

HUALQUI = (-36.975, -72.94)
SANTA_JUANA = (-37.17, -72.94)
# Ruta O-60 from Hualqui towards Santa Juana (illustrative points), and a side road in Santa Juana.
O60 = [[-72.940, -36.975], [-72.935, -36.990], [-72.930, -37.005], [-72.928, -37.020], [-72.925, -37.030]]
SJ = [[-72.940, -37.170], [-72.950, -37.175], [-72.960, -37.180]]


def hexagon(lat: float, lon: float, radius_km: float) -> dict:
    dlat = radius_km * 1000 / M_PER_DEG_LAT
    dlon = radius_km * 1000 / m_per_deg_lon(lat)
    ring = [[lon + dlon * math.cos(math.radians(a)), lat + dlat * math.sin(math.radians(a))] for a in range(0, 360, 60)]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def commune(slug: str, name: str, center: tuple[float, float]) -> Jurisdiction:
    jurisdiction = jurisdiction_upsert(
        slug=slug,
        name=name,
        kind=Jurisdiction.Kind.MUNICIPALITY,
        center_lat=center[0],
        center_lon=center[1],
    )
    feature = {"type": "Feature", "properties": {"name": name, "code": slug}, "geometry": hexagon(*center, 8)}
    areas_load_geojson(jurisdiction=jurisdiction, text=json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return jurisdiction


@pytest.fixture(autouse=True)
def _fresh_roads():
    selectors.forget_roads()
    yield
    selectors.forget_roads()


@pytest.fixture
def hualqui(db):
    return commune("hualqui", "Hualqui", HUALQUI)


@pytest.fixture
def santa_juana(db):
    return commune("santa-juana", "Santa Juana", SANTA_JUANA)


@pytest.fixture
def o60(hualqui):
    return services.road_upsert(
        jurisdiction=hualqui, code="O-60", name="Ruta O-60", geometry=O60, start_label="la plaza de Hualqui"
    )


@pytest.fixture
def sj_road(santa_juana):
    return services.road_upsert(jurisdiction=santa_juana, code="O-650", name="Camino O-650", geometry=SJ)


def on_road(road_points, km: float, north_m: float = 20.0) -> tuple[float, float]:
    """A point `north_m` metres north of the road at `km`."""
    lat, lon = roads.point_at(roads.validate_geometry(road_points), km)
    return lat + north_m / M_PER_DEG_LAT, lon


@pytest.fixture
def official(make_user, hualqui):
    user = make_user(Role.OFFICIAL)
    role_scope_grant(user=user, actor=None, jurisdiction=hualqui)
    return user


@pytest.fixture
def other_official(make_user, santa_juana):
    user = make_user(Role.OFFICIAL)
    role_scope_grant(user=user, actor=None, jurisdiction=santa_juana)
    return user


@pytest.fixture
def resident(make_user):
    return make_user(Role.CITIZEN)


@pytest.fixture
def samu(make_user):
    return make_user(Role.EMERGENCY)
