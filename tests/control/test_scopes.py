"""The control centre respects scoped roles: an operator scoped to Temuco (accounts.RoleScope) sees and acts on
Temuco's incidents and reports only, on every surface (the dashboard and its JSON, every triage action, the
moderation queue, waiting photos, statistics and their downloads, the live stream and its replay, the admin); an
unscoped operator sees every jurisdiction, as before. Another jurisdiction's object answers 404, as if it did not
exist; Open311's public data stays public to everyone."""

import csv
import io
import json
import re

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import AsyncClient
from PIL import Image

from mueve.accounts.models import Role
from mueve.realtime.models import Event
from mueve.reports import services
from mueve.reports.models import BannedContact, Incident, IncidentChange, Report, ReportPhoto, Review, RoutingRule
from tests.control.conftest import PRIVATE
from tests.realtime.sse import Reader
from tests.scoping import TEMUCO, logged_in, scoped

STREAM = "/tiempo-real/stream/?topics=control"
ACTIONS = {
    "acknowledge": {},
    "dispatch": {},
    "resolve": {},
    "assign": {"agency": "AGENCY"},
    "reject": {"reason": "invalid"},
    "merge": {"target": "OTHER"},
    "split": {"reports": "REPORT"},
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def temuco_accident(temuco, organization):
    return services.service_upsert(
        jurisdiction=temuco,
        code="accidente-transito",
        name="Choque en La Araucanía",
        group="Tránsito",
        agency=organization,
        alert_category="traffic",
        alert_subcategory="carAccident",
        default_severity="high",
        attributes=[],
    )


@pytest.fixture
def places(accident, temuco_accident, submit):
    """One incident in each jurisdiction, made through the reports services: (Concepción's, Temuco's)."""
    concepcion = submit(accident).incident
    temuco = submit(temuco_accident, lat=TEMUCO[0], lon=TEMUCO[1]).incident
    return concepcion, temuco


@pytest.fixture
def temuco_operator(make_user, temuco):
    return scoped(make_user, Role.OPERATOR, temuco)


def dashboard_config(response) -> dict:
    match = re.search(r'<script id="control-config" type="application/json">(.*?)</script>', response.content.decode())
    return json.loads(match.group(1))


def photo_file(name: str = "IMG_1.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.effect_noise((320, 240), 64).convert("RGB").save(out, format="JPEG", quality=90)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


# --- the dashboard, its JSON and the incident detail -----------------------------------------------------------


def test_the_dashboard_and_its_state_list_only_the_operators_jurisdiction(temuco_operator, operator, places, temuco):
    concepcion, temuco_incident = places
    page = logged_in(temuco_operator).get("/control/")
    config = dashboard_config(page)
    assert [row["id"] for row in config["state"]["incidents"]] == [temuco_incident.pk]
    assert config["state"]["unacknowledged"] == 1
    assert config["center"] == [TEMUCO[0], TEMUCO[1]] and config["zoom"] == 13  # the map opens on Temuco
    html = page.content.decode()
    assert "Choque en La Araucanía" in html and "Accidente de tránsito" not in html  # the category filter's choices
    state = logged_in(temuco_operator).get("/control/estado/?status=all").json()
    assert [row["id"] for row in state["incidents"]] == [temuco_incident.pk]
    assert logged_in(temuco_operator).get(f"/control/estado/?q=%23{concepcion.pk}").json()["incidents"] == []

    # Unscoped: every jurisdiction, as before.
    everyone = logged_in(operator)
    config = dashboard_config(everyone.get("/control/"))
    assert {row["id"] for row in config["state"]["incidents"]} == {concepcion.pk, temuco_incident.pk}
    assert config["state"]["unacknowledged"] == 2 and config["center"] == [-36.82, -73.06]


def test_another_jurisdictions_incident_detail_answers_404(temuco_operator, operator, places):
    concepcion, temuco_incident = places
    client = logged_in(temuco_operator)
    assert client.get(f"/control/incidentes/{concepcion.pk}/").status_code == 404
    detail = client.get(f"/control/incidentes/{temuco_incident.pk}/")
    assert detail.status_code == 200 and detail.json()["incident"]["id"] == temuco_incident.pk
    assert logged_in(operator).get(f"/control/incidentes/{concepcion.pk}/").status_code == 200


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_triage_action_on_another_jurisdictions_incident_answers_404_and_changes_nothing(
    temuco_operator, places, organization, action
):
    concepcion, temuco_incident = places
    data = {
        key: {"AGENCY": organization.pk, "OTHER": temuco_incident.pk, "REPORT": concepcion.reports.get().public_id}.get(
            value, value
        )
        for key, value in ACTIONS[action].items()
    }
    before = (concepcion.status, concepcion.agency_id, concepcion.report_count)
    response = logged_in(temuco_operator).post(f"/control/incidentes/{concepcion.pk}/{action}/", data)
    assert response.status_code == 404
    assert response.json() == {"errors": {"__all__": ["El incidente no existe."]}}
    concepcion.refresh_from_db()
    assert (concepcion.status, concepcion.agency_id, concepcion.report_count) == before
    assert not IncidentChange.objects.filter(incident=concepcion, actor=temuco_operator).exists()
    assert Incident.objects.count() == 2


def test_the_operator_triages_their_own_jurisdiction(temuco_operator, places):
    _concepcion, temuco_incident = places
    response = logged_in(temuco_operator).post(f"/control/incidentes/{temuco_incident.pk}/acknowledge/")
    assert response.status_code == 200 and response.json()["incident"]["status"] == "acknowledged"
    assert IncidentChange.objects.filter(incident=temuco_incident, actor=temuco_operator, action="acknowledge").exists()


def test_another_jurisdictions_incident_cannot_be_named_as_merge_target_or_original(
    temuco_operator, places, accident, submit
):
    concepcion, temuco_incident = places
    client = logged_in(temuco_operator)
    merge = client.post(f"/control/incidentes/{temuco_incident.pk}/merge/", {"target": concepcion.pk})
    assert merge.status_code == 400
    assert merge.json()["errors"]["target"] == [f"No existe el incidente n.º {concepcion.pk}."]
    reject = client.post(
        f"/control/incidentes/{temuco_incident.pk}/reject/", {"reason": "duplicate", "duplicate_of": concepcion.pk}
    )
    assert reject.status_code == 400
    assert reject.json()["errors"]["duplicate_of"] == [f"No existe el incidente n.º {concepcion.pk}."]
    for incident in (concepcion, temuco_incident):
        incident.refresh_from_db()
        assert incident.status == Incident.Status.OPEN


def test_the_services_refuse_a_scoped_operator_outside_their_jurisdiction(temuco_operator, places, organization):
    concepcion, temuco_incident = places
    refused = [
        lambda: services.incident_acknowledge(incident=concepcion, actor=temuco_operator),
        lambda: services.incident_dispatch(incident=concepcion, actor=temuco_operator),
        lambda: services.incident_resolve(incident=concepcion, actor=temuco_operator),
        lambda: services.incident_reject(incident=concepcion, actor=temuco_operator, reason="invalid"),
        lambda: services.incident_assign(incident=concepcion, agency=organization, actor=temuco_operator),
        lambda: services.incident_reroute(incident=concepcion, actor=temuco_operator),
        lambda: services.incident_split(
            incident=concepcion, reports=list(concepcion.reports.all()), actor=temuco_operator
        ),
        # Merging closes the sources: each must be the operator's too, not only the incident that stays.
        lambda: services.incident_merge(target=temuco_incident, sources=[concepcion], actor=temuco_operator),
        lambda: services.incident_merge(target=concepcion, sources=[temuco_incident], actor=temuco_operator),
        lambda: services.report_moderate(
            report=concepcion.reports.get(), moderation=Report.Moderation.REJECTED, actor=temuco_operator
        ),
    ]
    for call in refused:
        with pytest.raises(PermissionDenied):
            call()
    for incident in (concepcion, temuco_incident):
        incident.refresh_from_db()
        assert incident.status == Incident.Status.OPEN and incident.report_count == 1


# --- role × place: the control pages' matrix with a scope axis -------------------------------------------------


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.MANAGER, Role.ADMIN, Role.CITIZEN])
@pytest.mark.parametrize("scope", ["temuco", "concepcion", "none"])
def test_control_pages_by_role_and_scope(make_user, places, metro, temuco, role, scope):
    concepcion, temuco_incident = places
    if scope == "none":
        user = make_user(role)
    else:
        user = scoped(make_user, role, temuco if scope == "temuco" else metro)
    client = logged_in(user)
    staff = role in (Role.OPERATOR, Role.MANAGER, Role.ADMIN)
    everywhere = scope == "none" or role == Role.ADMIN  # platform administrators are superusers: everywhere
    assert client.get("/control/").status_code == (200 if staff else 403)
    for incident, home in ((concepcion, "concepcion"), (temuco_incident, "temuco")):
        expected = (200 if everywhere or scope == home else 404) if staff else 403
        assert client.get(f"/control/incidentes/{incident.pk}/").status_code == expected
        response = client.post(f"/control/incidentes/{incident.pk}/acknowledge/")
        assert response.status_code == expected
        incident.refresh_from_db()
        assert (incident.status == Incident.Status.ACKNOWLEDGED) is (expected == 200)
    if staff:
        listed = {row["id"] for row in client.get("/control/estado/?status=all").json()["incidents"]}
        wanted = {"concepcion": {concepcion.pk}, "temuco": {temuco_incident.pk}}.get(scope, set())
        assert listed == ({concepcion.pk, temuco_incident.pk} if everywhere else wanted)


