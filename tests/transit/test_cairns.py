"""The real Cairns hail-and-ride feed (fetched from the gtfs-kit sdist on PyPI, cached) imports cleanly."""

from datetime import date

import pytest

from mueve.transit import planner, selectors, services
from mueve.transit.models import FeedImport, Route, StopTime, Trip
from mueve.transit.samples import SampleUnavailable, cairns_zip

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def cairns_path():
    try:
        return cairns_zip()
    except SampleUnavailable as exc:  # offline machine without the cache
        pytest.skip(str(exc))


def test_cairns_imports_with_only_warnings(cairns_path):
    feed = services.feed_create(actor=None, name="Cairns", slug="cairns")
    record = services.feed_import(actor=None, feed=feed, file=cairns_path, filename=cairns_path.name)
    assert record.status == FeedImport.Status.OK_WITH_WARNINGS, list(record.issues.values_list("message", flat=True))
    assert record.counts["routes"] == 22 and record.counts["trips"] == 1339 and record.counts["stop_times"] == 37790
    assert Route.objects.filter(feed=feed, short_name="110").exists()
    # Cairns leaves some stop times blank: all were filled, and only between timed ones.
    assert StopTime.objects.filter(trip__feed=feed, arrival_time__isnull=True).count() == 0
    assert StopTime.objects.filter(trip__feed=feed, interpolated=True).count() == 65
    assert Trip.objects.filter(feed=feed).exclude(shape_id="").count() == 1339


def test_planner_over_the_imported_cairns_rows(cairns_path):
    feed = services.feed_create(actor=None, name="Cairns", slug="cairns")
    services.feed_import(actor=None, feed=feed, file=cairns_path)
    feed.refresh_from_db()
    day = date(2014, 6, 4)  # a Wednesday inside the feed's calendar
    timetable = selectors.timetable_for_feed(feed, day)
    assert selectors.timetable_for_feed(feed, day) is timetable  # cached per feed version and day
    # Cairns city centre to Palm Cove (route 110 runs between them), leaving 08:00-08:30.
    result = planner.plan_trip(
        origin="-16.9235,145.7755", destination="-16.7453,145.6703", day=day, depart_from="08:00", depart_until="08:30"
    )
    assert result["feed"]["slug"] == "cairns"
    assert result["journeys"], result
    for journey in result["journeys"]:
        # A journey leaves when its first leg does: the first bus after the window is kept, shown at its own time.
        assert "08:00" <= journey["depart"] == journey["legs"][0]["depart"] and journey["arrive"] > journey["depart"]
        assert journey["board"] >= journey["depart"]
    assert any(journey["depart"] <= "08:30" for journey in result["journeys"])
    assert any(leg["route_name"].startswith("110") for j in result["journeys"] for leg in j["legs"])
