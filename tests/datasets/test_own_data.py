"""The platform's own data in the catalog: incidents, GTFS, competition results and the roadmap are published by
`manage.py publish_own_data`, downloaded as a developer would, loaded into the datastore, and kept current."""

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from mueve.accounts.models import Role
from mueve.competitions import services as competition_services
from mueve.datasets import datastore
from mueve.datasets.models import AccessRights, Dataset, Distribution
from mueve.reports import services as report_services
from mueve.reports.models import Report
from mueve.transit import services as transit_services
from mueve.workshops import services as workshop_services
from mueve.workshops.models import TrackStatus
from tests.competitions import conftest as competition_fixtures
from tests.control import conftest as control_fixtures
from tests.transit.factory import gtfs_zip

# The competitions' fixtures (a public programme, a published competition, teams, a jury round), reused as they are.
manager = competition_fixtures.manager
program = competition_fixtures.program
metro = control_fixtures.metro
accident = control_fixtures.accident
challenge = competition_fixtures.challenge
now = competition_fixtures.now
competition = competition_fixtures.competition
make_team = competition_fixtures.make_team
submit = competition_fixtures.submit
jurors = competition_fixtures.jurors
first_round = competition_fixtures.first_round
values = competition_fixtures.values

CONCEPCION = (-36.8270, -73.0503)
TALCAHUANO = (-36.7249, -73.1168)
REPORTER = {"email": "vecina@example.org", "first_name": "Rosa", "last_name": "Pérez", "phone": "+56911112222"}
SECRET_TEXT = "Me llamo Rosa, mi teléfono +56911112222"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MUEVE_SITE_URL = "http://localhost:8000"


@pytest.fixture
def report(accident):
    def make(lat=CONCEPCION[0], lon=CONCEPCION[1], address="Barros Arana 500", **extra):
        extra = {**REPORTER, "description": SECRET_TEXT, **extra}
        return report_services.report_submit(service=accident, lat=lat, lon=lon, address_string=address, **extra)

    return make


@pytest.fixture
def operator(make_user):
    return make_user(Role.OPERATOR)


def publish() -> str:
    out = io.StringIO()
    call_command("publish_own_data", stdout=out)
    return out.getvalue()


def own(generator: str) -> Dataset:
    return Dataset.objects.get(generator=generator)


def download(client, distribution: Distribution, **headers):
    return client.get(urlsplit(distribution.access_url).path, **headers)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def datastore_rows(distribution: Distribution) -> list[tuple]:
    distribution.refresh_from_db()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {datastore.quote(distribution.datastore_table)} ORDER BY _id")
        return cursor.fetchall()


def file_of(dataset: Dataset, fmt: str) -> Distribution:
    return dataset.distributions.get(kind=Distribution.Kind.FILE, format=fmt)


# --- citizen incidents --------------------------------------------------------------------------------------------


def test_incidents_are_published_as_csv_geojson_and_open311_without_reporter_data(client, report, organization):
    incident = report().incident
    publish()
    dataset = own("incidents")
    assert dataset.status == Dataset.Status.PUBLISHED
    assert dataset.access_rights == AccessRights.PUBLIC
    assert dataset.license == "CC-BY-4.0"
    assert dataset.publisher == organization  # the agency that attends the incidents
    assert dataset.data_modified is not None

    csv_file = file_of(dataset, "CSV")
    response = download(client, csv_file)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    data = body(response)
    rows = csv_rows(data)
    assert [row["id"] for row in rows] == [str(incident.pk)]
    assert rows[0]["servicio"] == "Accidente de tránsito"
    assert csv_file.byte_size == len(data)
    assert csv_file.checksum_sha256 == hashlib.sha256(data).hexdigest()

    geojson = json.loads(body(download(client, file_of(dataset, "GEOJSON"))))
    assert [f["id"] for f in geojson["features"]] == [incident.pk]
    assert geojson["features"][0]["geometry"]["type"] == "Point"

    for text in (data.decode("utf-8"), json.dumps(geojson, ensure_ascii=False)):
        for private in ("vecina@example.org", "Rosa", "Pérez", "+56911112222", "56911112222", SECRET_TEXT):
            assert private not in text

    assert [r[1] for r in datastore_rows(csv_file)] == [incident.pk]  # column c0: the incident's id

    api = dataset.distributions.get(kind=Distribution.Kind.API)
    assert urlsplit(api.access_url).path == "/open311/v2/requests.json"
    answer = client.get(urlsplit(api.access_url).path + "?" + urlsplit(api.access_url).query)
    assert answer.status_code == 200


