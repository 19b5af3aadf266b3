"""The served planner keeps the Cairns feed's own boarding rules (issue 18).

Every query goes through `GET /api/v1/transit/plan`, the endpoint the planner page calls, on the feed imported into
the database as the app imports it. Each ride leg is then checked against the raw stop_times.txt of the zip, read
with `csv` here and not through our importer: the stop time it boards at must allow pickup (pickup_type != 1) and
the one it alights at must allow drop-off (drop_off_type != 1).
"""

import csv
import io
import random
import zipfile
from collections import defaultdict

import pytest
from django.urls import reverse

from mueve.core.geo import haversine_m
from mueve.transit import services
from mueve.transit.models import Stop
from mueve.transit.planner import SAME_PLACE_M
from mueve.transit.samples import SampleUnavailable, cairns_zip
from tests.dbcontents import CONTENTS, EMPTY

DAY = "2014-06-04"  # a Wednesday inside the feed's calendar
DEPOT = "750455"  # "Sunbus Depot - Dunne Street": all 36 stop times forbid drop-off
FOREST_GARDENS = "750279"  # "Forest Gardens Blvd S205": 87 of its 124 stop times forbid pickup and drop-off
SAMPLE_SEED = 18
SAMPLE_SIZE = 40


def _seconds(text: str) -> int | None:
    if not text.strip():
        return None
    h, m, s = text.strip().split(":")
    return int(h) * 3600 + int(m) * 60 + int(s)


@pytest.fixture(scope="module")
def raw():
    """stop_times.txt and stops.txt of the zip, straight from csv."""
    try:
        path = cairns_zip()
    except SampleUnavailable as exc:  # offline machine without the cache
        pytest.skip(str(exc))
    with zipfile.ZipFile(path) as zf:

        def rows(name):
            return list(csv.DictReader(io.TextIOWrapper(zf.open(name), encoding="utf-8-sig")))

        stop_times, stops = rows("stop_times.txt"), rows("stops.txt")
    by_trip_stop = defaultdict(list)
    for r in stop_times:
        by_trip_stop[r["trip_id"], r["stop_id"]].append(r)
    return {"path": path, "stop_times": by_trip_stop, "stops": stops, "rows": stop_times}


@pytest.fixture(scope="module")
def cairns_feed(raw, django_db_setup, django_db_blocker):
    """Cairns imported once for the module (committed), as `mueve importgtfs` would; removed afterwards."""
    with django_db_blocker.unblock():
        CONTENTS.ensure(EMPTY)
        feed = services.feed_create(actor=None, name="Cairns", slug="cairns")
        services.feed_import(actor=None, feed=feed, file=raw["path"], filename=raw["path"].name)
        yield feed
        feed.delete()
    CONTENTS.state = None  # whatever the next test wants is put back from scratch


def _plan(client, origin, destination, depart_from, depart_until=None):
    params = {
        "origin": f"stop:{origin}",
        "destination": f"stop:{destination}",
        "day": DAY,
        "depart_from": depart_from,
        "depart_until": depart_until or depart_from,
        "feed": "cairns",
    }
    response = client.get(reverse("api-1:transit_plan"), params)
    assert response.status_code == 200, response.content
    return response.json()


def _stop_time(raw, trip_id, stop_id, seconds, column):
    """The raw row the leg boards or alights at: same trip and stop, and the same time when the trip passes the stop
    more than once (a leg of yesterday's trip has its time 24 h earlier)."""
    rows = raw["stop_times"].get((trip_id, stop_id), [])
    if len(rows) == 1:
        return rows[0]
    timed = [r for r in rows if _seconds(r[column]) in (seconds, seconds + 86400)]
    assert len(timed) == 1, (trip_id, stop_id, seconds, rows)
    return timed[0]


def _check_rules(raw, result) -> int:
    rides = 0
    for journey in result["journeys"]:
        for leg in journey["legs"]:
            if leg["kind"] != "ride":
                continue
            rides += 1
            assert leg["trip_id"], leg
            if leg["from_stop"]:
                board = _stop_time(raw, leg["trip_id"], leg["from_stop"], leg["depart_s"], "departure_time")
                assert board["pickup_type"].strip() != "1", (leg, board)
                assert leg["pickup_type"] == int(board["pickup_type"] or 0)
            else:
                assert leg["hail_board"], leg
            if leg["to_stop"]:
                alight = _stop_time(raw, leg["trip_id"], leg["to_stop"], leg["arrive_s"], "arrival_time")
                assert alight["drop_off_type"].strip() != "1", (leg, alight)
                assert leg["drop_off_type"] == int(alight["drop_off_type"] or 0)
            else:
                assert leg["hail_alight"], leg
    return rides


def _sample_queries(raw, feed):
    served = sorted({r["stop_id"] for r in raw["rows"]})
    where = dict(
        (stop_id, (lat, lon))
        for stop_id, lat, lon in Stop.objects.filter(feed=feed).values_list("stop_id", "lat", "lon")
    )
    rng = random.Random(SAMPLE_SEED)
    queries = []
    while len(queries) < SAMPLE_SIZE:
        origin, destination = rng.sample(served, 2)
        if haversine_m(*where[origin], *where[destination]) < SAME_PLACE_M:
            continue  # two stops across one street: the planner answers "the same place", rightly
        minute = rng.randrange(6 * 60, 20 * 60)
        queries.append((origin, destination, _hhmm(minute), _hhmm(minute + 30)))  # a 30-minute window: rRAPTOR
    return queries


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


EXAMPLES = [
    ("750045", DEPOT, "13:08", "13:08"),
    (FOREST_GARDENS, DEPOT, "13:08", "13:38"),
    ("750045", FOREST_GARDENS, "13:08", "13:38"),
    (FOREST_GARDENS, "750045", "09:15", "09:45"),
]


def test_the_depot_example_arrives_at_16_42_20_without_alighting_at_the_depot(client, cairns_feed):
    result = _plan(client, "750045", DEPOT, "13:08")
    arrivals = sorted(j["arrive_s"] for j in result["journeys"])
    assert arrivals and arrivals[0] == 16 * 3600 + 42 * 60 + 20, result
    for journey in result["journeys"]:
        last_ride = [leg for leg in journey["legs"] if leg["kind"] == "ride"][-1]
        # The depot's own stop times never let anyone off: the planner walks from a stop that does.
        assert last_ride["to_stop"] != DEPOT


def test_every_ride_the_served_planner_returns_obeys_the_feeds_pickup_and_drop_off_rules(client, cairns_feed, raw):
    rides = 0
    answered = 0
    for origin, destination, depart_from, depart_until in [*EXAMPLES, *_sample_queries(raw, cairns_feed)]:
        result = _plan(client, origin, destination, depart_from, depart_until)
        answered += bool(result["journeys"])
        rides += _check_rules(raw, result)
    # The sample is only worth something if the planner found trips for most of it.
    assert answered >= (len(EXAMPLES) + SAMPLE_SIZE) // 2 and rides >= 40, (answered, rides)
