"""i-BiciPark in real Chromium against a real uvicorn process: the building's guard watches the security desk; a
cyclist checks a bicycle in by the slot's QR page on a 360 px phone (push on); the slot's sensor reports the weight
gone with no unlock (over HTTP ingest, as the device would); the alarm appears live on the desk page, the camera's
picture joins it, and the cyclist's push service (run by this test) receives the encrypted, signed alarm. The guard
closes it as a false alarm, which first asks for a reason."""

import io
import json
import re
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import add_axe, screenshot
from tests.browser.test_accessibility import AXE_RUN, WCAG_TAGS
from tests.notifications.test_webpush import Browser, push_service  # noqa: F401 (the push service, run here)
from tests.realtime.servers import LiveSite
from tests.sensors.bicipark_site import PASSWORD

pytestmark = [pytest.mark.browser]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "es-CL"}


@pytest.fixture(scope="module")
def site():
    live = LiveSite(
        extra_env={"MUEVE_PUSH_ALLOW_LOCAL": "true"},
        seed_with="from tests.sensors.bicipark_site import seed; seed()",
    )
    with live:
        live.start(1)
        live.secrets = json.loads((Path(live.tmp) / "bicipark-secrets.json").read_text())
        yield live


def _post(url: str, secret: str, data: bytes, content_type: str) -> dict:
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": content_type, "Authorization": f"Device {secret}"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _weigh(site, number: int, kg: float, at) -> None:
    body = json.dumps({"weight": kg, "observedAt": at.isoformat()}).encode()
    _post(site.urls[0] + "/sensores/ingesta/", site.secrets[f"udec-biblioteca-{number}"], body, "application/json")


def _login(page, base: str, username: str, then: str) -> None:
    page.goto(f"{base}/cuentas/entrar/?next={then}")
    page.get_by_label("Usuario o correo").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()


def _console_problem(message) -> bool:
    """A script error or a refused script or style (CSP). Not a failed load: the false alarm's deliberate 400, and
    the map tiles of an outside server this machine cannot reach."""
    return message.type == "error" and "Failed to load resource" not in message.text


def _received(service, count: int, seconds: float = 20):
    """Waits (bounded) for the push service to have `count` messages; the test's assertions follow."""
    deadline = time.monotonic() + seconds
    while len(service.received) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return service.received