def test_running_twice_creates_no_duplicates(report, settings):
    report()
    publish()
    first = own("incidents")
    csv_file = file_of(first, "CSV")
    table, checksum = csv_file.datastore_table, csv_file.checksum_sha256
    publish()
    assert Dataset.objects.filter(generator="incidents").count() == 1
    assert Dataset.objects.exclude(generator="").count() == 1
    dataset = own("incidents")
    assert dataset.slug == first.slug
    assert dataset.distributions.count() == 4
    csv_file.refresh_from_db()
    assert (csv_file.datastore_table, csv_file.checksum_sha256) == (table, checksum)  # nothing changed: not reloaded
    assert len(datastore_rows(csv_file)) == 1
    stored = list((settings.MEDIA_ROOT / "catalog" / str(dataset.uuid)).rglob("*.*"))
    assert sorted(p.suffix for p in stored) == [".csv", ".geojson"]


def test_a_new_incident_appears_after_the_next_run(client, report):
    first = report().incident
    publish()
    second = report(lat=TALCAHUANO[0], lon=TALCAHUANO[1], address="Colón 1000").incident
    assert second.pk != first.pk
    csv_file = file_of(own("incidents"), "CSV")
    assert len(datastore_rows(csv_file)) == 1
    publish()
    ids = {row["id"] for row in csv_rows(body(download(client, csv_file)))}
    assert ids == {str(first.pk), str(second.pk)}
    assert {r[1] for r in datastore_rows(csv_file)} == {first.pk, second.pk}


def test_rejected_incidents_and_moderated_out_reports_stay_out(client, report, operator):
    kept = report().incident
    rejected = report(lat=TALCAHUANO[0], lon=TALCAHUANO[1]).incident
    report_services.incident_reject(incident=rejected, actor=operator, reason="invalid")
    spam = report(lat=-36.80, lon=-73.00)
    assert spam.incident is not None
    report_services.report_moderate(report=spam, moderation=Report.Moderation.REJECTED, actor=operator)
    publish()
    dataset = own("incidents")
    rows = csv_rows(body(download(client, file_of(dataset, "CSV"))))
    assert [row["id"] for row in rows] == [str(kept.pk)]
    geojson = json.loads(body(download(client, file_of(dataset, "GEOJSON"))))
    assert [f["id"] for f in geojson["features"]] == [kept.pk]
    assert [r[1] for r in datastore_rows(file_of(dataset, "CSV"))] == [kept.pk]


def test_a_stale_file_is_regenerated_when_downloaded(client, report, settings):
    first = report().incident
    publish()
    second = report(lat=TALCAHUANO[0], lon=TALCAHUANO[1]).incident
    csv_file = file_of(own("incidents"), "CSV")
    # Fresh and within the minimum interval: served as it is.
    assert [r["id"] for r in csv_rows(body(download(client, csv_file)))] == [str(first.pk)]
    # A day old (its declared frequency): the download regenerates it first.
    Dataset.objects.filter(generator="incidents").update(data_modified=timezone.now() - dt.timedelta(days=1, hours=1))
    ids = {r["id"] for r in csv_rows(body(download(client, csv_file)))}
    assert ids == {str(first.pk), str(second.pk)}
    assert own("incidents").data_modified > timezone.now() - dt.timedelta(hours=1)


