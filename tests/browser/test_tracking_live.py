"""A report's tracking page follows its report live, against a real uvicorn process: an operator's action
(made here through the service, in another process) shows on the citizen's open page without a reload, and the
stream carries the report's public state only."""

import json
import subprocess
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.realtime.servers import PYTHON, ROOT, LiveSite, post_report

pytestmark = [pytest.mark.browser]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"

TOKEN_OF = """
import django, json, time
django.setup()
from mueve.reports.models import Report
for _ in range(300):
    report = Report.objects.filter(public_id={public_id!r}).first()
    if report is not None and report.incident_id:
        break
    time.sleep(0.1)
print(json.dumps({{"token": report.token, "incident": report.incident_id}}))
"""

ACKNOWLEDGE = """
import django
django.setup()
from mueve.accounts.models import User
from mueve.reports.models import Incident
from mueve.reports.services import incident_acknowledge
incident_acknowledge(incident=Incident.objects.get(pk={incident}), actor=User.objects.get(username="operadora-viva"),
                     public_reply="Un equipo va en camino.")
"""


def _run(site: LiveSite, code: str) -> str:
    done = subprocess.run([PYTHON, "-c", code], env=site.env, cwd=ROOT, check=True, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


@pytest.fixture(scope="module")
def site():
    with LiveSite(extra_env={"MUEVE_TILE_URL": ""}) as live:
        live.start(1)
        yield live


def _first_block(url: str) -> str:
    with urllib.request.urlopen(url, timeout=15) as response:
        assert response.headers["Content-Type"].startswith("text/event-stream")
        text = b""
        while b"\n\n" not in text.split(b"data:", 1)[-1]:
            text += response.read1(4096)
        return text.decode()


@pytest.mark.parametrize("width", [1280, 360])
def test_tracking_page_shows_a_new_status_without_reload(site, browser, width):
    base = site.urls[0]
    # Each run far from the others: a report near an earlier one would join that incident.
    lat = -36.80 if width == 1280 else -36.86
    created = post_report(base, site.api_key, lat=lat, description=f"Choque visto a {width} px")
    found = json.loads(_run(site, TOKEN_OF.format(public_id=created["service_request_id"])))

    page = browser.new_context(locale="es-CL", viewport={"width": width, "height": 800}).new_page()
    page.set_default_timeout(20000)
    page.goto(f"{base}/reportes/seguimiento/{found['token']}/")
    expect(page.locator("#track-status")).to_have_text("Abierto")
    expect(page.locator("#track-live")).to_have_attribute("data-state", "live")
    page.evaluate("window.__notReloaded = true")

    _run(site, ACKNOWLEDGE.format(incident=found["incident"]))

    expect(page.locator("#track-status")).to_have_text("Recibido por el organismo")
    expect(page.locator("#track-live")).to_have_text("Estado actualizado: Recibido por el organismo")
    expect(page.locator("#track-history")).to_contain_text("Un equipo va en camino.")
    assert page.evaluate("window.__notReloaded") is True
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"tracking-live-{width}.png"), full_page=True)
    screenshot(page, f"tracking-live-{width}")
    page.context.close()


def test_stream_carries_only_the_reports_public_state(site):
    base = site.urls[0]
    created = post_report(
        base, site.api_key, lat=-36.90, lon=-73.02, description="Choque con datos privados", email="secreta@example.org"
    )
    found = json.loads(_run(site, TOKEN_OF.format(public_id=created["service_request_id"])))
    block = _first_block(f"{base}/reportes/seguimiento/{found['token']}/en-vivo/")
    data = json.loads(block.split("data: ", 1)[1].split("\n", 1)[0])
    assert data["public_id"] == created["service_request_id"]
    assert data["status_label"] == "Abierto"
    assert set(data) == {"public_id", "status", "status_label", "agency", "count_text", "history"}
    for private in ("secreta@example.org", "Privada", "operadora"):
        assert private not in block
    # A token that is no report's: no stream.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{base}/reportes/seguimiento/no-existe/en-vivo/", timeout=10)
    assert refused.value.code == 404