# --- the moderation queue and the operators' photos ---------------------------------------------------------------


@pytest.fixture
def waiting(metro, temuco, submit):
    """A report in each jurisdiction whose photo and text wait for moderation: (Concepción's, Temuco's)."""
    reports = []
    for jurisdiction, place, name in ((metro, (-36.8270, -73.0503), "Bache"), (temuco, TEMUCO, "Hoyo en Temuco")):
        service = services.service_upsert(
            jurisdiction=jurisdiction,
            code="bache",
            name=name,
            alert_category="traffic",
            alert_subcategory="pothole",
            moderate_text=True,
            attributes=[],
        )
        reports.append(submit(service, lat=place[0], lon=place[1], description=f"Texto de {name}", photo=photo_file()))
    return reports


def test_the_moderation_queue_holds_and_decides_only_the_operators_jurisdiction(temuco_operator, operator, waiting):
    concepcion, temuco_report = waiting
    client = logged_in(temuco_operator)
    html = client.get("/control/moderacion/").content.decode()
    assert temuco_report.public_id in html and "Texto de Hoyo en Temuco" in html
    assert concepcion.public_id not in html and "Texto de Bache" not in html
    other_photo = concepcion.photos.get()
    for url, data in [
        (f"/control/moderacion/fotos/{other_photo.token}/approve/", {}),
        (f"/control/moderacion/fotos/{other_photo.token}/reject/", {"reason": "Ofensiva"}),
        (f"/control/moderacion/fotos/{other_photo.token}/blur/", {}),
        (f"/control/moderacion/reportes/{concepcion.public_id}/approve/", {}),
        (f"/control/moderacion/reportes/{concepcion.public_id}/edit/", {"text": "Otro texto"}),
        (f"/control/moderacion/reportes/{concepcion.public_id}/reject/", {"reason": "Ofensivo"}),
        (f"/control/moderacion/reaperturas/{concepcion.public_id}/approve/", {}),
        (f"/control/moderacion/reaperturas/{concepcion.public_id}/reject/", {"reason": "Ofensivo"}),
    ]:
        assert client.post(url, data).status_code == 404, url
    other_photo.refresh_from_db()
    concepcion.refresh_from_db()
    assert other_photo.review == Review.PENDING and concepcion.description_review == Review.PENDING
    assert concepcion.description == "Texto de Bache"

    # Their own: decided as before.
    own_photo = temuco_report.photos.get()
    assert client.post(f"/control/moderacion/fotos/{own_photo.token}/approve/").status_code == 302
    assert client.post(f"/control/moderacion/reportes/{temuco_report.public_id}/approve/").status_code == 302
    own_photo.refresh_from_db()
    assert own_photo.review == Review.APPROVED
    # The recent decisions are theirs only, and the unscoped operator's queue still holds Concepción's.
    everyone = logged_in(operator).get("/control/moderacion/").content.decode()
    assert concepcion.public_id in everyone


