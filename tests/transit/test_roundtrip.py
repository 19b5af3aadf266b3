"""Import → export → re-import keeps every column the importer stores (issue 18).

The planner is built from the export (selectors.timetable_for_feed), so a column the export drops is a rule the
planner forgets: pickup_type / drop_off_type were the first found. Three checks, table by table:

- a small feed that fills every column of gtfs.COLUMNS with a non-default value: the exported text equals the
  imported text, column by column;
- the real Cairns feed: every column of the zip (read with csv) comes back in the export with the same values;
- the Cairns feed re-imported from its export: every field of every model equals the first import's.
"""

import csv
import io
import zipfile

import pytest

from mueve.transit import gtfs, selectors, services
from mueve.transit.models import Agency, Calendar, CalendarDate, Frequency, Route, ShapePoint, Stop, StopTime, Trip
from mueve.transit.samples import SampleUnavailable, cairns_zip
from tests.transit.factory import gtfs_zip

pytestmark = pytest.mark.django_db

# Columns whose empty value means 0 in GTFS: the export may write either.
ZERO_WHEN_EMPTY = {("stops.txt", "location_type"), ("frequencies.txt", "exact_times")}
ROW_KEYS = {
    "agency.txt": ("agency_id",),
    "stops.txt": ("stop_id",),
    "routes.txt": ("route_id",),
    "trips.txt": ("trip_id",),
    "stop_times.txt": ("trip_id", "stop_sequence"),
    "calendar.txt": ("service_id",),
    "calendar_dates.txt": ("service_id", "date"),
    "shapes.txt": ("shape_id", "shape_pt_sequence"),
    "frequencies.txt": ("trip_id", "start_time"),
    "feed_info.txt": (),
}

FULL = {
    "agency.txt": (
        "agency_id,agency_name,agency_url,agency_timezone,agency_lang,agency_phone,agency_fare_url,agency_email\n"
        "A,Buses Bío Bío,https://example.cl,America/Santiago,es,+56 41 200 0000,https://example.cl/tarifas,"
        "contacto@example.cl\n"
    ),
    "stops.txt": (
        "stop_id,stop_code,stop_name,tts_stop_name,stop_desc,stop_lat,stop_lon,zone_id,stop_url,location_type,"
        "parent_station,stop_timezone,wheelchair_boarding,level_id,platform_code\n"
        "ST,E1,Estación Central,Estación Central,Terminal,-36.8271,-73.0504,Z1,https://example.cl/e,1,,"
        "America/Santiago,1,,\n"
        "S1,101,Plaza Independencia,Plaza Independencia,Frente a la catedral,-36.8270,-73.0503,Z1,"
        "https://example.cl/s1,0,ST,America/Santiago,1,L0,A\n"
        "S2,102,Av. Paicaví,Avenida Paicaví,,-36.8200,-73.0450,Z2,,0,,,2,,\n"
        "S3,103,Mall Plaza Trébol,,,-36.8050,-73.0600,Z3,,0,,,0,,3\n"
    ),
    "routes.txt": (
        "route_id,agency_id,route_short_name,route_long_name,route_desc,route_type,route_url,route_color,"
        "route_text_color,route_sort_order,continuous_pickup,continuous_drop_off,network_id\n"
        "R1,A,10,Centro - Trébol,Por Paicaví,3,https://example.cl/10,1565C0,FFFFFF,5,1,1,GC\n"
    ),
    "trips.txt": (
        "route_id,service_id,trip_id,trip_headsign,trip_short_name,direction_id,block_id,shape_id,"
        "wheelchair_accessible,bikes_allowed\n"
        "R1,LAB,T1,Trébol,101,0,B7,SH1,1,2\n"
        "R1,LAB,T2,Trébol,102,1,B7,SH1,2,1\n"
    ),
    "stop_times.txt": (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence,stop_headsign,pickup_type,drop_off_type,"
        "continuous_pickup,continuous_drop_off,shape_dist_traveled,timepoint\n"
        "T1,08:00:00,08:00:30,S1,1,Trébol,0,1,1,1,0,1\n"
        "T1,08:04:00,08:04:00,S2,2,Trébol,2,3,1,1,900.5,0\n"
        "T1,08:12:00,08:12:00,S3,3,,1,0,,,2700,1\n"
        "T2,25:10:00,25:10:00,S1,1,,3,1,,,0,1\n"
        "T2,25:15:00,25:15:00,S2,2,,0,0,,,900.5,1\n"
        "T2,25:22:00,25:22:00,S3,3,,1,2,,,2700,1\n"
    ),
    "calendar_dates.txt": "service_id,date,exception_type\nLAB,20261225,2\nLAB,20261226,1\n",
    "frequencies.txt": "trip_id,start_time,end_time,headway_secs,exact_times\nT1,07:00:00,09:00:00,600,1\n",
    "feed_info.txt": (
        "feed_publisher_name,feed_publisher_url,feed_lang,default_lang,feed_start_date,feed_end_date,feed_version,"
        "feed_contact_email,feed_contact_url\n"
        "Biotren SA,https://example.cl,es,es,20260101,20271231,2026-12-01,datos@example.cl,https://example.cl/datos\n"
    ),
}


