"""Demo transit data: a small ILLUSTRATIVE Gran Concepción network drawn with the feed builder.

Gran Concepción publishes no open GTFS feed; these three hail-anywhere micro lines follow plausible roads
(approximate coordinates) so that the planner, the route pages, Despierta and the live simulator have something to
show. They are not real services and the feed is flagged `illustrative` everywhere it is shown.
"""

from django.db.models import Max

from mueve.territory.models import Jurisdiction
from mueve.transit import services
from mueve.transit.models import Feed

FEED_SLUG = "gran-concepcion-ilustrativo"
WEEKDAYS = [0, 1, 2, 3, 4]
ALL_DAYS = [0, 1, 2, 3, 4, 5, 6]
BANDS = [
    {"start": "06:00", "end": "09:30", "headway_min": 8},
    {"start": "09:30", "end": "17:00", "headway_min": 12},
    {"start": "17:00", "end": "21:00", "headway_min": 8},
    {"start": "21:00", "end": "23:30", "headway_min": 20},
]

ROUTES = [
    {
        "code": "10",
        "short_name": "10",
        "long_name": "Concepción – Talcahuano por Av. Colón",
        "color": "1565C0",
        "path": [
            [-36.82700, -73.05030],
            [-36.82470, -73.04800],
            [-36.82250, -73.04570],
            [-36.81800, -73.04750],
            [-36.81300, -73.04900],
            [-36.80400, -73.05600],
            [-36.79650, -73.06200],
            [-36.79190, -73.06630],
            [-36.78600, -73.07300],
            [-36.78000, -73.08000],
            [-36.77200, -73.08700],
            [-36.76500, -73.09300],
            [-36.75500, -73.09900],
            [-36.74500, -73.10500],
            [-36.73500, -73.11100],
            [-36.72490, -73.11680],
        ],
        "reference_points": [
            {"name": "Plaza Independencia", "lat": -36.82700, "lon": -73.05030},
            {"name": "Av. Paicaví con Freire", "lat": -36.82250, "lon": -73.04570},
            {"name": "Mall Plaza Trébol", "lat": -36.79190, "lon": -73.06630},
            {"name": "Av. Colón, Hualpén", "lat": -36.77200, "lon": -73.08700},
            {"name": "Las Higueras", "lat": -36.75500, "lon": -73.09900},
            {"name": "Plaza de Talcahuano", "lat": -36.72490, "lon": -73.11680},
        ],
        "days": ALL_DAYS,
    },
    {
        "code": "20",
        "short_name": "20",
        "long_name": "Concepción – San Pedro de la Paz por Puente Llacolén",
        "color": "2E7D32",
        "path": [
            [-36.82700, -73.05030],
            [-36.82850, -73.05500],
            [-36.82950, -73.05950],
            [-36.83200, -73.06500],
            [-36.83500, -73.07100],
            [-36.83800, -73.07800],
            [-36.84050, -73.08500],
            [-36.84200, -73.09000],
            [-36.84350, -73.09700],
            [-36.84500, -73.10500],
            [-36.84600, -73.11200],
        ],
        "reference_points": [
            {"name": "Plaza Independencia", "lat": -36.82700, "lon": -73.05030},
            {"name": "Av. Los Carrera con Tucapel", "lat": -36.82950, "lon": -73.05950},
            {"name": "Puente Llacolén", "lat": -36.83500, "lon": -73.07100},
            {"name": "Av. Pedro Aguirre Cerda", "lat": -36.84200, "lon": -73.09000},
            {"name": "San Pedro de la Paz centro", "lat": -36.84600, "lon": -73.11200},
        ],
        "days": WEEKDAYS,
    },
    {
        "code": "30",
        "short_name": "30",
        "long_name": "Concepción – Chiguayante por Av. Pedro de Valdivia",
        "color": "B03A00",
        "path": [
            [-36.82700, -73.05030],
            [-36.83000, -73.04800],
            [-36.83600, -73.04500],
            [-36.84300, -73.04200],
            [-36.85200, -73.03900],
            [-36.86200, -73.03600],
            [-36.87400, -73.03200],
            [-36.88600, -73.02800],
            [-36.89900, -73.02400],
            [-36.91200, -73.01900],
        ],
        "reference_points": [
            {"name": "Plaza Independencia", "lat": -36.82700, "lon": -73.05030},
            {"name": "Av. Pedro de Valdivia, Universidad de Concepción", "lat": -36.83600, "lon": -73.04500},
            {"name": "Parque Ecuador sur", "lat": -36.85200, "lon": -73.03900},
            {"name": "Chiguayante, Av. 8 Oriente", "lat": -36.88600, "lon": -73.02800},
            {"name": "Chiguayante centro", "lat": -36.91200, "lon": -73.01900},
        ],
        "days": WEEKDAYS,
    },
]


def load() -> None:
    feed = Feed.objects.filter(slug=FEED_SLUG).first()
    if feed is None:
        feed = services.feed_create(
            actor=None,
            name="Micros de Gran Concepción (red ilustrativa)",
            slug=FEED_SLUG,
            jurisdiction=Jurisdiction.objects.filter(slug="gran-concepcion").first(),
            source=Feed.Source.BUILDER,
            source_detail="Dibujada con el constructor de feeds de Mueve para la demostración.",
            licence="Datos ilustrativos generados para la demostración de Mueve (CC0): no es un servicio real.",
            illustrative=True,
        )
    for route in ROUTES:
        services.builder_route_save(
            actor=None,
            feed=feed,
            code=route["code"],
            short_name=route["short_name"],
            long_name=route["long_name"],
            path=route["path"],
            reference_points=route["reference_points"],
            bands=BANDS,
            days=route["days"],
            color=route["color"],
            hail_anywhere=True,
            speed_kmh=20,
        )
    # Re-publish only when a drawn route changed since the last import: loading the demo twice adds nothing.
    last_change = feed.builder_routes.aggregate(m=Max("updated_at"))["m"]
    if feed.imported_at is None or (last_change and last_change > feed.imported_at):
        services.builder_publish(actor=None, feed=feed)
