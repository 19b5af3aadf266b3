"""Browser tests: the system Chromium driven by Playwright against a live server."""

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("MUEVE_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("MUEVE_SCREENSHOTS", Path(__file__).resolve().parents[2] / "test-artifacts"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    # Per module, not per session: Playwright's sync API keeps an asyncio loop running in the main thread while it
    # is open, and the tests that run after the browser tests (e.g. the realtime stream's async views through
    # async_to_sync) need that thread free of a running loop.
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium package.")
    from playwright.sync_api import sync_playwright

    user_data = tempfile.mkdtemp(prefix="mueve-chromium-")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
    shutil.rmtree(user_data, ignore_errors=True)


@pytest.fixture
def page(browser):
    context = without_live_streams(browser.new_context(locale="es-CL", viewport={"width": 1280, "height": 900}))
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = without_live_streams(
        browser.new_context(locale="es-CL", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"


def add_axe(page) -> None:
    """Loads axe-core into the page as a same-origin script file: the pages' Content-Security-Policy refuses the
    inline <script> that `add_script_tag(path=...)` would insert, and the tests must not switch the policy off."""
    page.route("**/__axe__.js", lambda route: route.fulfill(path=str(AXE_SCRIPT), content_type="text/javascript"))
    page.add_script_tag(url="/__axe__.js")


from tests.mail import smtp_server  # noqa: E402, F401  (a real SMTP server for the e-mail walk-throughs)


def open_menu(page) -> None:
    """On a phone the main menu folds behind "Menú" (static/site/menu.js): opens it when it is folded (on the page
    that has finished loading, not on one a click is leaving)."""
    page.wait_for_load_state()
    toggle = page.locator("#menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


LIVE_STREAMS = re.compile(r"/en-vivo/|/tiempo-real/stream/")


def without_live_streams(context):
    """Django's threaded WSGI live server cannot tell that a stream's browser left: an open tracking or control
    stream keeps its thread and its database connection for the rest of the session, and a later test that
    restores the database waits on it. Pages served by it get their streams refused (they show the state they
    were rendered with); the streams themselves are tested against real uvicorn processes
    (tests/browser/test_tracking_live.py, test_control.py, test_pilot_walk.py)."""
    context.route(LIVE_STREAMS, lambda route: route.abort())
    return context
