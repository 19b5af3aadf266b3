"""The pilot's walk in real Chromium, on the demo served as `make demo` serves it (uvicorn, the intake process, demo
mode): a visitor finds how to report, a citizen reports a broken traffic light and follows it, an operator
acknowledges it and the citizen's page changes by itself, a programme manager reads the programme and its report, and
a juror scores a team in the open practice round. At 360 px and at 1280 px, with no console error and no
Content-Security-Policy violation on any page, and a screenshot of every step (the README shows some)."""

import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.dbcontents import CONTENTS, DEMO, cache_dir, demo_key
from tests.realtime.servers import PYTHON, ROOT, free_port, wait_until_serving

pytestmark = [pytest.mark.browser]

PASSWORD = "mueve2014"
CONCEPCION = {"latitude": -36.8270, "longitude": -73.0503}  # Plaza de la Independencia
PROGRAM = "smart-city-gran-concepcion"
WALKERS = ("operadora", "gestora", "jurado", "ciudadana")


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """`mueve serve` in demo mode over a copy of the demo database the other tests use (built once per code
    version), with no tile server (the walk must read without one) and its own intake process."""
    with django_db_blocker.unblock():
        CONTENTS.ensure(DEMO)  # builds (or finds) the cached demo database file
    source = cache_dir() / f"demo-{demo_key()}.sqlite3"
    if not source.exists():
        pytest.fail("the walk runs on SQLite's cached demo: the browser tests are not part of the PostgreSQL pass")
    data = Path(tempfile.mkdtemp(prefix="mueve-walk-"))
    database = data / "mueve.sqlite3"
    shutil.copyfile(source, database)
    _real_passwords(database)
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(data),
        "PYTHONPATH": str(ROOT),
        "MUEVE_DATA_DIR": str(data),
        "MUEVE_DEMO": "1",
        "MUEVE_TILE_URL": "",
        "MUEVE_REALTIME_KEEPALIVE": "2",
        "MUEVE_REALTIME_POLL": "1",
        "DJANGO_SETTINGS_MODULE": "mueve.config.settings",
    }
    server = subprocess.Popen(
        [PYTHON, "-m", "mueve.cli", "serve", "--no-migrate", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/")
        yield {"url": f"http://127.0.0.1:{port}", "database": database}
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(data, ignore_errors=True)


def _real_passwords(database: Path) -> None:
    """The test session stores passwords with a fast hasher that a real server does not accept: the demo's
    accounts get the demo password again, hashed as the server hashes (PBKDF2, with few rounds: a test)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hashed = PBKDF2PasswordHasher().encode(PASSWORD, "walksalt", iterations=1000)
    with sqlite3.connect(database) as db:
        db.execute("UPDATE accounts_user SET password = ? WHERE username IN (?, ?, ?, ?)", [hashed, *WALKERS])


class Console:
    """Every console error and uncaught exception of every page of a context; a CSP refusal is a console error
    ("Refused to load / execute ... because it violates the following Content Security Policy directive")."""

    def __init__(self):
        self.problems: list[str] = []

    def watch(self, context) -> None:
        context.on("page", self._page)
        for page in context.pages:
            self._page(page)

    def _page(self, page) -> None:
        page.on("console", lambda msg: msg.type == "error" and self.problems.append(f"{page.url}: {msg.text}"))
        page.on("pageerror", lambda exc: self.problems.append(f"{page.url}: {exc}"))


def _context(browser, console: Console, width: int, **options):
    size = {"width": width, "height": 740 if width < 600 else 900}
    phone = {"is_mobile": True, "has_touch": True} if width < 600 else {}
    context = browser.new_context(locale="es-CL", viewport=size, **phone, **options)
    context.set_default_timeout(20000)
    console.watch(context)
    return context


def _login(page, base: str, username: str, next_path: str) -> None:
    page.goto(f"{base}/cuentas/entrar/?next={next_path}")
    page.get_by_label(re.compile("^Usuario")).fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def _fits(page, step: str) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{step}: the page scrolls sideways by {overflow}px"


def _wait_until_built(page, url: str) -> None:
    """The programme report is built in the background after a change; until it is, its address answers 503 with
    a page that reloads itself. The walk waits as the manager would, without a 503 in the page's console."""
    deadline = time.monotonic() + 120
    while page.request.get(url).status == 503:
        assert time.monotonic() < deadline, "the programme report was not built in two minutes"
        time.sleep(1)


def _incident_of(database: Path, public_id: str) -> int:
    """The incident the intake process fused the report into (it runs beside the server, within a second)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with sqlite3.connect(database, timeout=10) as db:
            row = db.execute("SELECT incident_id FROM reports_report WHERE public_id = ?", [public_id]).fetchone()
        if row and row[0]:
            return row[0]
        time.sleep(0.3)
    raise AssertionError(f"report {public_id} was not fused into an incident")


@pytest.mark.parametrize("width", [360, 1280])
def test_visitor_citizen_operator_manager_juror(demo_site, browser, width):
    base = demo_site["url"]
    console = Console()
    shot = f"walk-{width}"

    # A visitor: the home page leads with what a citizen comes for.
    # Each width reports from its own corner: a second report at the same light would join the first's incident.
    where = {**CONCEPCION, "latitude": CONCEPCION["latitude"] + (0.004 if width > 600 else 0)}
    citizen = _context(browser, console, width, geolocation=where, permissions=["geolocation"])
    page = citizen.new_page()
    page.goto(base + "/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    report_link = page.get_by_role("link", name="Reportar un problema").first
    expect(report_link).to_be_visible()
    expect(page.get_by_role("link", name="Planificar un viaje").first).to_be_visible()
    _fits(page, "home")
    screenshot(page, f"{shot}-1-home")

    # The citizen reports a traffic light that is out, from where the phone is.
    report_link.click()
    expect(page).to_have_url(re.compile(r"/reportes/nuevo/$"))
    expect(page.locator("#id_lat")).to_have_value(re.compile(r"^-36\.82"))
    page.locator("label.category", has_text="Semáforo con falla").click()
    page.get_by_label("Apagado").check()
    _fits(page, "new report")
    screenshot(page, f"{shot}-2-report")
    page.get_by_role("button", name="Enviar reporte").click()
    expect(page).to_have_url(re.compile(r"/reportes/seguimiento/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Semáforo con falla")
    public_id = page.locator(".track-id").inner_text().strip()
    incident = _incident_of(demo_site["database"], public_id)
    expect(page.locator("#track-live")).to_contain_text("se actualiza sola")
    before = page.locator("#track-status").inner_text()
    _fits(page, "tracking")
    screenshot(page, f"{shot}-3-tracking")

    # The operator sees it in the control centre's queue and acknowledges it.
    operator = _context(browser, console, width)
    control = operator.new_page()
    _login(control, base, "operadora", "/control/")
    item = control.locator(f"#queue li[data-id='{incident}']")
    expect(item).to_be_visible()
    item.locator(".ctl-item-open").click()
    expect(control.locator("#detail-heading")).to_contain_text(f"#{incident}")
    control.get_by_role("button", name="Acusar recibo", exact=True).click()
    expect(item).to_contain_text(re.compile("Recibido|Acusado", re.I))
    _fits(control, "control centre")
    screenshot(control, f"{shot}-4-control")

    # The citizen's page follows without a reload.
    expect(page.locator("#track-status")).not_to_have_text(before)
    screenshot(page, f"{shot}-5-tracking-updated")

    # The programme manager reads the programme and its report.
    manager = _context(browser, console, width)
    office = manager.new_page()
    _login(office, base, "gestora", f"/programas/{PROGRAM}/")
    expect(office.locator("svg.timeline-chart")).to_be_visible()
    _fits(office, "programme")
    screenshot(office, f"{shot}-6-programme")
    dossier = f"{base}/talleres/programa/{PROGRAM}/informe/"
    _wait_until_built(office, dossier)
    office.goto(dossier)
    expect(office.get_by_role("heading", level=1)).to_be_visible()
    expect(office.get_by_text(re.compile(r"Clínica: "))).to_have_count(2)
    _fits(office, "programme report")
    screenshot(office, f"{shot}-7-dossier")
    office.goto(base + "/admin/")
    expect(office).to_have_title(re.compile("Mueve"))
    assert "Django" not in office.title()
    screenshot(office, f"{shot}-8-admin")

    # The juror finds the open practice round, sees the team in conflict, and scores another team.
    jury = _context(browser, console, width)
    juror = jury.new_page()
    _login(juror, base, "jurado", "/competencias/")
    juror.get_by_role("link", name=re.compile("práctica del jurado")).first.click()
    juror.get_by_role("link", name=re.compile("^Evaluar: ")).first.click()
    expect(juror.locator(".conflicted-teams li")).to_have_count(1)
    card = juror.locator(".score-card").filter(has=juror.locator("form")).first
    team = card.locator("h3").inner_text().strip()
    for field in card.locator("input[type=number]").all():
        field.fill(field.get_attribute("max") or "4")
    card.get_by_role("button", name=re.compile("^Guardar evaluación")).click()
    scored = juror.locator(".score-card", has=juror.get_by_role("heading", name=re.compile(re.escape(team))))
    expect(scored.locator(".badge", has_text="evaluado")).to_be_visible()
    _fits(juror, "jury")
    screenshot(juror, f"{shot}-9-jury")

    for context in (citizen, operator, manager, jury):
        context.close()
    assert console.problems == [], "\n".join(console.problems)
