"""The toolkit: a methodology template as a printable guide (/programas/plantillas/<slug>/guia/ and .pdf)."""

import html
import io
import re
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from pypdf import PdfReader

from mueve.accounts.models import Role
from mueve.portal import toolkit
from mueve.programs import selectors as program_selectors
from mueve.programs.models import MethodologyTemplate
from tests.conftest import ROLES_AND_ANONYMOUS

SLUG = "innovacion-abierta-4c"
GUIDE = f"/programas/plantillas/{SLUG}/guia/"
PDF = f"/programas/plantillas/{SLUG}/guia.pdf"
MANAGERS = {Role.MANAGER, Role.ADMIN}


def words(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces (a PDF wraps long names)."""
    return " ".join(text.split())


def page_text(content: bytes) -> str:
    without_tags = re.sub(r"<[^>]+>", " ", content.decode())
    return words(html.unescape(without_tags))


def pdf_text(content: bytes) -> str:
    return words(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def demo_names() -> list[str]:
    template = MethodologyTemplate.objects.get(slug=SLUG)
    names = []
    for component in template.components.prefetch_related("phases"):
        names.append(component.name)
        names.extend(phase.name for phase in component.phases.all())
    return names


def test_the_demo_guide_names_every_component_and_step(demo_db):
    response = Client().get(GUIDE)  # public: the Bank published its toolkit
    assert response.status_code == 200
    text = page_text(response.content)
    names = demo_names()
    assert len(names) == 5 + 13  # five components (the four and the presentation of results), thirteen steps
    for name in names:
        assert name in text, name
    # The workshop formats with the roles and the sector mix Gran Concepción invited, in counts (no person's name).
    assert "Taller de codiseño con funcionarios locales y municipales" in text
    assert "Participante: 12 instituciones" in text and "Gobierno: 12 instituciones" in text
    planned = "Gobierno, Sector privado, Academia, Sociedad civil"
    assert f"Mezcla de sectores prevista (grupos equilibrados): {planned}" in text
    assert "Participante 1 —" not in text
    # The invitation and the agreement, with placeholders to fill in.
    assert "Modelo de carta de invitación a un taller" in text and "Modelo de convenio de colaboración" in text
    assert "«[nombre de la institución]»" in text and "«[nombre del programa]»" in text
    # The lessons Gran Concepción recorded in its report.
    assert "Lecciones de programas anteriores" in text
    assert "Separar los desafíos concretos" in text and "Smart City Gran Concepción" in text


def test_the_demo_guide_pdf_names_every_component_and_step(demo_db):
    response = Client().get(PDF)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="guia-{SLUG}.pdf"'
    text = pdf_text(response.content)
    for name in demo_names():
        assert name in text, name
    for fragment in ("Modelo de carta de invitación", "«[nombre de la institución]»", "Separar los desafíos"):
        assert fragment in text


def test_the_pdf_with_the_builtin_font_keeps_every_name(demo_db):
    guide = toolkit.build_guide(program_selectors.template_get(SLUG))
    text = pdf_text(toolkit.render_pdf(guide, font=None))
    for name in demo_names():
        assert name in text, name
    assert "«[nombre de la institución]»" in text


def test_template_list_links_to_the_guide(demo_db):
    html_text = Client().get("/programas/plantillas/").content.decode()
    assert f'href="{GUIDE}"' in html_text


def test_unknown_template_is_404(db):
    assert Client().get("/programas/plantillas/no-existe/guia/").status_code == 404
    assert Client().get("/programas/plantillas/no-existe/guia.pdf").status_code == 404


def test_a_template_without_formats_or_lessons_says_so(template):
    text = page_text(Client().get(f"/programas/plantillas/{template.slug}/guia/").content)
    for name in ("Codiseño", "Análisis de contexto", "Taller de codiseño", "Competencia", "Vinculación"):
        assert name in text
    assert "Aún no hay lecciones registradas por programas que usen esta plantilla." in text
    pdf = pdf_text(Client().get(f"/programas/plantillas/{template.slug}/guia.pdf").content)
    assert "Análisis de contexto" in pdf and "Aún no hay lecciones registradas" in pdf


@pytest.mark.parametrize("is_public", [True, False])
@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_view_template_depends_on_visibility(users_by_role, role, is_public):
    user = users_by_role[role] or AnonymousUser()
    template = MethodologyTemplate(name="M", slug="m", is_public=is_public)
    assert user.has_perm("programs.view_template", template) is (is_public or role in MANAGERS)


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_a_private_template_is_for_managers_only(users_by_role, template, role):
    template.is_public = False
    template.save()
    client = Client()
    if users_by_role[role] is not None:
        client.force_login(users_by_role[role])
    expected = 200 if role in MANAGERS else 404
    for path in (
        f"/programas/plantillas/{template.slug}/guia/",
        f"/programas/plantillas/{template.slug}/guia.pdf",
        f"/programas/plantillas/{template.slug}.json",
        f"/talleres/metodologia/{template.slug}.json",
        f"/api/v1/programs/templates/{template.slug}",
    ):
        assert client.get(path).status_code == expected, path
    listed = template.name in client.get("/programas/plantillas/").content.decode()
    assert listed is (role in MANAGERS)
    api_slugs = [t["slug"] for t in client.get("/api/v1/programs/templates/").json()["items"]]
    assert (template.slug in api_slugs) is (role in MANAGERS)


# Per day, as tests/portal/test_document_serving.py counts: a minute's window could be straddled on a slow machine.
def test_anonymous_pdf_downloads_are_rate_limited(template, make_user, settings):
    settings.MUEVE_DOCUMENTS_RATE = "2/day"
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    stranger = Client(REMOTE_ADDR=address)
    path = f"/programas/plantillas/{template.slug}/guia.pdf"
    assert [stranger.get(path).status_code for _ in range(3)] == [200, 200, 429]
    assert stranger.get(f"/programas/plantillas/{template.slug}/guia/").status_code == 200  # the page is not limited
    signed_in = Client(REMOTE_ADDR=address)
    signed_in.force_login(make_user(Role.CITIZEN))
    assert signed_in.get(path).status_code == 200  # a signed-in person is not counted