def test_a_theft_alarm_reaches_the_desk_live_and_the_owners_phone(site, browser, push_service):  # noqa: F811
    from PIL import Image

    base = site.urls[0]
    problems: list[str] = []
    guard_context = browser.new_context(locale="es-CL", viewport={"width": 1280, "height": 900})
    desk = guard_context.new_page()
    desk.set_default_timeout(20000)
    desk.on("pageerror", lambda e: problems.append(str(e)))
    desk.on("console", lambda m: _console_problem(m) and problems.append(f"{desk.url}: {m.text}"))
    _login(desk, base, "guardia-udec", "/bicipark/seguridad/udec/")
    expect(desk.get_by_role("heading", level=1)).to_have_text("Seguridad de bicicleteros · Universidad de Concepción")
    expect(desk.locator("#live-status")).to_have_attribute("data-state", "live")
    expect(desk.locator("#bp-none")).to_be_visible()

    phone_context = browser.new_context(**PHONE)
    phone = phone_context.new_page()
    phone.set_default_timeout(20000)
    phone.on("pageerror", lambda e: problems.append(str(e)))
    phone.on("console", lambda m: _console_problem(m) and problems.append(f"{phone.url}: {m.text}"))
    _login(phone, base, "camila", "/bicipark/udec-biblioteca-1/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Puesto 1 · Bicicletero Biblioteca UdeC")
    # Her phone's subscription, as push.js posts it (the browser's own push service is out of reach here).
    handset = Browser.new()
    csrf = next(c["value"] for c in phone_context.cookies() if c["name"] == "csrftoken")
    answer = phone.request.post(
        base + "/avisos/push/suscribir",
        data=json.dumps(handset.to_json(push_service.url + "/telefono-de-camila")),
        headers={"Content-Type": "application/json", "X-CSRFToken": csrf, "Referer": base + "/"},
    )
    assert answer.status == 201, answer.text()
    # The stream is the guard's: the cyclist's session is refused.
    assert phone.request.get(base + "/bicipark/seguridad/udec/en-vivo/").status == 403

    _weigh(site, 1, 14.6, timezone.now() - timedelta(seconds=5))  # the bicycle, set down before the scan
    phone.get_by_label(re.compile("Avisarme también con una notificación")).check()
    phone.get_by_role("button", name="Estacionar mi bicicleta aquí").click()
    expect(phone.locator("#bp-state")).to_have_attribute("data-state", "mine")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360
    screenshot(phone, "bicipark-slot-checked-in-360")
    add_axe(phone)
    assert phone.evaluate(AXE_RUN, WCAG_TAGS) == []

    # Someone lifts the bicycle away: the slot's sensor reports the weight gone, nobody unlocked it.
    _weigh(site, 1, 0.4, timezone.now())
    alarm = desk.locator("#bp-alarms li.bp-alarm")
    expect(alarm).to_have_count(1)
    expect(alarm.locator("h3")).to_have_text("Puesto 1 · Bicicletero Biblioteca UdeC")
    expect(alarm).to_contain_text("14.6 kg → 0.4 kg")
    expect(alarm).to_contain_text("Sin foto de la cámara todavía.")
    expect(desk.locator("#bp-none")).to_be_hidden()

    # The camera's picture of that moment joins the alarm on the desk.
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (120, 60, 20)).save(buffer, "JPEG")
    _post(base + "/bicipark/camara/", site.secrets["udec-biblioteca-camara"], buffer.getvalue(), "image/jpeg")
    picture = alarm.locator("img")
    expect(picture).to_have_attribute("alt", "Foto de la cámara del bicicletero al momento de la alarma")
    expect(picture).to_have_js_property("naturalWidth", 320)
    screenshot(desk, "bicipark-desk-alarm-live")

    # The owner's phone: the push service got it, encrypted for her handset and readable only with its keys.
    messages = _received(push_service, 1)
    assert [m.path for m in messages] == ["/telefono-de-camila"]
    notice = json.loads(handset.decrypt(messages[0].body))
    assert notice["title"] == "¡Alerta! Alguien retira su bicicleta"
    assert "Bicicletero Biblioteca UdeC" in notice["body"] and notice["url"].endswith("/bicipark/udec-biblioteca-1/")

    # At 360 px too, and accessible.
    desk.set_viewport_size({"width": 360, "height": 740})
    assert desk.evaluate("() => document.documentElement.scrollWidth") <= 360
    add_axe(desk)
    assert desk.evaluate(AXE_RUN, WCAG_TAGS) == []

    # Closing it as a false alarm asks for the reason first; then it is kept with who, when and why.
    alarm.get_by_role("radio", name="Falsa alarma").check()
    alarm.get_by_role("button", name="Cerrar alarma").click()
    expect(desk.locator(".errorlist")).to_contain_text("Explique por qué es una falsa alarma.")
    desk.locator("li.bp-alarm").get_by_role("radio", name="Falsa alarma").check()
    desk.locator("li.bp-alarm").get_by_role("textbox", name=re.compile("Motivo")).fill("La dueña la cambió de puesto.")
    desk.locator("li.bp-alarm").get_by_role("button", name="Cerrar alarma").click()
    expect(desk.locator("#bp-alarms li")).to_have_count(0)
    expect(desk.locator("#bp-closed li").first).to_contain_text("Falsa alarma")
    expect(desk.locator("#bp-closed li").first).to_contain_text("La dueña la cambió de puesto.")
    expect(desk.locator("#bp-closed li").first).to_contain_text("Gabriel")
    screenshot(desk, "bicipark-desk-closed-360")

    # The public map: free slots, at 360 px, nobody's name.
    phone.goto(base + "/bicipark/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Bicicleteros con puestos libres")
    expect(phone.locator("#bp-racks li").first).to_contain_text("2 puestos libres de 3")
    expect(phone.locator(".bp-marker")).to_have_text("2")
    assert "Camila" not in phone.locator("main").inner_html()
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360
    screenshot(phone, "bicipark-public-map-360")
    add_axe(phone)
    assert phone.evaluate(AXE_RUN, WCAG_TAGS) == []
    assert problems == [], problems
    guard_context.close()
    phone_context.close()
