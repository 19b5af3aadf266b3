"""Counts read as Spanish does: "1 reporte", "2 reportes", "0 reportes", never "1 reportes" nor "reporte(s)", in the
Atom feed, the CAP alert, the statistics page and the texts the maps' scripts put together."""

import json
import re
from xml.etree import ElementTree as ET

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import ngettext

from mueve.core.text import plural_forms

CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"
ATOM = "{http://www.w3.org/2005/Atom}"


def _atom_summary(client) -> str:
    cache.clear()
    feed = ET.fromstring(client.get("/control/publico/atom/").content)
    return feed.find(f"{ATOM}entry/{ATOM}summary").text


def _cap_description(client, incident) -> str:
    cache.clear()
    alert = ET.fromstring(client.get(f"/control/publico/cap/{incident.pk}.xml").content)
    return alert.find(f"{CAP}info/{CAP}description").text


def test_feed_and_alert_say_1_reporte_then_2_reportes(client, accident, submit, operator):
    incident = submit(accident).incident
    client.force_login(operator)
    response = client.post(f"/control/incidentes/{incident.pk}/acknowledge/", {"alert_severity": "Severe"})
    assert response.status_code == 200
    client.logout()

    assert _atom_summary(client).endswith("· 1 reporte")
    assert "Accidente de tránsito, 1 reporte ciudadano." in _cap_description(client, incident)

    second = submit(accident, email="otra@example.org", phone="+56933334444", device_id="otro-telefono")
    assert second.incident_id == incident.pk
    incident.refresh_from_db()
    assert incident.report_count == 2
    assert _atom_summary(client).endswith("· 2 reportes")
    assert "Accidente de tránsito, 2 reportes ciudadanos." in _cap_description(client, incident)


def _statistics_sentence(client) -> str:
    cache.clear()
    html = client.get("/control/estadisticas/").content.decode()
    return " ".join(re.search(r"<p>([^<]*nuevos? en el periodo\.)</p>", html).group(1).split())


def test_statistics_count_reports_and_incidents_in_singular_and_plural(client, accident, pothole, submit, operator):
    client.force_login(operator)
    assert _statistics_sentence(client) == "0 reportes y 0 incidentes nuevos en el periodo."
    submit(accident)
    assert _statistics_sentence(client) == "1 reporte y 1 incidente nuevo en el periodo."
    submit(pothole, lat=-36.80, lon=-73.02)
    assert _statistics_sentence(client) == "2 reportes y 2 incidentes nuevos en el periodo."


def _config(html: str, element_id: str) -> dict:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_the_maps_scripts_get_both_forms_of_the_count(client, operator):
    expected = {"one": "%(n)s reporte", "other": "%(n)s reportes"}
    public = _config(client.get("/control/publico/").content.decode(), "public-map-config")
    assert public["i18n"]["reports"] == expected
    client.force_login(operator)
    dashboard = _config(client.get("/control/").content.decode(), "control-config")
    assert dashboard["i18n"]["reports"] == expected


def test_plural_forms_follow_the_active_language():
    with translation.override("en"):
        assert plural_forms(lambda n: ngettext("%(n)s reporte", "%(n)s reportes", n)) == {
            "one": "%(n)s report",
            "other": "%(n)s reports",
        }


def test_transit_alerts_count_the_neighbours_reports():
    from types import SimpleNamespace

    from mueve.transit.selectors import _alert_texts

    route = SimpleNamespace(short_name="10", long_name="", route_id="r10")

    def incident(count):
        return SimpleNamespace(
            service=SimpleNamespace(name="Bache"),
            address_string="",
            report_count=count,
            get_status_display=lambda: "Abierto",
        )

    assert _alert_texts(incident(1), route)[2] == "Reportado por vecinos; 1 reporte. Estado: Abierto."
    assert _alert_texts(incident(2), route)[2] == "Reportado por vecinos; 2 reportes. Estado: Abierto."
