"""GTFS import: a clear validation report, errors block, warnings do not, re-import replaces atomically."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from mueve.accounts.models import Role
from mueve.transit import selectors, services
from mueve.transit.models import Feed, FeedImport, Route, Stop, StopTime, Trip
from tests.transit.factory import BASE, gtfs_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed():
    return services.feed_create(actor=None, name="Prueba", slug="prueba")


def issues(record):
    return [(i.severity, i.code, i.file, i.row, i.field) for i in record.issues.all()]


def test_valid_feed_imports_with_interpolated_time_as_warning(feed):
    record = services.feed_import(actor=None, feed=feed, file=gtfs_zip(), filename="ok.zip")
    assert record.status == FeedImport.Status.OK_WITH_WARNINGS
    assert issues(record) == [("warning", "interpolated_times", "stop_times.txt", None, "arrival_time")]
    route = Route.objects.get(feed=feed)
    assert route.hail_anywhere and route.continuous_pickup == 0
    assert Stop.objects.get(feed=feed, stop_id="S2").tts_stop_name == "Avenida Paicaví"
    middle = StopTime.objects.get(trip__trip_id="T1", stop__stop_id="S2")
    # 900 m of 2700 m along the shape between 08:00 and 08:12 -> 08:04.
    assert middle.interpolated and middle.arrival_time == 8 * 3600 + 4 * 60
    assert StopTime.objects.get(trip__trip_id="T2", stop_sequence=3).arrival_time == 25 * 3600 + 22 * 60
    feed.refresh_from_db()
    assert feed.imported_at is not None


def test_interpolation_falls_back_to_straight_line_distance(feed):
    no_dist = BASE["stop_times.txt"].replace(",shape_dist_traveled", "").replace(",0\n", "\n")
    no_dist = "\n".join(",".join(line.split(",")[:5]) for line in no_dist.splitlines()) + "\n"
    services.feed_import(actor=None, feed=feed, file=gtfs_zip({"stop_times.txt": no_dist}))
    middle = StopTime.objects.get(trip__trip_id="T1", stop__stop_id="S2")
    assert middle.interpolated and middle.shape_dist_traveled is None
    # S1→S2 ≈ 919 m, S2→S3 ≈ 2036 m in a straight line: about 31 % of 12 minutes.
    assert 8 * 3600 + 3 * 60 < middle.arrival_time < 8 * 3600 + 4 * 60 + 30


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"stops.txt": None}, ("error", "missing_file", "stops.txt", None, "")),
        ({"calendar.txt": None}, ("error", "missing_file", "calendar.txt", None, "")),
        (
            {"stop_times.txt": BASE["stop_times.txt"].replace("08:12:00,08:12:00", "8h12,8h12")},
            ("error", "bad_time", "stop_times.txt", 4, "arrival_time"),
        ),
        (
            {"stop_times.txt": BASE["stop_times.txt"].replace("T2,25:15:00,25:15:00,S2", "T2,25:15:00,25:15:00,S9")},
            ("error", "unknown_id", "stop_times.txt", 6, "stop_id"),
        ),
        (
            {"trips.txt": BASE["trips.txt"].replace("R1,LAB,T2", "R7,LAB,T2")},
            ("error", "unknown_id", "trips.txt", 3, "route_id"),
        ),
        (
            {"trips.txt": BASE["trips.txt"].replace("R1,LAB,T2", "R1,DOM,T2")},
            ("error", "unknown_id", "trips.txt", 3, "service_id"),
        ),
        (
            {"shapes.txt": BASE["shapes.txt"].replace("-73.0600,3,2700", "-73.0600,3,800")},
            ("error", "non_monotonic_distance", "shapes.txt", 4, "shape_dist_traveled"),
        ),
        (
            {"stop_times.txt": BASE["stop_times.txt"].replace("S3,3,2700", "S3,3,850")},
            ("error", "non_monotonic_distance", "stop_times.txt", 4, "shape_dist_traveled"),
        ),
        (
            {"stop_times.txt": BASE["stop_times.txt"].replace("S2,2,900\nT2", "S2,1,900\nT2")},
            ("error", "non_monotonic_sequence", "stop_times.txt", 6, "stop_sequence"),
        ),
        (
            {"stops.txt": BASE["stops.txt"].replace("-36.8200,-73.0450", "-136.8200,-73.0450")},
            ("error", "bad_coordinates", "stops.txt", 3, "stop_lat"),
        ),
        (
            {"stop_times.txt": BASE["stop_times.txt"].replace("T1,08:12:00,08:12:00", "T1,,")},
            ("error", "missing_time", "stop_times.txt", 4, "arrival_time"),
        ),
    ],
    ids=[
        "missing-stops",
        "missing-calendar",
        "bad-time",
        "unknown-stop",
        "unknown-route",
        "unknown-service",
        "shape-distance-goes-back",
        "stop-time-distance-goes-back",
        "repeated-sequence",
        "bad-coordinates",
        "untimed-last-stop",
    ],
)
def test_broken_feed_is_rejected_with_a_precise_report_and_nothing_changes(feed, overrides, expected):
    services.feed_import(actor=None, feed=feed, file=gtfs_zip())
    before = (Trip.objects.count(), StopTime.objects.count(), Stop.objects.count())
    version_before = Feed.objects.get(pk=feed.pk).imported_at

    record = services.feed_import(actor=None, feed=feed, file=gtfs_zip(overrides), filename="roto.zip")

    assert record.status == FeedImport.Status.FAILED
    assert expected in issues(record)
    assert all(i.message for i in record.issues.all())
    assert (Trip.objects.count(), StopTime.objects.count(), Stop.objects.count()) == before
    assert Feed.objects.get(pk=feed.pk).imported_at == version_before


def test_not_a_zip_is_reported(feed):
    record = services.feed_import(actor=None, feed=feed, file=b"hola")
    assert record.status == FeedImport.Status.FAILED
    assert issues(record)[0][1] == "not_a_zip"
    assert not Route.objects.exists()


def test_reimport_replaces_the_feed(feed):
    services.feed_import(actor=None, feed=feed, file=gtfs_zip())
    smaller = {
        "trips.txt": "route_id,service_id,trip_id,shape_id\nR1,LAB,T9,SH1\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T9,09:00:00,09:00:00,S1,1\nT9,09:10:00,09:10:00,S3,2\n",
    }
    record = services.feed_import(actor=None, feed=feed, file=gtfs_zip(smaller))
    assert record.status == FeedImport.Status.OK
    assert list(Trip.objects.filter(feed=feed).values_list("trip_id", flat=True)) == ["T9"]
    assert StopTime.objects.filter(trip__feed=feed).count() == 2


def test_export_reimports_to_the_same_rows(feed):
    services.feed_import(actor=None, feed=feed, file=gtfs_zip())
    copy = services.feed_create(actor=None, name="Copia")
    record = services.feed_import(actor=None, feed=copy, file=selectors.export_zip(feed))
    assert record.status != FeedImport.Status.FAILED

    def rows(f):
        return sorted(
            StopTime.objects.filter(trip__feed=f).values_list(
                "trip__trip_id", "stop__stop_id", "stop_sequence", "arrival_time", "shape_dist_traveled"
            )
        )

    assert rows(copy) == rows(feed)


@pytest.mark.parametrize("role", [*Role.values])
def test_only_managers_import(make_user, feed, role):
    user = make_user(role)
    if role in (Role.MANAGER, Role.ADMIN):
        assert services.feed_import(actor=user, feed=feed, file=gtfs_zip()).status != FeedImport.Status.FAILED
    else:
        with pytest.raises(PermissionDenied):
            services.feed_import(actor=user, feed=feed, file=gtfs_zip())
        assert not FeedImport.objects.exists()


def test_command_imports_and_fails_loudly(tmp_path, capsys):
    good = tmp_path / "bueno.zip"
    good.write_bytes(gtfs_zip())
    call_command("importgtfs", str(good), "--feed", "linea-10")
    assert Feed.objects.get(slug="linea-10").routes.count() == 1
    bad = tmp_path / "malo.zip"
    bad.write_bytes(gtfs_zip({"routes.txt": None}))
    with pytest.raises(CommandError):
        call_command("importgtfs", str(bad), "--feed", "linea-10")
    out = capsys.readouterr().out
    assert "routes.txt" in out and "ERROR" in out
    assert Feed.objects.get(slug="linea-10").routes.count() == 1


def test_a_zip_bomb_is_refused_without_expanding_it(feed):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in BASE.items():
            if name != "shapes.txt":
                zf.writestr(name, text)
        zf.writestr("shapes.txt", "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\n" + "0" * 50_000_000)
    assert len(buf.getvalue()) < 200_000  # 50 MB of zeros compress ~1000:1
    record = services.feed_import(actor=None, feed=feed, file=buf.getvalue(), filename="bomba.zip")
    assert record.status == FeedImport.Status.FAILED
    assert ("error", "too_large", "shapes.txt", None, "") in issues(record)
    assert not Route.objects.exists()


def test_a_corrupt_member_is_reported_not_a_server_error(feed):
    data = bytearray(gtfs_zip())
    # Flip bytes inside stops.txt's stored data: the CRC check fails when the member is read.
    start = data.find(b"stop_id")
    data[start : start + 4] = b"XXXX"
    record = services.feed_import(actor=None, feed=feed, file=bytes(data), filename="rota.zip")
    assert record.status == FeedImport.Status.FAILED
    assert any(code == "bad_member" for _sev, code, *_rest in issues(record))
