"""Distance along a road's geometry."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mueve.core.geo import haversine_m
from mueve.rural_addresses import roads

ROAD = [(-72.94, -36.97), (-72.93, -36.98), (-72.91, -36.985), (-72.90, -37.00), (-72.88, -37.01)]


def test_projection_of_a_vertex_is_its_cumulative_length():
    cumulative = roads.cumulative_m(ROAD)
    lon, lat = ROAD[2]
    projection = roads.project(ROAD, lat, lon)
    assert projection.km == pytest.approx(cumulative[2] / 1000)
    assert projection.offset_m == pytest.approx(0, abs=0.01)


def test_a_point_beside_the_road_is_projected_at_its_foot():
    lat, lon = roads.point_at(ROAD, 1.5)
    beside = roads.project(ROAD, lat + 0.0005, lon)  # ~55 m north
    assert 1.3 < beside.km < 1.7
    assert 30 < beside.offset_m < 60


def test_point_at_and_project_agree():
    for km in (0, 0.5, 2.2, 3.9):
        lat, lon = roads.point_at(ROAD, km)
        assert roads.project(ROAD, lat, lon).km == pytest.approx(km, abs=0.001)


@pytest.mark.parametrize("bad", [[], [[1, 2]], [[1, 2], [3]], [[1, "x"], [2, 3]], [[200, 0], [0, 0]], None])
def test_bad_geometry_is_refused(bad):
    with pytest.raises(roads.GeometryError):
        roads.validate_geometry(bad)


# Longitude grows at every step: the road never crosses itself, as no rural road does.
segments = st.lists(
    st.tuples(st.floats(0.0005, 0.01, allow_nan=False), st.floats(-0.01, 0.01, allow_nan=False)),
    min_size=1,
    max_size=8,
)


@given(steps=segments, fractions=st.lists(st.floats(0, 1), min_size=2, max_size=10))
@settings(max_examples=200, deadline=None)
def test_distance_along_grows_along_the_geometry(steps, fractions):
    """Walking a road from its start, the km of the points met never goes down, and is the length walked."""
    points = [(-72.9, -37.0)]
    for dlon, dlat in steps:
        lon, lat = points[-1]
        points.append((lon + dlon, lat + dlat))
    cumulative = roads.cumulative_m(points)
    assert cumulative == sorted(cumulative)
    total = cumulative[-1] / 1000
    assert total * 1000 >= haversine_m(points[0][1], points[0][0], points[-1][1], points[-1][0]) - 1e-6
    previous = -1.0
    for km in sorted(f * total for f in fractions):
        lat, lon = roads.point_at(points, km)
        along = roads.project(points, lat, lon).km
        assert along == pytest.approx(km, abs=1e-6)
        assert along >= previous - 1e-9
        previous = along