def _read(data: bytes | str) -> dict[str, tuple[list[str], list[dict[str, str]]]]:
    """{file: (header, rows)} straight from a zip with csv."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as zf:
        for name in zf.namelist():
            reader = csv.DictReader(io.TextIOWrapper(zf.open(name), encoding="utf-8-sig"))
            rows = [{k.strip(): (v or "").strip() for k, v in r.items()} for r in reader]
            out[name] = ([h.strip() for h in reader.fieldnames or []], rows)
    return out


def _norm(name: str, column: str, value: str):
    """Equal GTFS values compare equal: numbers as numbers, times as seconds, 0 for an empty defaulting column."""
    if value == "" and (name, column) in ZERO_WHEN_EMPTY:
        return 0.0
    if value.count(":") == 2:
        return gtfs.parse_time(value)
    try:
        return float(value)
    except ValueError:
        return value


def _assert_export_keeps(imported: bytes | str, exported: bytes, *, interpolated_ok: bool = False) -> int:
    """Every column of every imported file is in the export with the same values; returns the values compared."""
    before, after = _read(imported), _read(exported)
    compared = 0
    for name, (header, rows) in before.items():
        assert name in after, f"{name} missing from the export"
        out_header, out_rows = after[name]
        assert set(header) <= set(out_header), f"{name} lost {sorted(set(header) - set(out_header))}"
        keys = ROW_KEYS[name]

        def key(row, keys=keys, name=name):
            return tuple(_norm(name, k, row.get(k, "")) for k in keys)

        by_key = {key(r): r for r in out_rows}
        assert len(by_key) == len(rows), name
        for row in rows:
            out = by_key[key(row)]
            for column in header:
                if interpolated_ok and name == "stop_times.txt" and row["arrival_time"] == "":
                    # Written with the importer's interpolated time and timepoint=0 ("approximate"), as documented.
                    if column in ("arrival_time", "departure_time"):
                        assert out[column] != "" and out["timepoint"] == "0", out
                        continue
                assert _norm(name, column, out[column]) == _norm(name, column, row[column]), (name, column, row, out)
                compared += 1
    return compared


def test_every_imported_column_comes_back_in_the_export():
    # Every column of gtfs.COLUMNS appears in this feed, so a column the export leaves out fails here.
    for name, columns in gtfs.COLUMNS.items():
        if name in FULL:
            header = FULL[name].splitlines()[0].split(",")
            assert set(header) == {c for c, _key in columns}, name
    data = gtfs_zip(FULL)
    feed = services.feed_create(actor=None, name="Completo", slug="completo")
    record = services.feed_import(actor=None, feed=feed, file=data)
    assert record.status == "ok", list(record.issues.values_list("message", flat=True))
    feed.refresh_from_db()
    assert _assert_export_keeps(data, selectors.export_zip(feed)) > 150


def test_a_bad_pickup_type_is_a_validation_error_not_a_silent_blank():
    bad = FULL["stop_times.txt"].replace("T1,08:04:00,08:04:00,S2,2,Trébol,2,3", "T1,08:04:00,08:04:00,S2,2,Trébol,7,3")
    feed = services.feed_create(actor=None, name="Malo", slug="malo")
    record = services.feed_import(actor=None, feed=feed, file=gtfs_zip({**FULL, "stop_times.txt": bad}))
    assert record.status == "failed"
    assert ("stop_times.txt", 3, "pickup_type") in [(i.file, i.row, i.field) for i in record.issues.all()]


def _model_rows(model, feed) -> list[tuple]:
    """Every stored field of the model's rows in the feed, references as their GTFS ids, sorted."""
    gtfs_key = {Agency: "agency_id", Route: "route_id", Trip: "trip_id", Stop: "stop_id"}
    paths = []
    for f in model._meta.concrete_fields:
        if f.name in ("id", "feed"):
            continue
        paths.append(f"{f.name}__{gtfs_key[f.related_model]}" if f.is_relation else f.name)
    scope = "trip__feed" if model in (StopTime, Frequency) else "feed"
    return sorted(model.objects.filter(**{scope: feed}).values_list(*paths), key=repr)


