"""The operators' dashboard: who may open it, what it shows, and triage through the reports services."""

import csv
import io
import json
import re

import pytest

from mueve.accounts.models import Role
from mueve.realtime.models import Event
from mueve.reports.models import Incident, IncidentChange
from tests.conftest import ROLES_AND_ANONYMOUS

ALLOWED = {Role.OPERATOR, Role.MANAGER, Role.ADMIN}
PAGES = ["/control/", "/control/estado/", "/control/estadisticas/", "/control/estadisticas.csv"]


def _config(response) -> dict:
    html = response.content.decode()
    match = re.search(r'<script id="control-config" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_only_operators_and_managers_open_the_control_pages(client, users_by_role, incident, role):
    user = users_by_role[role]
    if user is not None:
        client.force_login(user)
    for url in [*PAGES, f"/control/incidentes/{incident.pk}/"]:
        response = client.get(url)
        if role in ALLOWED:
            assert response.status_code == 200, url
        elif user is None:
            assert response.status_code == 302 and response["Location"].startswith("/cuentas/entrar/"), url
        else:
            assert response.status_code == 403, url
    response = client.post(f"/control/incidentes/{incident.pk}/acknowledge/")
    assert response.status_code == (200 if role in ALLOWED else 403)
    incident.refresh_from_db()
    assert (incident.status == Incident.Status.ACKNOWLEDGED) == (role in ALLOWED)


def test_dashboard_state_lists_active_incidents_by_priority_with_the_stream_cursor(
    client, operator, accident, pothole, submit
):
    low = submit(pothole, lat=-36.80, lon=-73.04).incident
    high = submit(accident).incident
    client.force_login(operator)
    config = _config(client.get("/control/"))
    assert config["state"]["cursor"] == Event.objects.latest("id").id
    assert [row["id"] for row in config["state"]["incidents"]] == [high.pk, low.pk]
    assert config["state"]["unacknowledged"] == 2
    assert config["stream"] == "/tiempo-real/stream/?topics=control"

    state = client.get("/control/estado/?category=bache").json()
    assert [row["id"] for row in state["incidents"]] == [low.pk]
    assert client.get("/control/estado/?status=nada").status_code == 400
    assert client.get(f"/control/estado/?q=%23{high.pk}").json()["incidents"][0]["id"] == high.pk
    assert [r["id"] for r in client.get("/control/estado/?q=barros").json()["incidents"]] == [high.pk, low.pk]


def test_acknowledge_with_note_is_audited_and_published(client, operator, incident):
    client.force_login(operator)
    before = Event.objects.count()
    response = client.post(f"/control/incidentes/{incident.pk}/acknowledge/", {"note": "Carabineros en camino"})
    assert response.status_code == 200
    assert response.json()["incident"]["status"] == "acknowledged"
    change = IncidentChange.objects.filter(incident=incident).latest("id")
    assert change.note == "Carabineros en camino" and change.actor == operator
    assert Event.objects.count() > before
    event = Event.objects.latest("id")
    assert event.kind == "reports.incident_updated" and event.topic == "control"
    assert event.payload["incident"]["status"] == "acknowledged"


def test_bad_triage_input_gets_spanish_errors_and_changes_nothing(client, operator, incident):
    client.force_login(operator)
    cases = [
        ("assign", {}, "agency"),
        ("assign", {"agency": "99999"}, "agency"),
        ("reject", {"reason": "duplicate"}, "duplicate_of"),
        ("reject", {"reason": "duplicate", "duplicate_of": "999999"}, "duplicate_of"),
        ("merge", {"target": str(incident.pk)}, "target"),
        ("split", {"reports": ["NOEXISTE"]}, "reports"),
    ]
    for action, data, field in cases:
        response = client.post(f"/control/incidentes/{incident.pk}/{action}/", data)
        assert response.status_code == 400, (action, data)
        assert field in response.json()["errors"], (action, response.json())
    incident.refresh_from_db()
    assert incident.status == Incident.Status.OPEN
    assert client.post(f"/control/incidentes/{incident.pk}/borrar/").status_code == 404
    assert client.post("/control/incidentes/999999/acknowledge/").status_code == 404
    # A transition the state machine refuses: resolving twice.
    assert client.post(f"/control/incidentes/{incident.pk}/resolve/").status_code == 200
    again = client.post(f"/control/incidentes/{incident.pk}/resolve/")
    assert again.status_code == 400 and "status" in again.json()["errors"]


def test_assign_dispatch_merge_and_split(client, operator, accident, submit, organization, make_user):
    from mueve.stakeholders.models import Organization

    samu = Organization.objects.create(name="SAMU Biobío", slug="samu-test", sector="government", level="regional")
    client.force_login(operator)
    first = submit(accident).incident
    response = client.post(f"/control/incidentes/{first.pk}/assign/", {"agency": samu.pk, "note": "heridos"})
    assert response.status_code == 200 and response.json()["incident"]["agency"] == "SAMU Biobío"
    assert client.post(f"/control/incidentes/{first.pk}/dispatch/").json()["incident"]["status"] == "dispatched"

    far = submit(accident, lat=-36.70, lon=-73.10, email="otra@example.org").incident
    assert far.pk != first.pk
    merged = client.post(f"/control/incidentes/{far.pk}/merge/", {"target": first.pk})
    assert merged.status_code == 200, merged.json()
    first.refresh_from_db()
    assert first.report_count == 2

    public_ids = list(first.reports.order_by("id").values_list("public_id", flat=True))
    split = client.post(f"/control/incidentes/{first.pk}/split/", {"reports": public_ids[1:]})
    assert split.status_code == 200, split.json()
    first.refresh_from_db()
    assert first.report_count == 1
    assert Incident.objects.filter(reports__public_id=public_ids[1]).exclude(pk=first.pk).exists()


def test_incident_detail_lists_reports_without_contact_data(client, operator, incident):
    client.force_login(operator)
    body = client.get(f"/control/incidentes/{incident.pk}/").content.decode()
    # Operators read what citizens wrote, but the contact fields stay in the report's record only.
    assert "vecina@example.org" not in body and "Pérez" not in body
    assert "Barros Arana 500" in body


def test_statistics_page_and_csv(client, operator, accident, pothole, submit):
    inc = submit(accident).incident
    submit(pothole, lat=-36.79, lon=-73.03)
    client.force_login(operator)
    client.post(f"/control/incidentes/{inc.pk}/acknowledge/")
    client.post(f"/control/incidentes/{inc.pk}/resolve/")
    page = client.get("/control/estadisticas/")
    html = page.content.decode()
    assert html.count("<svg") == 4
    assert "Accidente de tránsito" in html and "Bache" in html
    text = client.get("/control/estadisticas.csv?days=7").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["serie", "clave", "valor"]
    series = {row[0] for row in rows[1:]}
    assert {"reportes_por_hora", "reportes_por_categoria", "incidentes_por_organismo"} <= series
    assert ["reportes_por_categoria", "Bache", "1"] in rows
    assert ["minutos_hasta_resolver", "n", "1"] in rows


def test_statistics_xlsx_has_counts_and_minutes_as_numbers(client, operator, accident, pothole, submit):
    from openpyxl import load_workbook

    client.force_login(operator)
    html = client.get("/control/estadisticas/").content.decode()
    assert "/control/estadisticas.xlsx?days=" in html
    response = client.get("/control/estadisticas.xlsx?days=7")
    assert response.status_code == 200
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    assert rows[0] == ["serie", "clave", "valor"]
    counts = [row for row in rows[1:] if row[0] == "reportes_por_hora"]
    assert counts and all(isinstance(row[2], int) for row in counts)
    minutes = [row for row in rows[1:] if row[0].startswith("minutos_") and row[1] == "n"]
    assert minutes and all(isinstance(row[2], int) for row in minutes)
