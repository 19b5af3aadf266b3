"""A citizen takes part in a public challenge in real Chromium on a phone (360 px): signs in from the challenge's
page, supports it, comments (published at once; a comment with a link waits "en revisión"), and reports a
neighbour's comment from its small "Denunciar" form, by keyboard."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from mueve.accounts.models import Role
from mueve.accounts.services import user_create
from mueve.challenges import services
from mueve.challenges.models import Comment, CommentReport, Status, Support
from mueve.programs.models import Program
from mueve.stakeholders.models import Level, Organization, Sector
from mueve.territory.models import Jurisdiction
from tests.browser.conftest import add_axe, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "paradero-seguro-2026"
AXE_RUN = """async () => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
}"""


def _accessible_and_fits(page) -> None:
    add_axe(page)
    assert page.evaluate(AXE_RUN) == [], page.url
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360, page.url


def _public_challenge():
    jurisdiction = Jurisdiction.objects.create(
        slug="gc-navegador", name="Gran Concepción", kind=Jurisdiction.Kind.METROPOLITAN_AREA
    )
    program = Program.objects.create(
        name="Smart City Gran Concepción",
        slug="smart-city-navegador",
        jurisdiction=jurisdiction,
        start_date=dt.date(2013, 11, 1),
        end_date=dt.date(2014, 12, 31),
    )
    owner = Organization.objects.create(
        name="Unidad Operativa de Control de Tránsito",
        acronym="UOCT",
        slug="uoct-navegador",
        sector=Sector.GOVERNMENT,
        level=Level.REGIONAL,
    )
    manager = user_create(username="gestora-navegador", password=PASSWORD, role=Role.MANAGER)
    challenge = services.challenge_create(
        actor=manager, program=program, title="¿Cómo reducir el vandalismo en paraderos?", owner=owner, kind="concrete"
    )
    for status in (Status.VALIDATED, Status.PUBLISHED):
        challenge = services.challenge_transition(actor=manager, challenge=challenge, to_status=status)
    return challenge


def test_a_citizen_signs_in_supports_comments_and_reports_on_a_phone(live_server, phone_page):
    challenge = _public_challenge()
    user_create(
        username="rosa", password=PASSWORD, role=Role.CITIZEN, first_name="Rosa", last_name="Pérez", email="r@ex.org"
    )
    neighbour = user_create(
        username="vecino", password=PASSWORD, role=Role.CITIZEN, first_name="Julio", last_name="Soto", email="j@ex.org"
    )
    services.comment_create(author=neighbour, challenge=challenge, text="Esto no le importa a nadie, ridículos.")
    page = phone_page
    site = live_server.url

    page.goto(f"{site}/desafios/{challenge.slug}/")
    expect(page.get_by_text("0 personas apoyan este desafío")).to_be_visible()
    expect(page.get_by_role("button", name="Denunciar")).to_have_count(0)  # for signed-in people only
    page.get_by_role("link", name="Entre para apoyar, seguir o comentar").click()
    page.get_by_label("Usuario o correo").fill("rosa")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(challenge.title)

    page.get_by_role("button", name="Apoyar este desafío").click()
    expect(page.get_by_text("Gracias: su apoyo quedó registrado.")).to_be_visible()
    expect(page.get_by_text("1 persona apoya este desafío")).to_be_visible()
    expect(page.get_by_role("button", name="Retirar mi apoyo")).to_be_visible()
    assert Support.objects.filter(challenge=challenge, user__username="rosa").count() == 1

    page.get_by_label("Su comentario").fill("Propongo iluminar mejor los paraderos del centro.")
    page.get_by_role("button", name="Publicar comentario").click()
    expect(page.get_by_text("Su comentario fue publicado.")).to_be_visible()
    mine = page.locator(".comment", has_text="Propongo iluminar mejor")
    expect(mine).to_contain_text("Rosa P.")
    expect(mine).not_to_contain_text("Pérez")

    page.get_by_label("Su comentario").fill("Hay un estudio en www.ejemplo.com/paraderos")
    page.get_by_role("button", name="Publicar comentario").click()
    expect(page.get_by_text("Su comentario quedó en revisión")).to_be_visible()
    expect(page.locator(".comment", has_text="www.ejemplo.com")).to_contain_text("En revisión")
    screenshot(page, "desafio-participacion-360")
    _accessible_and_fits(page)

    # "Denunciar" on the neighbour's comment, by keyboard: the <details> opens with Enter, the form submits with Enter.
    summary = page.locator(".comment", has_text="ridículos").get_by_text("Denunciar")
    summary.focus()
    page.keyboard.press("Enter")
    reason = page.get_by_label("Motivo (opcional)")
    expect(reason).to_be_visible()
    reason.fill("Insulta a los vecinos")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Gracias: su denuncia llegó al equipo de moderación.")).to_be_visible()
    expect(page.get_by_text("Usted denunció este comentario.")).to_be_visible()
    assert CommentReport.objects.get().reason == "Insulta a los vecinos"
    assert Comment.objects.filter(challenge=challenge).count() == 3
    _accessible_and_fits(page)

    # The programme's manager publishes the held comment from the moderation queue.
    page.context.clear_cookies()
    page.goto(f"{site}/cuentas/entrar/?next=/desafios/moderacion/")
    page.get_by_label("Usuario o correo").fill("gestora-navegador")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderación de comentarios")
    held = page.locator(".mod-comment", has_text="www.ejemplo.com")
    expect(held).to_contain_text("Contiene enlaces")
    screenshot(page, "desafio-moderacion-360")
    _accessible_and_fits(page)
    held.get_by_role("button", name="Publicar").click()
    expect(page.get_by_text("Comentario publicado.")).to_be_visible()
    expect(page.locator(".mod-decisions")).to_contain_text("gestora-navegador")
    page.context.clear_cookies()
    page.goto(f"{site}/desafios/{challenge.slug}/")
    expect(page.locator(".comment", has_text="www.ejemplo.com")).not_to_contain_text("En revisión")