def test_a_lost_file_is_written_again_when_downloaded(client, report):
    incident = report().incident
    publish()
    csv_file = file_of(own("incidents"), "CSV")
    csv_file.file.storage.delete(csv_file.file.name)
    assert [r["id"] for r in csv_rows(body(download(client, csv_file)))] == [str(incident.pk)]
    csv_file.refresh_from_db()
    assert csv_file.file.storage.exists(csv_file.file.name)


def test_a_dataset_no_longer_public_is_refused_and_a_withdrawn_one_is_gone(client, report):
    report()
    publish()
    csv_file = file_of(own("incidents"), "CSV")
    Dataset.objects.filter(generator="incidents").update(access_rights=AccessRights.RESTRICTED)
    refused = download(client, csv_file, HTTP_ACCEPT="application/json")
    assert refused.status_code == 403
    assert "convenio" in refused.json()["detail"]
    assert download(client, csv_file).status_code == 403
    Dataset.objects.filter(generator="incidents").update(status=Dataset.Status.WITHDRAWN)
    assert download(client, csv_file).status_code == 404
    path = urlsplit(csv_file.access_url).path
    assert client.get(path.replace("incidentes-ciudadanos.csv", "otro.csv")).status_code == 404


# --- competition results --------------------------------------------------------------------------------------------


def test_competition_results_are_published_once_public(client, competition, make_team, submit, first_round, manager):
    teams = [make_team(name, first_name="Integrante", last_name="Reservada") for name in ("Alfa", "Beta", "=Gama")]
    for team in teams:
        submit(team)
    competition_services.round_open(actor=manager, round=first_round)
    first_round.refresh_from_db()
    for juror, scores in zip(first_round.jurors.all(), ([5, 4, 3], [4, 5, 2], [5, 3, 1]), strict=True):
        for team, v in zip(teams, scores, strict=True):
            scores_of = values(first_round, v, v, v)
            competition_services.score_set(actor=juror, round=first_round, team=team, values=scores_of)
    competition_services.round_close(actor=manager, round=first_round)
    publish()
    assert not Dataset.objects.filter(generator="competitions").exists()  # results not public yet

    competition_services.competition_set_flags(actor=manager, competition=competition, results_published=True)
    publish()
    dataset = own("competitions")
    assert dataset.is_published and dataset.license == "CC-BY-4.0"
    data = body(download(client, file_of(dataset, "CSV")))
    rows = csv_rows(data)
    assert [r["equipo"] for r in rows] == ["Alfa", "Beta", "'=Gama"]  # a formula-like name stays text
    assert [r["posicion"] for r in rows] == ["1", "2", "3"]
    records = json.loads(body(download(client, file_of(dataset, "JSON"))))
    assert [r["equipo"] for r in records] == ["Alfa", "Beta", "=Gama"]
    stored = datastore_rows(file_of(dataset, "CSV"))
    assert [r[7] for r in stored] == ["Alfa", "Beta", "=Gama"]  # c6: equipo
    for text in (data.decode("utf-8"), json.dumps(records, ensure_ascii=False)):
        assert "Reservada" not in text and teams[0].captain.username not in text  # the people of the teams

    competition_services.competition_set_flags(actor=manager, competition=competition, results_published=False)
    publish()
    assert own("competitions").status == Dataset.Status.WITHDRAWN


# --- the roadmap ------------------------------------------------------------------------------------------------


