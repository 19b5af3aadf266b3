"""The main menu on a phone folds behind "Menú" (a disclosure button), opens by touch or keyboard and closes with
Escape; on a wide screen it is always open, and without JavaScript it is open everywhere."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser]


def test_the_phone_menu_folds_and_opens_by_keyboard(demo_db, live_server, phone_page):
    page = phone_page
    page.goto(live_server.url + "/")
    toggle = page.get_by_role("button", name="Menú")
    nav = page.get_by_role("navigation", name="Principal")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    # The citizen's actions are the first thing under the header, not five lines of links.
    report = page.get_by_role("link", name="Reportar un problema").first
    assert report.bounding_box()["y"] < 220, report.bounding_box()
    screenshot(page, "menu-folded-360")

    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Transporte")).to_be_visible()
    expect(page.get_by_role("link", name="Entrar / Crear cuenta")).to_be_visible()
    screenshot(page, "menu-open-360")
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(toggle).to_be_focused()

    toggle.click()
    nav.get_by_role("link", name="Transporte").click()
    expect(page).to_have_url(re.compile(r"/transporte/$"))


def test_the_wide_menu_is_always_open(demo_db, live_server, page):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("button", name="Menú")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Principal").get_by_role("link", name="Transporte")).to_be_visible()


def test_without_javascript_the_menu_is_open(demo_db, live_server, browser):
    context = browser.new_context(
        locale="es-CL", viewport={"width": 360, "height": 740}, is_mobile=True, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live_server.url + "/")
    expect(page.get_by_role("navigation", name="Principal").get_by_role("link", name="Transporte")).to_be_visible()
    context.close()
