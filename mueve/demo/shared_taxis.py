"""Demo Tu Colectivo: two ILLUSTRATIVE colectivo lines of Gran Concepción, drawn with the transit feed builder (so
they are GTFS routes the planner uses), a few cars each, and a demo driver.

The paths follow plausible streets with approximate coordinates; the lines, plates and fares are made up for the
demonstration and the feed is flagged `illustrative`.
"""

from django.db.models import Max
from django.utils import timezone

from mueve.accounts.models import Role, User
from mueve.accounts.services import user_create
from mueve.demo.accounts import DEMO_PASSWORD, DemoAccount
from mueve.shared_taxis.models import Car, CarState, Line
from mueve.territory.models import Jurisdiction
from mueve.transit import services as transit_services
from mueve.transit.models import Feed, Route

FEED_SLUG = "colectivos-gran-concepcion-ilustrativo"
DRIVER = "conductor"
BANDS = [{"start": "06:30", "end": "22:30", "headway_min": 6}]
ALL_DAYS = [0, 1, 2, 3, 4, 5, 6]

LINES = [
    {
        "code": "c11",
        "slug": "11-collao",
        "short_name": "11",
        "name": "Colectivo 11: Centro – Collao – Nonguén",
        "terminal": "Plaza Independencia (calle Caupolicán)",
        "fare": 700,
        "night_fare": 800,
        "color": "6A1B9A",
        "path": [
            [-36.82700, -73.05030],
            [-36.82520, -73.04620],
            [-36.82330, -73.04170],
            [-36.82150, -73.03700],
            [-36.81990, -73.03200],
            [-36.81800, -73.02650],
            [-36.81640, -73.02100],
            [-36.81520, -73.01500],
            [-36.81450, -73.00900],
        ],
        "reference_points": [
            {"name": "Plaza Independencia", "lat": -36.82700, "lon": -73.05030},
            {"name": "Av. Collao con Ongolmo", "lat": -36.82330, "lon": -73.04170},
            {"name": "Estadio Collao", "lat": -36.81800, "lon": -73.02650},
            {"name": "Nonguén", "lat": -36.81450, "lon": -73.00900},
        ],
        "cars": [("KXTR12", True), ("JHPL34", False), ("LBCD56", False), ("FGWZ78", False)],
    },
    {
        "code": "c21",
        "slug": "21-hualpen",
        "short_name": "21",
        "name": "Colectivo 21: Talcahuano – Hualpén por Av. Colón",
        "terminal": "Plaza de Talcahuano",
        "fare": 650,
        "night_fare": None,
        "color": "00838F",
        "path": [
            [-36.72490, -73.11680],
            [-36.73100, -73.11320],
            [-36.73800, -73.10900],
            [-36.74500, -73.10500],
            [-36.75200, -73.10080],
            [-36.75900, -73.09650],
            [-36.76600, -73.09230],
        ],
        "reference_points": [
            {"name": "Plaza de Talcahuano", "lat": -36.72490, "lon": -73.11680},
            {"name": "Av. Colón, Las Higueras", "lat": -36.74500, "lon": -73.10500},
            {"name": "Hualpén centro", "lat": -36.76600, "lon": -73.09230},
        ],
        "cars": [("PRST90", False), ("HJKL21", False)],
    },
]


def load() -> DemoAccount:
    feed = Feed.objects.filter(slug=FEED_SLUG).first()
    if feed is None:
        feed = transit_services.feed_create(
            actor=None,
            name="Colectivos de Gran Concepción (red ilustrativa)",
            slug=FEED_SLUG,
            jurisdiction=Jurisdiction.objects.filter(slug="gran-concepcion").first(),
            source=Feed.Source.BUILDER,
            source_detail="Dibujada con el constructor de feeds de Mueve para la demostración de Tu Colectivo.",
            licence="Datos ilustrativos generados para la demostración de Mueve (CC0): no es un servicio real.",
            illustrative=True,
        )
    for spec in LINES:
        transit_services.builder_route_save(
            actor=None,
            feed=feed,
            code=spec["code"],
            short_name=spec["short_name"],
            long_name=spec["name"],
            path=spec["path"],
            reference_points=spec["reference_points"],
            bands=BANDS,
            days=ALL_DAYS,
            color=spec["color"],
            hail_anywhere=True,
            speed_kmh=25,
        )
    last_change = feed.builder_routes.aggregate(m=Max("updated_at"))["m"]
    if feed.imported_at is None or (last_change and last_change > feed.imported_at):
        transit_services.builder_publish(actor=None, feed=feed)
    driver = User.objects.filter(username=DRIVER).first()
    if driver is None:
        driver = user_create(
            username=DRIVER,
            password=DEMO_PASSWORD,
            role=Role.CITIZEN,
            first_name="Carlos",
            last_name="Conductor",
            email=f"{DRIVER}@demo.mueve.cl",
        )
    for spec in LINES:
        route = Route.objects.get(feed=feed, route_id=spec["code"])
        line, _ = Line.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "route": route,
                "shape_id": f"{spec['code']}-0",
                "terminal_name": spec["terminal"],
                "fare_clp": spec["fare"],
                "fare_night_clp": spec["night_fare"],
            },
        )
        for plate, drives in spec["cars"]:
            car, created = Car.objects.get_or_create(
                plate=plate, defaults={"line": line, "capacity": 4, "driver": driver if drives else None}
            )
            if created:
                # All but the demo driver's car wait in the terminal's queue, in plate order.
                status = CarState.Status.OFF if drives else CarState.Status.QUEUED
                queued_since = None if drives else timezone.now()
                CarState.objects.create(car=car, status=status, free_seats=car.capacity, queued_since=queued_since)
    return DemoAccount(
        DRIVER,
        DEMO_PASSWORD,
        "Conductor/a de colectivo",
        "conduce el auto KXTR12 de la línea 11 (/colectivo/conductor/); "
        "la terminal está en /colectivo/terminal/11-collao/",
    )
