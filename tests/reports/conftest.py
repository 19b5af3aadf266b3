import itertools
import os

import pytest

from mueve.accounts.models import Role
from mueve.api import services as api_services
from mueve.reports import services
from mueve.reports.models import ServiceAttribute
from mueve.reports.services import AttributeSpec, abuse
from mueve.territory.models import Jurisdiction
from mueve.territory.services import jurisdiction_upsert

D = ServiceAttribute.Datatype


_tests = itertools.count()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(monkeypatch):
    # Rate-limit counters live in the cache, which outlives a test (and may be a shared Redis): each test counts
    # under its own key prefix, so it starts with a full allowance and never touches anyone else's keys.
    monkeypatch.setattr(abuse, "RATE_CACHE_PREFIX", f"mueve:test:{os.getpid()}:{next(_tests)}:rate:")


@pytest.fixture
def metro(db) -> Jurisdiction:
    return jurisdiction_upsert(slug="gran-concepcion", name="Gran Concepción", kind=Jurisdiction.Kind.METROPOLITAN_AREA)


@pytest.fixture
def other_region(db) -> Jurisdiction:
    return jurisdiction_upsert(slug="region-de-prueba", name="Región de prueba", kind=Jurisdiction.Kind.REGION)


ALL_TYPES = [
    AttributeSpec(code="carriles", datatype=D.NUMBER, description="¿Cuántas pistas bloquea?", required=True, order=1),
    AttributeSpec(code="patente", datatype=D.STRING, description="Patente del vehículo", order=2),
    AttributeSpec(code="ocurrido", datatype=D.DATETIME, description="¿Cuándo ocurrió?", order=3),
    AttributeSpec(code="detalle", datatype=D.TEXT, description="Cuente más", order=4),
    AttributeSpec(
        code="heridos",
        datatype=D.SINGLEVALUELIST,
        description="¿Hay personas heridas?",
        order=5,
        values=[("si", "Sí"), ("no", "No")],
    ),
    AttributeSpec(
        code="vehiculos",
        datatype=D.MULTIVALUELIST,
        description="Vehículos involucrados",
        order=6,
        values=[("auto", "Automóvil"), ("bus", "Bus"), ("bici", "Bicicleta")],
    ),
    AttributeSpec(code="aviso", datatype=D.STRING, description="Si hay heridos llame al 131.", variable=False, order=7),
]


@pytest.fixture
def accident(metro, organization):
    return services.service_upsert(
        jurisdiction=metro,
        code="accidente-transito",
        name="Accidente de tránsito",
        description="Choque o atropello en la vía.",
        group="Tránsito",
        keywords=["choque", "colisión"],
        agency=organization,
        alert_category="traffic",
        alert_subcategory="carAccident",
        default_severity="high",
        attributes=ALL_TYPES,
    )


@pytest.fixture
def pothole(metro):
    return services.service_upsert(
        jurisdiction=metro,
        code="bache",
        name="Bache",
        group="Calles y veredas",
        alert_category="traffic",
        alert_subcategory="pothole",
        type="batch",
        attributes=[],
    )


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)


def approved_key(manager, name: str = "App de prueba") -> str:
    """A key approved by `manager` for a new application; its quota far above what any test sends."""
    application = api_services.application_add(actor=manager, name=name, contact_email="dev@example.org")
    api_key, key = api_services.key_create(application=application, actor=manager)
    api_services.key_quota_set(api_key=api_key, actor=manager, per_minute=10**6, per_day=10**7)
    return key


@pytest.fixture
def api_key(db, manager) -> str:
    return approved_key(manager)


@pytest.fixture
def traffic(metro):
    """Congestion: reports within 250 m and 2 h of each other fuse (fusion and intake tests)."""
    return services.service_upsert(
        jurisdiction=metro,
        code="congestion",
        name="Congestión",
        alert_category="traffic",
        alert_subcategory="trafficJam",
        fusion_radius_m=250,
        fusion_window_minutes=120,
        attributes=[],
    )
