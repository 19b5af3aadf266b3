"""Open Location Code against the specification's published test vectors, and its laws as properties."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mueve.rural_addresses import olc

# From the specification's test data (google/open-location-code, test_data/encoding.csv and shortCodeTests.csv).
ENCODING = [
    (20.375, 2.775, 6, "7FG49Q00+"),
    (20.3700625, 2.7821875, 10, "7FG49QCJ+2V"),
    (20.3701135, 2.78223535156, 13, "7FG49QCJ+2VXGJ"),
    (-41.2730625, 174.7859375, 10, "4VCPPQGP+Q9"),
    (-89.9999375, -179.9999375, 10, "22222222+22"),
    (90, 1, 10, "CFX3X2X2+X2"),
    (1, 181, 4, "62H30000+"),
    (-41.2730625, -905.2140625, 10, "4VCPPQGP+Q9"),
    (1.2, 3.4, 10, "6FH56C22+22"),
    (37.539669125, -122.375069724, 100, "849VGJQF+VX7QR3J"),
    (80.0099999999, 58.57, 15, "CHGW2H5C+X2RRRRR"),
    (-80.0100000001, 58.57, 15, "2HFWXHQC+X2RRRRR"),
]
SHORT = [
    ("9C3W9QCJ+2VX", 51.3701125, -1.217765625, "+2VX"),
    ("9C3W9QCJ+2VX", 51.3708675, -1.217765625, "CJ+2VX"),
    ("9C3W9QCJ+2VX", 51.3852125, -1.217765625, "9QCJ+2VX"),
    ("8FJFW222+", 42.899, 9.012, "22+"),
    ("796RXG22+", 14.95125, -23.5001, "22+"),
    ("8FRCXGRF+PM", 47.00, 8.55, "XGRF+PM"),
]


@pytest.mark.parametrize(("lat", "lng", "length", "code"), ENCODING)
def test_encode_matches_the_specification(lat, lng, length, code):
    assert olc.encode(lat, lng, length) == code


@pytest.mark.parametrize(("full", "lat", "lng", "short"), SHORT)
def test_shorten_and_recover_match_the_specification(full, lat, lng, short):
    assert olc.shorten(full, lat, lng) == short
    assert olc.recover_nearest(short, lat, lng) == full


def test_recovery_near_the_poles():
    assert olc.recover_nearest("2222+22", 89.6, 0.0) == "CFX22222+22"
    assert olc.recover_nearest("XXXXXX+XX", -81.0, 0.0) == "2CXXXXXX+XX"


@pytest.mark.parametrize(
    "code", ["", "+", "8FWC2345+G", "8FWC2_45+G6", "8FWC2345G6+", "8FWC2300+G6", "WC2300+G6", "0000+", "8FWC2345++"]
)
def test_invalid_codes_are_refused(code):
    assert not olc.is_valid(code)
    with pytest.raises(olc.CodeError):
        olc.decode(code)


def test_a_bad_length_is_refused():
    with pytest.raises(olc.CodeError):
        olc.encode(-36.9, -72.9, 7)
    with pytest.raises(olc.CodeError):
        olc.encode(float("nan"), -72.9)


lats = st.floats(min_value=-90, max_value=90, allow_nan=False)
lngs = st.floats(min_value=-180, max_value=180, allow_nan=False, exclude_max=True)
lengths = st.sampled_from([2, 4, 6, 8, 10, 11, 12, 13, 14, 15])


@given(lat=lats, lng=lngs, length=lengths)
@settings(max_examples=400, deadline=None)
def test_decode_of_encode_holds_the_point(lat, lng, length):
    code = olc.encode(lat, lng, length)
    area = olc.decode(code)
    assert olc.is_full(code)
    eps = 1e-9
    assert area.south - eps <= lat <= area.north + eps or lat == 90
    assert area.west - eps <= lng <= area.east + eps
    # The area's centre encodes back to the same code.
    assert olc.encode(*area.center, length) == code


@given(lat=lats, lng=lngs, dlat=st.floats(-0.2, 0.2), dlng=st.floats(-0.2, 0.2))
@settings(max_examples=400, deadline=None)
def test_a_short_code_with_a_nearby_reference_recovers_the_full_code(lat, lng, dlat, dlng):
    assume(-80 < lat < 80)
    code = olc.encode(lat, lng)
    ref_lat, ref_lng = lat + dlat, lng + dlng
    short = olc.shorten(code, ref_lat, ref_lng)
    assert code.endswith(short)
    if short != code:
        assert olc.is_short(short)
    assert olc.recover_nearest(short, ref_lat, ref_lng) == code