@pytest.fixture(scope="module")
def cairns_path():
    try:
        return cairns_zip()
    except SampleUnavailable as exc:  # offline machine without the cache
        pytest.skip(str(exc))


def test_cairns_import_export_reimport_keeps_every_column(cairns_path):
    feed = services.feed_create(actor=None, name="Cairns", slug="cairns")
    services.feed_import(actor=None, feed=feed, file=cairns_path)
    feed.refresh_from_db()
    exported = selectors.export_zip(feed)
    # The zip's own columns, read with csv, are all in the export with their values.
    assert _assert_export_keeps(str(cairns_path), exported, interpolated_ok=True) > 350_000

    copy = services.feed_create(actor=None, name="Cairns otra vez", slug="cairns-copia")
    record = services.feed_import(actor=None, feed=copy, file=exported)
    assert record.status != "failed"
    for model in (Agency, Stop, Route, Trip, Calendar, CalendarDate, ShapePoint, Frequency):
        assert _model_rows(model, copy) == _model_rows(model, feed), model.__name__
    first, again = _model_rows(StopTime, feed), _model_rows(StopTime, copy)
    assert len(first) == len(again) == 37790
    fields = [f.name for f in StopTime._meta.concrete_fields if f.name != "id"]
    interpolated, timepoint = fields.index("interpolated"), fields.index("timepoint")
    changed = 0
    for a, b in zip(first, again, strict=True):
        if a[interpolated]:
            # An interpolated time comes back as a timed stop time marked approximate (timepoint=0).
            assert b[interpolated] is False and b[timepoint] == 0
            a = a[:interpolated] + (False,) + a[interpolated + 1 : timepoint] + (0,) + a[timepoint + 1 :]
            changed += 1
        assert a == b
    assert changed == 65
    pickup = fields.index("pickup_type")
    assert sum(1 for row in again if row[pickup] == 1) == 1225  # the feed's own count, read with csv above


def test_every_stored_field_has_a_gtfs_column():
    # A field added to a model but not to gtfs.COLUMNS would be imported and then lost by the export (and the planner).
    models = {
        "agency.txt": Agency,
        "stops.txt": Stop,
        "routes.txt": Route,
        "trips.txt": Trip,
        "stop_times.txt": StopTime,
        "calendar.txt": Calendar,
        "calendar_dates.txt": CalendarDate,
        "shapes.txt": ShapePoint,
        "frequencies.txt": Frequency,
    }
    derived = {"interpolated"}  # written as timepoint=0
    for name, model in models.items():
        stored = {
            f"{f.name}_id" if f.is_relation else f.name
            for f in model._meta.concrete_fields
            if f.name not in ("id", "feed", *derived)
        }
        assert stored == {key for _column, key in gtfs.COLUMNS[name]}, name