def test_the_roadmap_and_its_progress_are_published_and_follow_changes(client, program, manager, organization):
    line = workshop_services.roadmap_line_add(actor=manager, program=program, name="Plataforma integrada")
    initiative = workshop_services.initiative_add(
        actor=manager, line=line, name="API de datos abiertos", horizon=2016, responsible=organization
    )
    workshop_services.progress_update(actor=manager, item=initiative, progress=40, status=TrackStatus.IN_PROGRESS)
    publish()
    dataset = own(f"roadmap:{program.pk}")
    assert dataset.program == program and dataset.is_published
    rows = csv_rows(body(download(client, file_of(dataset, "CSV"))))
    assert [(r["iniciativa"], r["horizonte"], r["estado"], r["avance"]) for r in rows] == [
        ("API de datos abiertos", "2016", "in_progress", "40")
    ]
    assert rows[0]["responsable"] == organization.name
    assert rows[0]["avance_hoja_de_ruta"] == "40,0"

    workshop_services.progress_update(actor=manager, item=initiative, progress=100, status=TrackStatus.DONE)
    publish()
    records = json.loads(body(download(client, file_of(own(f"roadmap:{program.pk}"), "JSON"))))
    assert [(r["avance"], r["estado"]) for r in records] == [(100, "done")]
    assert [r[8] for r in datastore_rows(file_of(dataset, "CSV"))] == [100]  # c7: avance

    program.is_public = False
    program.save()
    publish()
    assert own(f"roadmap:{program.pk}").status == Dataset.Status.WITHDRAWN
    assert download(client, file_of(dataset, "CSV")).status_code == 404


# --- transit feeds ------------------------------------------------------------------------------------------------


def test_gtfs_and_gtfs_realtime_feeds_are_distributions(client, db, organization):
    feed = transit_services.feed_create(actor=None, name="Buses de prueba", slug="buses-prueba", agency=organization)
    transit_services.feed_import(actor=None, feed=feed, file=gtfs_zip(), filename="gtfs.zip")
    publish()
    dataset = own(f"gtfs:{feed.pk}")
    assert dataset.publisher == organization and dataset.is_published
    static = file_of(dataset, "GTFS")
    with zipfile.ZipFile(io.BytesIO(body(download(client, static)))) as archive:
        assert {"agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt"} <= set(archive.namelist())
    realtime = list(dataset.distributions.filter(kind=Distribution.Kind.FEED))
    assert len(realtime) == 3
    for distribution in realtime:
        assert distribution.media_type == "application/x-protobuf"
        answer = client.get(urlsplit(distribution.access_url).path)
        assert answer.status_code == 200
        assert answer["Content-Type"] == "application/x-protobuf"
    checksum = static.checksum_sha256
    publish()
    static.refresh_from_db()
    assert static.checksum_sha256 == checksum  # an unchanged feed gives the same file


# --- kept current, and in the demo ------------------------------------------------------------------------------


def test_if_stale_regenerates_only_what_changed(report, settings):
    first = report().incident
    publish()
    out = io.StringIO()
    call_command("publish_own_data", "--if-stale", stdout=out)
    assert "0 conjuntos publicados, 1 al día" in out.getvalue()
    second = report(lat=TALCAHUANO[0], lon=TALCAHUANO[1]).incident
    settings.MUEVE_OWN_DATA_MIN_REFRESH_SECONDS = 0
    out = io.StringIO()
    call_command("publish_own_data", "--if-stale", stdout=out)
    assert "1 conjuntos publicados, 0 al día" in out.getvalue()
    assert {r[1] for r in datastore_rows(file_of(own("incidents"), "CSV"))} == {first.pk, second.pk}


def test_the_demo_publishes_the_platforms_own_data(demo_db, client):
    generators = set(Dataset.objects.filter(status=Dataset.Status.PUBLISHED).values_list("generator", flat=True))
    assert {"incidents", "competitions"} <= generators
    assert any(g.startswith("gtfs:") for g in generators) and any(g.startswith("roadmap:") for g in generators)
    for dataset in Dataset.objects.exclude(generator=""):
        for distribution in dataset.distributions.filter(kind=Distribution.Kind.FILE):
            assert download(client, distribution).status_code == 200
            if distribution.datastore_fields:
                assert distribution.datastore_rows > 0
