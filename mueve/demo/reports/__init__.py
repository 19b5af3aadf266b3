"""The Gran Concepción report catalogue ("Ciudadano te Informa", seed Box 2 and Table 3) and a demo API key.

Services are the problems the seed's concepts deal with: traffic incidents sent to the traffic control
centre (UOCT), broken street lights (Cuida tu Luz), vandalised bus stops (Refugio Inteligente) and
other city problems. Each service maps to the FIWARE `Alert` model (smart-data-models dataModel.Alert):
`category` from its enumeration, `subCategory` from its list when one fits, empty when none does (the
model has no value for street lights, bus stops or traffic signals).

Each service names the agency that receives it by default (used when no routing rule matches).
Municipal services name Concepción's unit there; the rules send them to each commune's unit.

Routing rules send each category to its agency by commune (injured people: SAMU and Carabineros told too);
street lights and bus stops are adoptable assets; a few hundred GENERATED reports over the last week
(source "generated", descriptions marked "[Generado]", seed 2014) are fused into incidents, and the
operator has acknowledged, resolved or discarded the older ones.

The demo API key is a well-known constant, so `make demo` can print it on every load and a second
load changes nothing. Everything goes through the services.
"""

from mueve.accounts.models import User
from mueve.api import services as api_services
from mueve.api.models import ApiKey
from mueve.demo.reports.catalogue import _municipal_units, _services
from mueve.demo.reports.generated import _generated_reports
from mueve.demo.reports.routing import _agency, _assets, _ensure_agencies, _routing_rules
from mueve.reports import services
from mueve.territory.models import Jurisdiction

DEMO_API_KEY = "o311_demo_gran_concepcion_2014"
DEMO_APPLICATION = "Aplicación de demostración (Open311)"
JURISDICTION_SLUG = "gran-concepcion"


def _demo_key(manager: User) -> str:
    if ApiKey.objects.filter(key_hash=ApiKey.hash_key(DEMO_API_KEY), status=ApiKey.Status.APPROVED).exists():
        return DEMO_API_KEY
    # No one's application: the published key must not act as a person on the platform API.
    application = api_services.application_add(
        actor=manager,
        name=DEMO_APPLICATION,
        contact_email="open311@demo.mueve.cl",
        description="Clave pública de la demo, para probar clientes Open311. No usar en producción.",
    )
    _api_key, key = api_services.key_create(application=application, actor=manager, key=DEMO_API_KEY)
    return key


def load() -> str:
    """Loads the catalogue (needs the territory, stakeholders and accounts demos); returns the demo API key."""
    jurisdiction = Jurisdiction.objects.get(slug=JURISDICTION_SLUG)
    manager = User.objects.get(username="gestora")
    _ensure_agencies()
    _municipal_units()
    for position, spec in enumerate(_services(), start=1):
        category, subcategory = spec["alert"]
        services.service_upsert(
            jurisdiction=jurisdiction,
            code=spec["code"],
            name=spec["name"],
            description=spec["description"],
            group=spec["group"],
            keywords=spec["keywords"],
            agency=_agency(spec["agency"]),
            alert_category=category,
            alert_subcategory=subcategory,
            default_severity=spec["severity"],
            order=position,
            attributes=spec["attributes"],
            fusion_radius_m=spec["fusion"][0],
            fusion_window_minutes=spec["fusion"][1],
            actor=manager,
        )
    _routing_rules(jurisdiction, manager)
    _assets(jurisdiction)
    _generated_reports(jurisdiction)
    return _demo_key(manager)
