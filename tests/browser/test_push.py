"""«Avisos en este teléfono» in real Chromium, on a phone-sized screen.

Headless Chromium has the Push API, but its push service is Google's (FCM), which a test on a closed machine cannot
reach: subscribing fails there, and the page must say so plainly. The part the phone runs when a push arrives is
tested for real: DevTools delivers a push message to the site's service worker (as Chrome's own "Push" button in
DevTools does), and the notification it shows is read back. The way from the server to a push service is tested in
tests/notifications/test_webpush.py."""

import json
import re

import pytest
from playwright.sync_api import expect

from mueve.accounts.models import Role
from mueve.accounts.services import user_create
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, add_axe, screenshot, without_live_streams
from tests.browser.test_accessibility import AXE_RUN, WCAG_TAGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "es-CL"}
USERNAME, PASSWORD = "vecina-push", "farol-del-barrio-2026"
TURN_ON = "Activar avisos en este teléfono"


# Waits in the page (bounded by the test's own timeout), not by polling from here: wait_for_function does not await.
UNTIL_ACTIVE = """async () => {
  const registration = await navigator.serviceWorker.getRegistration('/reportes/');
  while (!registration.active) await new Promise(resolve => setTimeout(resolve, 50));
  return true;
}"""
UNTIL_SHOWN = """async () => {
  const registration = await navigator.serviceWorker.getRegistration('/reportes/');
  for (;;) {
    const shown = await registration.getNotifications();
    if (shown.length) return shown.map(n => ({title: n.title, body: n.body, tag: n.tag, url: n.data.url}));
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}"""


def _phone(browser, problems: list[str], init_script: str | None = None, profile=None):
    if profile is not None:
        # A profile on disk, not the incognito-like context Playwright makes by default: Chrome has no Push API in
        # incognito (and says so in the console).
        context = browser.browser_type.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, **PHONE
        )
        without_live_streams(context)
    else:
        context = without_live_streams(browser.new_context(**PHONE))
    if init_script:
        context.add_init_script(init_script)
    page = context.pages[0] if context.pages else context.new_page()
    page.set_default_timeout(20000)
    page.on("console", lambda m: m.type == "error" and problems.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
    return context, page


def _login(page, site: str) -> None:
    page.goto(site + "/cuentas/entrar/?next=/avisos/preferencias/")
    page.get_by_label("Usuario o correo").fill(USERNAME)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preferencias de aviso")


def _texts(page) -> dict[str, str]:
    return json.loads(page.locator("#push-text").text_content())


def test_turning_push_on_from_the_keyboard_and_what_the_phone_shows(live_server, browser, settings, tmp_path):
    settings.MUEVE_SITE_URL = live_server.url
    user_create(username=USERNAME, password=PASSWORD, role=Role.CITIZEN)
    site = live_server.url
    problems: list[str] = []
    context, page = _phone(browser, problems, profile=tmp_path / "profile")
    try:
        _login(page, site)
        section = page.get_by_role("region", name="Avisos en este teléfono")
        expect(section).to_be_visible()
        text = _texts(page)
        expect(page.locator("#push-status")).to_have_text(text["off"])
        button = section.get_by_role("button", name=TURN_ON)
        expect(button).to_be_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
        screenshot(page, "push-preferences-360")
        add_axe(page)
        assert page.evaluate(AXE_RUN, WCAG_TAGS) == []

        # Reached with the keyboard alone, and pressed with Enter.
        page.locator("body").focus()
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement && document.activeElement.id") == "push-toggle":
                break
        else:
            pytest.fail("the push button is not reachable with Tab")
        context.grant_permissions(["notifications"], origin=site)
        page.clock.install()
        page.keyboard.press("Enter")
        # (A browser that gives up at once says the same without the wait.)
        expect(page.locator("#push-status")).to_have_text(re.compile(f"{re.escape(text['working'])}|{text['failed']}"))
        # Chromium's push service (Google's) is out of reach here and the browser waits on it for minutes: past the
        # page's patience (30 s, on the page's clock), it says so in plain words and offers the button again.
        page.clock.fast_forward("00:31")
        expect(page.locator("#push-status")).to_have_text(text["failed"])
        expect(button).to_be_enabled()
        expect(button).to_have_text(TURN_ON)
        page.clock.resume()
        screenshot(page, "push-preferences-after-activation-360")

        # The service worker it registered is the reporting page's (one worker, scope /reportes/).
        scopes = page.evaluate(
            "() => navigator.serviceWorker.getRegistrations().then(rs => rs.map(r => new URL(r.scope).pathname))"
        )
        assert scopes == ["/reportes/"]
        # A push reaches only an active worker; this one may still be filling its cache.
        assert page.evaluate(UNTIL_ACTIVE)

        # A push arrives: the worker shows it with its title, text and link.
        cdp = context.new_cdp_session(page)
        registrations: list[str] = []
        cdp.on(
            "ServiceWorker.workerRegistrationUpdated",
            lambda event: registrations.extend(
                r["registrationId"] for r in event["registrations"] if r["scopeURL"].endswith("/reportes/")
            ),
        )
        cdp.send("ServiceWorker.enable")
        for _ in range(100):  # the events come on Playwright's connection, read while it waits
            if registrations:
                break
            page.wait_for_timeout(20)
        assert registrations, "DevTools did not report the service worker"
        notice = {
            "title": "Su reporte CTI-1: Recibido por el organismo",
            "body": "Iremos el martes.",
            "url": site + "/reportes/seguimiento/abc/",
            "tag": "mueve-aviso-1",
        }
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": site, "registrationId": registrations[-1], "data": json.dumps(notice)},
        )
        shown = page.evaluate(UNTIL_SHOWN)
        assert shown == [{"title": notice["title"], "body": notice["body"], "tag": notice["tag"], "url": notice["url"]}]
        assert problems == []
    finally:
        context.close()


@pytest.mark.parametrize(
    ("init_script", "state"),
    [
        ("delete window.PushManager;", "unsupported"),
        ("Object.defineProperty(Notification, 'permission', {get: () => 'denied'});", "denied"),
    ],
)
def test_the_page_says_why_push_cannot_be_turned_on(live_server, browser, init_script, state):
    user_create(username=USERNAME, password=PASSWORD, role=Role.CITIZEN)
    problems: list[str] = []
    context, page = _phone(browser, problems, init_script)
    try:
        _login(page, live_server.url)
        expect(page.locator("#push-status")).to_have_text(_texts(page)[state])
        expect(page.get_by_role("button", name=TURN_ON)).to_be_hidden()
        # The choice per kind is still there: e-mail and the list work on any browser.
        expect(page.get_by_role("checkbox", name="Por correo electrónico").first).to_be_visible()
        assert problems == []
    finally:
        context.close()
