"""core.geo: one sphere for great-circle distances and for the local planar projection."""

import math

import pytest

from mueve.core.geo import EARTH_RADIUS_M, M_PER_DEG_LAT, haversine_m, m_per_deg_lon

CONCEPCION = (-36.8270, -73.0503)


def test_a_degree_of_latitude_measures_the_same_both_ways():
    lat, lon = CONCEPCION
    assert haversine_m(lat, lon, lat + 1, lon) == pytest.approx(M_PER_DEG_LAT, rel=1e-12)


def test_a_short_step_east_matches_the_projection_scale():
    lat, lon = CONCEPCION
    step = 0.001
    assert haversine_m(lat, lon, lat, lon + step) == pytest.approx(m_per_deg_lon(lat) * step, rel=1e-6)


def test_distance_is_symmetric_and_zero_on_the_spot():
    a, b = CONCEPCION, (-36.7240, -73.1170)  # Concepción to Talcahuano, about 12 km
    assert haversine_m(*a, *b) == haversine_m(*b, *a)
    assert 11_000 < haversine_m(*a, *b) < 14_000
    assert haversine_m(*a, *a) == 0


def test_antipodes_are_half_the_circumference():
    assert haversine_m(0, 0, 0, 180) == pytest.approx(math.pi * EARTH_RADIUS_M)
