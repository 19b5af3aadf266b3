import pytest
from django.core.cache import cache

from mueve.accounts.models import Role
from mueve.reports import services
from mueve.territory.models import Jurisdiction
from mueve.territory.services import jurisdiction_upsert

CONCEPCION = (-36.8270, -73.0503)
PRIVATE = {"email": "vecina@example.org", "first_name": "Rosa", "last_name": "Pérez", "phone": "+56911112222"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Public views and statistics are cached; every test starts from an empty cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def metro(db):
    return jurisdiction_upsert(slug="gran-concepcion", name="Gran Concepción", kind=Jurisdiction.Kind.METROPOLITAN_AREA)


@pytest.fixture
def accident(metro, organization):
    return services.service_upsert(
        jurisdiction=metro,
        code="accidente-transito",
        name="Accidente de tránsito",
        group="Tránsito",
        agency=organization,
        alert_category="traffic",
        alert_subcategory="carAccident",
        default_severity="high",
        attributes=[],
    )


@pytest.fixture
def pothole(metro, organization):
    return services.service_upsert(
        jurisdiction=metro,
        code="bache",
        name="Bache",
        group="Calles",
        agency=organization,
        alert_category="traffic",
        alert_subcategory="pothole",
        default_severity="low",
        attributes=[],
    )


@pytest.fixture
def submit():
    def make(service, lat=CONCEPCION[0], lon=CONCEPCION[1], **extra):
        extra = {**PRIVATE, "description": "Me llamo Rosa, mi teléfono +56911112222", **extra}
        return services.report_submit(service=service, lat=lat, lon=lon, address_string="Barros Arana 500", **extra)

    return make


@pytest.fixture
def incident(accident, submit):
    return submit(accident).incident


@pytest.fixture
def operator(make_user):
    return make_user(Role.OPERATOR)
