import pytest

from mueve.accounts.models import Role
from mueve.sensors.services.devices import device_provision
from mueve.territory.models import Jurisdiction
from mueve.territory.services import jurisdiction_upsert


@pytest.fixture
def concepcion(db) -> Jurisdiction:
    return jurisdiction_upsert(
        slug="gran-concepcion",
        name="Gran Concepción",
        kind=Jurisdiction.Kind.METROPOLITAN_AREA,
        center_lat=-36.82,
        center_lon=-73.05,
        default_zoom=12,
    )


@pytest.fixture
def official(make_user, organization):
    return make_user(Role.OFFICIAL, organization=organization)


@pytest.fixture
def provision(official, organization, concepcion):
    """provision(uid, kind="street_light") -> (device, secret), owned by the test's organization."""

    def make(uid: str, kind: str = "street_light"):
        return device_provision(
            actor=official,
            uid=uid,
            name=f"Sensor {uid}",
            kind=kind,
            owner=organization,
            jurisdiction=concepcion,
            lat=-36.82,
            lon=-73.05,
        )

    return make
