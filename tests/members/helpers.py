from mueve.reports import services
from mueve.reports.models import Service
from mueve.territory.models import Jurisdiction
from mueve.territory.services import jurisdiction_upsert


def a_service(
    code: str = "luminaria", *, jurisdiction: str = "gran-concepcion-prueba", name: str = "Luminaria apagada"
) -> Service:
    metro = jurisdiction_upsert(
        slug=jurisdiction,
        name="Gran Concepción (prueba)",
        kind=Jurisdiction.Kind.METROPOLITAN_AREA,
        center_lat=-36.8270,
        center_lon=-73.0503,
    )
    return services.service_upsert(
        jurisdiction=metro, code=code, name=name, group="Alumbrado", alert_category="traffic"
    )
