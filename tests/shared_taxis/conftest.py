import pytest
from django.utils import timezone

from mueve.accounts.models import Role
from mueve.shared_taxis.models import Car, CarState, Line
from mueve.transit.models import Feed, Route, ShapePoint, Trip

# A straight-ish 3 km line east from Plaza Independencia along Av. Collao (approximate coordinates).
PATH = [(-36.82700, -73.05030), (-36.82330, -73.04170), (-36.81990, -73.03200), (-36.81800, -73.02650)]


def make_line(slug: str = "11-collao", path=PATH) -> Line:
    feed = Feed.objects.create(slug=f"feed-{slug}", name="Colectivos de prueba", imported_at=timezone.now())
    route = Route.objects.create(feed=feed, route_id="c11", short_name="11", long_name="Centro – Collao")
    Trip.objects.create(feed=feed, trip_id="t1", route=route, service_id="LAB", shape_id="sh")
    for i, (lat, lon) in enumerate(path):
        ShapePoint.objects.create(feed=feed, shape_id="sh", sequence=i + 1, lat=lat, lon=lon)
    return Line.objects.create(
        slug=slug, name="Colectivo 11", route=route, shape_id="sh", terminal_name="Plaza", fare_clp=700
    )


@pytest.fixture
def line(db):
    return make_line()


@pytest.fixture
def driver(make_user):
    return make_user(Role.CITIZEN)


@pytest.fixture
def car(line, driver):
    car = Car.objects.create(line=line, plate="KXTR12", capacity=4, driver=driver)
    CarState.objects.create(car=car, status=CarState.Status.OFF, free_seats=4)
    return car
