import json

import pytest

from mueve.accounts.models import Role
from mueve.reports import services
from mueve.territory.models import Jurisdiction
from mueve.territory.services import areas_load_geojson, jurisdiction_upsert

HERE = (-36.827, -73.050)


@pytest.fixture
def metro(db) -> Jurisdiction:
    return jurisdiction_upsert(slug="gran-concepcion", name="Gran Concepción", kind=Jurisdiction.Kind.METROPOLITAN_AREA)


@pytest.fixture
def barrio(metro):
    half = 0.02
    lat, lon = HERE
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half]]
    feature = {
        "type": "Feature",
        "properties": {"name": "Barrio Centro", "code": "centro"},
        "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
    }
    return areas_load_geojson(
        jurisdiction=metro, text=json.dumps({"type": "FeatureCollection", "features": [feature]})
    )[0]


@pytest.fixture
def lights(metro):
    return services.service_upsert(
        jurisdiction=metro,
        code="luminaria-apagada",
        name="Luminaria apagada",
        alert_category="security",
        fusion_radius_m=50,
        fusion_window_minutes=7 * 24 * 60,
        attributes=[],
    )


@pytest.fixture
def street_light(metro, lights, barrio):
    return services.asset_upsert(
        jurisdiction=metro,
        kind="street_light",
        code="poste-0142",
        name="Poste 0142, Plaza de la Independencia",
        lat=HERE[0],
        lon=HERE[1],
        service=lights,
    )


@pytest.fixture
def operator(make_user):
    return make_user(Role.OPERATOR)


@pytest.fixture
def ana(make_user):
    return make_user(Role.CITIZEN, first_name="Ana", last_name="Pérez Soto", email="ana@example.org")


@pytest.fixture
def bruno(make_user):
    return make_user(Role.CITIZEN, first_name="Bruno", last_name="Díaz", email="bruno@example.org")


def report_at(service, user, lat=HERE[0], lon=HERE[1], **extra):
    report = services.report_submit(service=service, lat=lat, lon=lon, reporter=user, **extra)
    report.refresh_from_db()
    return report