def test_the_moderation_services_refuse_another_jurisdictions_photo_and_text(temuco_operator, waiting):
    concepcion, _temuco_report = waiting
    photo = concepcion.photos.get()
    for call in [
        lambda: services.report_photo_approve(photo=photo, actor=temuco_operator),
        lambda: services.report_photo_reject(photo=photo, actor=temuco_operator, reason="x"),
        lambda: services.report_photo_blur(photo=photo, actor=temuco_operator),
        lambda: services.report_text_approve(report=concepcion, actor=temuco_operator),
        lambda: services.report_text_edit(report=concepcion, actor=temuco_operator, text="x"),
        lambda: services.report_text_reject(report=concepcion, actor=temuco_operator, reason="x"),
        lambda: services.report_feedback_comment_decide(report=concepcion, actor=temuco_operator, approve=True),
    ]:
        with pytest.raises(PermissionDenied):
            call()
    assert ReportPhoto.objects.get(pk=photo.pk).review == Review.PENDING


def test_a_waiting_photo_is_served_only_to_operators_of_its_jurisdiction(temuco_operator, operator, waiting):
    concepcion, temuco_report = waiting
    other, own = concepcion.photos.get(), temuco_report.photos.get()
    client = logged_in(temuco_operator)
    assert client.get(f"/reportes/fotos/{other.token}/").status_code == 404
    response = client.get(f"/reportes/fotos/{own.token}/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert logged_in(operator).get(f"/reportes/fotos/{other.token}/").status_code == 200
    # Once public, a photo is everyone's, whatever their scope.
    services.report_photo_approve(photo=other, actor=operator)
    assert client.get(f"/reportes/fotos/{other.token}/").status_code == 200


# --- statistics and their downloads -------------------------------------------------------------------------------


def test_statistics_and_their_csv_and_xlsx_count_only_the_operators_jurisdiction(temuco_operator, operator, places):
    from openpyxl import load_workbook

    # The unscoped figures first: a scoped operator must not be handed them from the cache.
    rows = list(
        csv.reader(
            io.StringIO(logged_in(operator).get("/control/estadisticas.csv?days=7").content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert ["reportes_por_categoria", "Accidente de tránsito", "1"] in rows
    assert ["reportes_por_categoria", "Choque en La Araucanía", "1"] in rows

    client = logged_in(temuco_operator)
    page = client.get("/control/estadisticas/?days=7")
    assert page.status_code == 200
    assert "Choque en La Araucanía" in page.content.decode() and "Accidente de tránsito" not in page.content.decode()
    text = client.get("/control/estadisticas.csv?days=7").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ["reportes_por_categoria", "Choque en La Araucanía", "1"] in rows
    assert not any("Accidente de tránsito" in row for row in rows)
    workbook = load_workbook(io.BytesIO(client.get("/control/estadisticas.xlsx?days=7").content))
    cells = [[cell.value for cell in row] for row in workbook.active.iter_rows()]
    assert ["reportes_por_categoria", "Choque en La Araucanía", 1] in cells
    assert not any("Accidente de tránsito" in row for row in cells)
    hourly = sum(row[2] for row in cells if row[0] == "reportes_por_hora")
    assert hourly == 1


# --- Open311: public data stays public ----------------------------------------------------------------------------


def test_open311_reads_are_the_same_public_data_for_everyone(client, temuco_operator, operator, places):
    concepcion, _temuco_incident = places
    public_id = concepcion.reports.get().public_id
    urls = [
        "/open311/v2/requests.json?jurisdiction_id=gran-concepcion",
        f"/open311/v2/requests/{public_id}.json?jurisdiction_id=gran-concepcion",
        "/open311/v2/requests.json?jurisdiction_id=temuco",
    ]
    for url in urls:
        anonymous = client.get(url)
        assert anonymous.status_code == 200
        for user in (temuco_operator, operator):
            response = logged_in(user).get(url)
            assert response.status_code == 200 and response.json() == anonymous.json(), url
        body = anonymous.content.decode()
        # Never a reporter's contact, for anyone (the description, which citizens write, is public).
        assert PRIVATE["email"] not in body and PRIVATE["last_name"] not in body
    assert public_id in client.get(urls[0]).content.decode()


# --- the live stream and its replay ---------------------------------------------------------------------------------


def _jurisdiction(message) -> int:
    return message.json["payload"]["jurisdiction_id"]


def test_the_live_stream_and_its_replay_carry_only_the_operators_jurisdiction(
    transactional_db, temuco_operator, operator, accident, temuco_accident, temuco
):
    def submit_both():
        services.report_submit(service=accident, lat=-36.8270, lon=-73.0503, address_string="Barros Arana 500")
        services.report_submit(service=temuco_accident, lat=TEMUCO[0], lon=TEMUCO[1], address_string="Alemania 200")

    def log_after(cursor):
        return [(event.id, event.payload.get("jurisdiction_id")) for event in Event.objects.filter(id__gt=cursor)]

    async def go():
        national, regional = AsyncClient(), AsyncClient()
        await national.aforce_login(operator)
        await regional.aforce_login(temuco_operator)
        everyone = Reader(await national.get(STREAM))
        start = int((await everyone.next_block()).id)
        mine = Reader(await regional.get(STREAM))
        await mine.next_block()

        await sync_to_async(submit_both)()
        logged = await sync_to_async(log_after)(start)
        assert {place for _id, place in logged} == {accident.jurisdiction_id, temuco.pk}
        temuco_ids = [pk for pk, place in logged if place == temuco.pk]
        assert temuco_ids and len(temuco_ids) < len(logged)

        seen = await everyone.data_messages(len(logged))
        assert [int(m.id) for m in seen] == [pk for pk, _place in logged]
        live = await mine.data_messages(len(temuco_ids))
        assert [int(m.id) for m in live] == temuco_ids
        assert {_jurisdiction(m) for m in live} == {temuco.pk}
        assert {m.json["payload"]["incident"]["jurisdiction_id"] for m in live if "incident" in m.json["payload"]} == {
            temuco.pk
        }
        await mine.close()

        # Reconnecting with Last-Event-ID while another dashboard keeps the hub's buffer: the same events only.
        again = Reader(await regional.get(STREAM, headers={"Last-Event-ID": str(start)}))
        assert [int(m.id) for m in await again.data_messages(len(temuco_ids))] == temuco_ids
        await again.close()
        await everyone.close()

        # And from the log itself, with nobody connected: the same events, then the next of Temuco's live.
        replay = Reader(await regional.get(STREAM, headers={"Last-Event-ID": str(start)}))
        assert [int(m.id) for m in await replay.data_messages(len(temuco_ids))] == temuco_ids
        temuco_incident = await sync_to_async(lambda: Incident.objects.get(jurisdiction=temuco))()
        await sync_to_async(services.incident_acknowledge)(incident=temuco_incident, actor=operator)
        (next_one,) = await replay.data_messages(1)
        assert next_one.json["payload"]["action"] == "acknowledge" and _jurisdiction(next_one) == temuco.pk
        await replay.close()

    async_to_sync(go)()


def _backfill() -> int:
    """The realtime app's data migration, run on today's models."""
    import importlib

    from django.apps import apps

    return importlib.import_module("mueve.realtime.migrations.0003_backfill_event_jurisdiction").backfill(apps, None)


def test_old_events_without_a_jurisdiction_are_not_replayed_to_a_scoped_operator_until_backfilled(
    transactional_db, temuco_operator, operator, temuco_accident, temuco
):
    """Events logged before roles were scoped carry no `jurisdiction_id`. Replayed (Last-Event-ID), they go to the
    national operator only: a Temuco operator gets none of them, whose they are unknown. The realtime migration gives
    them the jurisdiction their payload leads to, and then Temuco's are Temuco's; one that leads nowhere stays out."""
    report = services.report_submit(
        service=temuco_accident, lat=TEMUCO[0], lon=TEMUCO[1], address_string="Alemania 200"
    )
    start = Event.objects.order_by("-id").values_list("id", flat=True).first()
    # As the log held them before: an incident's and a report's events, and one that leads to no jurisdiction.
    old = [
        Event.objects.create(
            kind="reports.incident_updated",
            topic="control",
            payload={"incident": {"id": report.incident_id, "status": "open"}, "action": "acknowledge", "actor": None},
        ),
        Event.objects.create(
            kind="reports.report_moderated",
            topic="control",
            payload={"public_id": report.public_id, "moderation": "approved"},
        ),
        Event.objects.create(
            kind="reports.report_moderated",
            topic="control",
            payload={"public_id": "NO-EXISTE", "moderation": "approved"},
        ),
    ]
    catalogue = Event.objects.create(kind="reports.service_saved", topic="reports", payload={"jurisdiction": "temuco"})
    old_ids = [event.id for event in old]

    async def first_ids(user, count: int, *, then_publish: bool) -> list[int]:
        client = AsyncClient()
        await client.aforce_login(user)
        reader = Reader(await client.get(STREAM, headers={"Last-Event-ID": str(start)}))
        if then_publish:  # something new of Temuco's, so the replay has a next event to send
            incident = await sync_to_async(lambda: Incident.objects.get(pk=report.incident_id))()
            await sync_to_async(services.incident_acknowledge)(incident=incident, actor=operator)
        ids = [int(message.id) for message in await reader.data_messages(count)]
        await reader.close()
        return ids

    # The national operator replays the three; the Temuco operator's replay skips them to the new event.
    assert async_to_sync(first_ids)(operator, 3, then_publish=False) == old_ids
    (first,) = async_to_sync(first_ids)(temuco_operator, 1, then_publish=True)
    assert first > old_ids[-1]

    # The incident's, the report's and the catalogue's (the fixture's too); not the one that leads nowhere.
    assert _backfill() >= 3
    payloads = dict(Event.objects.filter(id__in=[*old_ids, catalogue.id]).values_list("id", "payload"))
    assert [payloads[pk].get("jurisdiction_id") for pk in old_ids] == [temuco.pk, temuco.pk, None]
    assert payloads[catalogue.id]["jurisdiction_id"] == temuco.pk
    assert payloads[old_ids[0]]["action"] == "acknowledge"  # the rest of the payload untouched
    assert _backfill() == 0  # nothing left to derive: running it again changes nothing
    # Now Temuco's two old events are replayed to Temuco's operator, and the third still is not.
    replayed = async_to_sync(first_ids)(temuco_operator, 3, then_publish=False)
    assert replayed[:2] == old_ids[:2] and old_ids[2] not in replayed


# --- the admin -------------------------------------------------------------------------------------------------------


@pytest.fixture
def temuco_staff(make_user, temuco):
    """A Temuco manager (managers are staff) with the admin's permission to read incidents and reports."""
    user = scoped(make_user, Role.MANAGER, temuco)
    assert user.is_staff
    codenames = ["view_incident", "view_report", "view_reportphoto", "view_incidentassignment", "view_event"]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def test_operators_are_not_staff_so_the_admin_is_closed_to_them(temuco_operator, operator):
    for user in (temuco_operator, operator):
        response = logged_in(user).get("/admin/reports/incident/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_admin_lists_and_opens_only_the_staffs_jurisdiction(
    temuco_staff, admin_user, admin_client, places, waiting
):
    concepcion, temuco_incident = places
    client = logged_in(temuco_staff)
    changelist = client.get("/admin/reports/incident/")
    assert changelist.status_code == 200
    links = set(re.findall(r"/admin/reports/incident/(\d+)/change/", changelist.content.decode()))
    assert links == {str(i.pk) for i in Incident.objects.filter(jurisdiction=temuco_incident.jurisdiction)}
    assert str(concepcion.pk) not in links
    assert client.get(f"/admin/reports/incident/{temuco_incident.pk}/change/").status_code == 200
    # Another jurisdiction's: "does not exist" (a redirect to the admin's index), its history refused.
    refused = client.get(f"/admin/reports/incident/{concepcion.pk}/change/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert client.get(f"/admin/reports/incident/{temuco_incident.pk}/history/").status_code == 200
    services.incident_acknowledge(incident=concepcion, actor=admin_user)  # a version in its history
    assert client.get(f"/admin/reports/incident/{concepcion.pk}/history/").status_code == 403
    version = Incident.history.filter(id=concepcion.pk).latest("history_date").history_id
    assert client.get(f"/admin/reports/incident/{concepcion.pk}/history/{version}/").status_code == 403

    concepcion_report, temuco_report = waiting
    reports = client.get("/admin/reports/report/").content.decode()
    assert temuco_report.public_id in reports and concepcion_report.public_id not in reports
    assert client.get(f"/admin/reports/report/{concepcion_report.pk}/change/").status_code == 302
    photos = client.get("/admin/reports/reportphoto/").content.decode()
    assert f"/admin/reports/reportphoto/{temuco_report.photos.get().pk}/change/" in photos
    assert f"/admin/reports/reportphoto/{concepcion_report.photos.get().pk}/change/" not in photos
    assignments = client.get("/admin/reports/incidentassignment/").content.decode()
    assert f"{temuco_incident.pk}" in assignments and f"#{concepcion.pk} " not in assignments
    # The event log: the events about Temuco only.
    events = client.get("/admin/realtime/event/")
    shown = {int(pk) for pk in re.findall(r"/admin/realtime/event/(\d+)/change/", events.content.decode())}
    about_temuco = set(
        Event.objects.filter(payload__jurisdiction_id=temuco_incident.jurisdiction_id).values_list("id", flat=True)
    )
    assert shown and shown <= about_temuco

    # A superuser sees every jurisdiction.
    everything = admin_client.get("/admin/reports/incident/").content.decode()
    assert f"/admin/reports/incident/{concepcion.pk}/change/" in everything
    assert f"/admin/reports/incident/{temuco_incident.pk}/change/" in everything
    assert admin_client.get(f"/admin/reports/incident/{concepcion.pk}/history/").status_code == 200


# --- routing rules and the service catalogue: a regional manager manages their own -------------------------------


def test_a_regional_manager_manages_their_jurisdictions_routing_and_catalogue_only(
    make_user, metro, temuco, organization, accident, temuco_accident
):
    manager = scoped(make_user, Role.MANAGER, temuco)
    ours = services.routing_rule_save(jurisdiction=temuco, agency=organization, service=temuco_accident, actor=manager)
    theirs = services.routing_rule_save(jurisdiction=metro, agency=organization, service=accident)
    with pytest.raises(PermissionDenied):
        services.routing_rule_save(jurisdiction=metro, agency=organization, service=accident, order=1, actor=manager)
    with pytest.raises(PermissionDenied):
        services.service_upsert(jurisdiction=metro, code="nuevo", name="Nuevo", alert_category="traffic", actor=manager)
    services.service_upsert(jurisdiction=temuco, code="nuevo", name="Nuevo", alert_category="traffic", actor=manager)

    client = logged_in(manager)
    listing = client.get("/admin/reports/routingrule/")
    assert listing.status_code == 200
    assert f"/admin/reports/routingrule/{ours.pk}/change/" in listing.content.decode()
    assert f"/admin/reports/routingrule/{theirs.pk}/change/" not in listing.content.decode()
    assert client.get(f"/admin/reports/routingrule/{theirs.pk}/change/").status_code == 302
    add = client.get("/admin/reports/routingrule/add/").content.decode()
    assert f'<option value="{temuco.pk}"' in add and f'<option value="{metro.pk}"' not in add
    response = client.post(
        "/admin/reports/routingrule/add/",
        {"jurisdiction": metro.pk, "agency": organization.pk, "order": 5, "active": "on"},
    )
    assert response.status_code == 200 and "Escoja una opción válida" in response.content.decode()
    assert RoutingRule.objects.filter(jurisdiction=metro).count() == 1


# --- banned contacts: the national level's list ----------------------------------------------------------------------


def test_banned_contacts_are_managed_by_the_national_level_only(temuco_operator, operator, make_user, temuco):
    """A ban refuses a sender's reports in every jurisdiction: a scoped operator or manager neither adds nor lifts
    one, and the admin's list is closed to them (403) whatever model permissions they hold."""
    with pytest.raises(PermissionDenied):
        services.banned_contact_add(kind="email", value="spam@example.org", actor=temuco_operator, reason="Spam")
    assert not BannedContact.objects.exists()
    banned = services.banned_contact_add(kind="email", value="spam@example.org", actor=operator, reason="Spam")
    with pytest.raises(PermissionDenied):
        services.banned_contact_lift(banned=banned, actor=temuco_operator)
    banned.refresh_from_db()
    assert banned.active

    codenames = ["view_bannedcontact", "change_bannedcontact", "delete_bannedcontact"]
    perms = Permission.objects.filter(content_type__app_label="reports", codename__in=codenames)
    regional, national = scoped(make_user, Role.MANAGER, temuco), make_user(Role.MANAGER)
    for user in (regional, national):
        user.user_permissions.add(*perms)
    client = logged_in(regional)
    for url in (
        "/admin/reports/bannedcontact/",
        f"/admin/reports/bannedcontact/{banned.pk}/change/",
        f"/admin/reports/bannedcontact/{banned.pk}/delete/",
        f"/admin/reports/bannedcontact/{banned.pk}/history/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/admin/reports/bannedcontact/{banned.pk}/delete/", {"post": "yes"}).status_code == 403
    assert "bannedcontact" not in client.get("/admin/").content.decode()
    lifted = client.post(
        f"/admin/reports/bannedcontact/{banned.pk}/change/", {"reason": "Spam", "active": "", "expires_at": ""}
    )
    assert lifted.status_code == 403
    banned.refresh_from_db()
    assert banned.active and BannedContact.objects.count() == 1
    # The national unit reads and keeps the list.
    everyone = logged_in(national)
    assert everyone.get("/admin/reports/bannedcontact/").status_code == 200
    assert everyone.get(f"/admin/reports/bannedcontact/{banned.pk}/change/").status_code == 200
