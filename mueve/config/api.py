"""The NinjaAPI root: one router per app. Authentication, body parsing and the error shape come from
mueve.core.api."""

from mueve.challenges.api import router as challenges_router
from mueve.competitions.api import router as competitions_router
from mueve.config.api_places import router as places_router
from mueve.core.api import create_api
from mueve.datasets.api import router as datasets_router
from mueve.neighbourhood.api import router as neighbourhood_router
from mueve.programs.api import router as programs_router
from mueve.rural_addresses.api import router as rural_router
from mueve.stakeholders.api import router as stakeholders_router
from mueve.territory.api import router as territory_router
from mueve.transit.api import router as transit_router
from mueve.workshops.api import router as workshops_router

api = create_api(
    title="Mueve API",
    version="1",
    description=(
        "API abierta de Mueve. Lecturas públicas sin credenciales; escrituras con sesión o "
        "`Authorization: Bearer <token>` según el rol."
    ),
    urls_namespace="api-1",
)

api.add_router("/territory/", territory_router)
api.add_router("/organizations/", stakeholders_router)
api.add_router("/programs/", programs_router)
api.add_router("/challenges/", challenges_router)
api.add_router("/workshops/", workshops_router)
api.add_router("/datasets/", datasets_router)
api.add_router("/competitions/", competitions_router)
api.add_router("/transit/", transit_router)
api.add_router("/places/", places_router)
api.add_router("/neighbourhood/", neighbourhood_router)
api.add_router("/rural/", rural_router)
