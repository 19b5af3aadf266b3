"""Alerta Drone in real Chromium, on the demo: an operator asks for a visual check of an incident that no camera
covers; the demo's drone is offered; the pilot's phone page accepts the mission, shares its position, is refused a
stream address that is not HLS, sends a snapshot and a real HLS stream that ffmpeg generates here; the stream
plays in the incident panel through the vendored hls.js, under the panel's Content-Security-Policy."""

import io
import re
import shutil
import subprocess
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image
from playwright.sync_api import expect

from mueve.reports import services as report_services
from mueve.territory.models import Jurisdiction
from mueve.visual_checks.models import Mission
from tests.browser.conftest import add_axe, screenshot
from tests.browser.test_accessibility import AXE_RUN, WCAG_TAGS

pytestmark = [pytest.mark.browser]

# 1.7 km from the demo's Concepción drone base, where no demo camera looks.
SPOT = (-36.8080, -73.0330)


@pytest.fixture
def transactional_db(demo_db_shared):
    """The live server's tests share the committed demo (`demo_db_shared`) instead of flushing it after each."""


@pytest.fixture(scope="module", autouse=True)
def site(live_server, demo_db_shared) -> str:
    return live_server.url


class _VideoServer(SimpleHTTPRequestHandler):
    """A video server as a drone's streaming box would be: static HLS files, readable from the platform's pages."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".m3u8": "application/vnd.apple.mpegurl"}

    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def hls_stream(tmp_path, settings):
    """An HLS stream (H.264 test pattern in 2-second MPEG-TS segments) made by ffmpeg, served over HTTP from
    another origin than the platform's, which is configured as the video server."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.fail("ffmpeg not found: install Debian's ffmpeg (.ci/run does when it is missing).")
    root = tmp_path / "video"
    root.mkdir()
    (root / "pagina.html").write_text("<html><body>No es video</body></html>")
    subprocess.run(
        [ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
         "-t", "8", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "25", "-f", "hls", "-hls_time", "2",
         "-hls_list_size", "0", "-hls_playlist_type", "vod", str(root / "dron.m3u8")],
        check=True,
        timeout=120,
    )  # fmt: skip
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_VideoServer, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    settings.MUEVE_VISUAL_STREAM_ORIGINS = [origin]
    yield origin
    server.shutdown()
    server.server_close()


@pytest.fixture
def incident():
    service = report_services.service_upsert(
        jurisdiction=Jurisdiction.objects.get(slug="gran-concepcion"),
        code="semaforo-prueba-dron",
        name="Semáforo caído (prueba dron)",
        alert_category="traffic",
        attributes=[],
    )
    report = report_services.report_submit(service=service, lat=SPOT[0], lon=SPOT[1], description="Semáforo caído")
    yield report.incident
    Mission.objects.filter(incident_id=report.incident_id).update(status=Mission.Status.RETURNED)


def _login(page, site, username, next_path):
    page.goto(f"{site}/cuentas/entrar/?next={next_path}")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill("mueve2014")
    page.get_by_role("button", name="Entrar").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 140, 60)).save(out, format="PNG")
    return out.getvalue()


def test_an_operator_requests_a_check_the_pilot_accepts_and_the_stream_plays(
    site, page, phone_page, incident, hls_stream
):
    csp_errors, requested = [], []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: requested.append(r.url))

    _login(page, site, "operadora", "/control/")
    page.locator(f"#queue li[data-id='{incident.pk}'] .ctl-item-open").click()
    page.get_by_role("button", name="Verificar visualmente").click()
    offer = page.locator("#visual-offers li")
    expect(offer).to_have_count(1)
    expect(offer).to_contain_text("Dron UOCT 1")
    offer.get_by_role("button", name=re.compile("^Solicitar")).click()
    mission = page.locator("#visual-missions li.vc-mission")
    expect(mission).to_have_attribute("data-status", "requested")
    expect(mission).to_contain_text("Solicitada")
    screenshot(page, "visual-check-requested")

    phone_page.context.grant_permissions(["geolocation"], origin=site)
    phone_page.context.set_geolocation({"latitude": -36.8150, "longitude": -73.0400})
    _login(phone_page, site, "piloto", "/drones/piloto/")
    card = phone_page.locator(f"#missions li[data-id='{Mission.objects.get(incident=incident).pk}']")
    expect(card).to_contain_text("Semáforo caído (prueba dron)")
    card.get_by_role("button", name="Aceptar la misión").click()
    expect(card).to_have_attribute("data-status", "accepted")
    card.get_by_label("Compartir mi posición").check()
    expect(card).to_contain_text("Posición compartida.")
    card.get_by_role("button", name="Despegué").click()
    card.get_by_role("button", name="Llegué al lugar").click()
    expect(card).to_have_attribute("data-status", "on_scene")

    # An address that is not HLS: a clear error, nothing stored.
    card.get_by_label("Dirección del video en vivo (HLS, .m3u8)").fill(f"{hls_stream}/pagina.html")
    card.get_by_role("button", name="Usar este video").click()
    expect(card.get_by_role("alert")).to_contain_text("no es un video HLS")
    assert Mission.objects.get(incident=incident).stream_url == ""

    card.get_by_label("Enviar imagen (JPEG o PNG)").set_input_files(
        {"name": "vista.png", "mimeType": "image/png", "buffer": _png()}
    )
    card.get_by_role("button", name="Enviar", exact=True).click()
    expect(card).to_contain_text("Imágenes enviadas: 1")
    card.get_by_label("Dirección del video en vivo (HLS, .m3u8)").fill(f"{hls_stream}/dron.m3u8")
    card.get_by_role("button", name="Usar este video").click()
    expect(card).to_contain_text("HLS")
    expect(card.get_by_role("alert")).to_have_text("")
    screenshot(phone_page, "visual-check-pilot")
    _accessible(phone_page)

    # The incident panel follows (it polls): the pilot's position, the snapshot and the live video.
    expect(mission).to_have_attribute("data-status", "on_scene")
    expect(mission).to_contain_text("Piloto en -36.81500, -73.04000")
    page.wait_for_function(
        "() => { const i = document.querySelector('#visual-missions img'); return i && i.naturalWidth > 0; }"
    )
    video = mission.locator("video")
    expect(video).to_have_count(1)
    # Played, not only attached: enough data for the current frame, and the clock moving.
    playing = "() => { const v = document.querySelector('#visual-missions video'); return v && v.readyState >= 2"
    page.wait_for_function(playing + " && v.currentTime > 0; }", timeout=30000)
    assert page.evaluate("document.querySelector('#visual-missions video').src").startswith("blob:")
    screenshot(page, "visual-check-live-feed")
    assert csp_errors == []
    # The transmuxing worker came from the vendored file (so the policy needs no blob: worker).
    assert any(url.endswith("/vendor/hls.js-1.6.15/hls.worker.js") for url in requested)
    _accessible(page)

    page.goto(f"{site}/drones/estadisticas/")
    expect(page.locator("h1")).to_have_text("Estadísticas de verificación visual")
    expect(page.locator("#median-image")).not_to_have_text("—")
    screenshot(page, "visual-check-statistics")
    _accessible(page)


def _accessible(page):
    add_axe(page)
    violations = page.evaluate(AXE_RUN, WCAG_TAGS)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    assert page.locator("h1").count() == 1 and page.locator("main").count() == 1
