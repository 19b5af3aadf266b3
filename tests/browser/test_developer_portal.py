"""The developer portal on a phone (360 px): a developer registers an application and copies the key shown once,
uses it, reads its usage chart and table, and a manager approves it; every page passes axe (WCAG 2.1 AA) and none
scrolls sideways."""

import urllib.request

import pytest
from playwright.sync_api import expect

from mueve.accounts.models import Role
from mueve.accounts.services import user_create
from mueve.api.models import ApiKey
from tests.browser.conftest import add_axe, screenshot, without_live_streams
from tests.browser.test_accessibility import AXE_RUN, WCAG_TAGS

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "es-CL"}
PASSWORD = "una-clave-de-prueba"


def _sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/cuentas/entrar/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state()


def _check(page, name: str, found: dict) -> None:
    screenshot(page, f"developers-{name}-360")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360, f"{name} scrolls sideways"
    add_axe(page)
    if violations := page.evaluate(AXE_RUN, WCAG_TAGS):
        found[name] = violations


def test_a_developer_registers_uses_and_watches_a_key_on_a_phone(transactional_db, live_server, browser):
    user_create(username="dev-movil", password=PASSWORD, role=Role.CITIZEN)
    user_create(username="gestora-portal", password=PASSWORD, role=Role.MANAGER)
    base, found = live_server.url, {}
    context = without_live_streams(browser.new_context(**PHONE))
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(base + "/desarrolladores/")
        _check(page, "index", found)
        _sign_in(page, base, "dev-movil")
        page.goto(base + "/desarrolladores/aplicaciones/nueva/")
        _check(page, "register", found)
        page.get_by_role("button", name="Registrar la aplicación").click()
        expect(page.locator("#form-errors")).to_contain_text("Escriba el nombre de su aplicación.")
        _check(page, "register-errors", found)
        page.get_by_label("Nombre de la aplicación").fill("Buses en el bolsillo")
        page.get_by_label("Correo de contacto").fill("equipo@example.org")
        page.get_by_label("Uso previsto").fill("Muestra cuándo llega el bus.")
        page.get_by_role("button", name="Registrar la aplicación").click()
        key = page.locator("#new-key").inner_text().strip()
        assert key.startswith("mv_")
        _check(page, "created", found)

        manager = browser.new_context(**PHONE)
        manager_page = manager.new_page()
        _sign_in(manager_page, base, "gestora-portal")
        manager_page.goto(base + "/desarrolladores/gestion/")
        manager_page.get_by_role("button", name="Aprobar Buses en el bolsillo").click()
        expect(manager_page.get_by_role("button", name="Revocar Buses en el bolsillo")).to_be_visible()
        _check(manager_page, "manage", found)
        manager.close()

        for _ in range(3):
            request = urllib.request.Request(base + "/api/v1/organizations/", headers={"X-API-Key": key})
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.status == 200

        page.goto(base + "/desarrolladores/aplicaciones/")
        _check(page, "applications", found)
        page.get_by_role("link", name=f"Uso de la clave {key[:10]}").click()
        expect(page.locator('[data-surface="api"]')).to_have_text("3")
        expect(page.get_by_role("img", name="Solicitudes por hora")).to_be_visible()
        expect(page.get_by_role("table").locator("tbody tr").first).to_contain_text("3")
        _check(page, "usage", found)
    finally:
        context.close()
    assert ApiKey.objects.get().status == ApiKey.Status.APPROVED
    assert not found, found
