import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mueve.accounts.models import Role
from mueve.programs import services
from mueve.programs.models import MethodologyTemplate, Phase, Program, Status
from tests.conftest import PASSWORD
from tests.programs.factories import make_jurisdiction, template_doc

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def dated_program(manager, program):
    phase = Phase.objects.filter(component__program=program).first()
    services.phase_update(
        actor=manager, phase=phase, status=Status.DONE, start_date=date(2014, 1, 2), end_date=date(2014, 1, 15)
    )
    indicator = services.indicator_create(actor=manager, program=program, name="Equipos en carrera", unit="equipos")
    services.indicator_record_value(actor=manager, indicator=indicator, date=date(2014, 6, 30), value=14)
    services.indicator_record_value(actor=manager, indicator=indicator, date=date(2014, 10, 31), value=4)
    services.result_add(actor=manager, component=phase.component, title="Cuatro conceptos codiseñados")
    return program


def test_home_explains_mueve_and_lists_programs(client, dated_program):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "de abajo hacia arriba" in html
    assert "Smart City Gran Concepción" in html
    assert dated_program.name in html
    assert reverse("programs:detail", args=[dated_program.slug]) in html
    assert reverse("challenges:list") in html
    assert reverse("stakeholders:list") in html
    assert reverse("api:index") in html  # the developer portal, which leads to the API docs


def test_home_hides_programs_that_are_not_public(client, manager, template):
    from tests.programs.factories import make_program

    make_program(manager, template=template, name="Programa en preparación", is_public=False)
    assert "Programa en preparación" not in client.get(reverse("home")).content.decode()


def test_program_list(client, dated_program):
    response = client.get(reverse("programs:list"))
    assert response.status_code == 200
    assert dated_program.name in response.content.decode()


def test_program_detail_shows_timeline_components_indicators_and_activity(client, dated_program):
    response = client.get(reverse("programs:detail", args=[dated_program.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg class="chart timeline-chart"' in html
    assert '<title id="timeline-title">Cronograma de Smart City Prueba</title>' in html
    assert '<desc id="timeline-desc">' in html
    assert ">ene</text>" in html and ">dic</text>" in html
    # SVG numbers are never localized with a decimal comma.
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'x="12,' not in svg
    assert "Ver el cronograma como tabla" in html
    assert "Análisis de contexto" in html
    assert "Demostración y campeones" in html
    assert "Formar campeones." in html
    assert "Cuatro conceptos codiseñados" in html
    assert "Equipos en carrera" in html
    assert 'class="chart line-chart"' in html
    assert "30-06-2014" in html
    assert "Programa «Smart City Prueba» creado" in html
    assert reverse("programs:activity", args=[dated_program.slug]) in html
    # Anonymous visitors get no edit links.
    assert "/fases/" not in html


def test_program_detail_keeps_queries_few(client, dated_program, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        assert client.get(reverse("programs:detail", args=[dated_program.slug])).status_code == 200


def test_program_detail_of_unknown_or_private_program_is_404(client, manager, template):
    from tests.programs.factories import make_program

    private = make_program(manager, template=template, name="Privado", is_public=False)
    assert client.get(reverse("programs:detail", args=["no-existe"])).status_code == 404
    assert client.get(reverse("programs:detail", args=[private.slug])).status_code == 404
    assert login(client, manager).get(reverse("programs:detail", args=[private.slug])).status_code == 200


def test_program_activity_page(client, dated_program):
    response = client.get(reverse("programs:activity", args=[dated_program.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Registro de actividad" in html
    assert "Indicador «Equipos en carrera»" in html
    # Activity names no people: personal data stays out of public pages.
    assert "manager" not in html.split("<main", 1)[1]


def test_manager_sees_edit_links_and_can_edit_a_phase(client, manager, dated_program):
    login(client, manager)
    phase = Phase.objects.filter(component__program=dated_program).order_by("component__order", "order")[1]
    url = reverse("programs:phase_edit", args=[dated_program.slug, phase.pk])
    assert url in client.get(reverse("programs:detail", args=[dated_program.slug])).content.decode()
    assert client.get(url).status_code == 200

    bad = client.post(url, {"status": "done", "start_date": "2014-03-10", "end_date": "2014-03-01"})
    assert bad.status_code == 400
    assert "La fecha de término debe ser igual o posterior a la de inicio." in bad.content.decode()
    assert 'aria-invalid="true"' in bad.content.decode()
    phase.refresh_from_db()
    assert phase.start_date is None

    outside = client.post(url, {"status": "done", "start_date": "2015-03-10", "end_date": "2015-03-12"})
    assert "fechas del programa" in outside.content.decode()

    good = client.post(url, {"status": "in_progress", "start_date": "2014-01-16", "end_date": "2014-01-22"})
    assert good.status_code == 302
    phase.refresh_from_db()
    assert (phase.status, phase.start_date) == (Status.IN_PROGRESS, date(2014, 1, 16))


def test_phase_edit_of_a_phase_from_another_program_is_404(client, manager, dated_program, template):
    from tests.programs.factories import make_program

    other = make_program(manager, template=template, name="Otro")
    phase = Phase.objects.filter(component__program=other).first()
    login(client, manager)
    assert client.get(reverse("programs:phase_edit", args=[dated_program.slug, phase.pk])).status_code == 404


def test_create_program_as_manager_bad_field_then_good(client, manager, template):
    make_jurisdiction("temuco")
    login(client, manager)
    url = reverse("programs:create")
    page = client.get(url)
    assert page.status_code == 200
    assert "Plantilla metodológica" in page.content.decode()

    data = {
        "template": template.slug,
        "name": "MueveTT Temuco",
        "slug": "",
        "jurisdiction": "temuco",
        "sector": "transport",
        "start_date": "2027-12-01",
        "end_date": "2027-03-01",
        "summary": "Réplica.",
        "is_public": "on",
    }
    bad = client.post(url, data)
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "La fecha de término debe ser igual o posterior a la de inicio." in html
    assert 'id="id_end_date_error"' in html
    assert "No se guardó nada" in html
    assert not Program.objects.filter(name="MueveTT Temuco").exists()

    missing = client.post(url, {**data, "template": "", "end_date": "2027-12-15"})
    assert "Elija una plantilla metodológica." in missing.content.decode()

    good = client.post(url, {**data, "end_date": "2027-12-15"})
    program = Program.objects.get(name="MueveTT Temuco")
    assert good.status_code == 302
    assert good["Location"] == reverse("programs:detail", args=[program.slug])
    assert program.components.count() == 2
    assert program.jurisdiction.slug == "temuco"


@pytest.mark.parametrize("name", ["programs:create", "programs:template_import"])
def test_manager_pages_send_anonymous_to_login_and_forbid_other_roles(client, make_user, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    login(client, make_user(Role.OFFICIAL))
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_phase_edit_forbidden_for_non_managers(client, make_user, program):
    phase = Phase.objects.filter(component__program=program).first()
    url = reverse("programs:phase_edit", args=[program.slug, phase.pk])
    assert client.get(url).status_code == 302
    login(client, make_user(Role.CITIZEN))
    assert client.post(url, {"status": "done"}).status_code == 403
    phase.refresh_from_db()
    assert phase.status == Status.PLANNED


def test_template_list_and_export_download(client, template):
    page = client.get(reverse("programs:template_list"))
    assert page.status_code == 200
    assert "Método de prueba" in page.content.decode()
    export_url = reverse("programs:template_export", args=[template.slug])
    assert export_url == "/programas/plantillas/metodo-prueba.json"
    assert export_url in page.content.decode()

    response = client.get(export_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert 'attachment; filename="metodo-prueba.json"' == response["Content-Disposition"]
    doc = json.loads(response.content)
    assert doc["format"] == "mueve.methodology"
    assert [c["key"] for c in doc["components"]] == ["codesign", "competition"]
    assert client.get(reverse("programs:template_export", args=["no-existe"])).status_code == 404


def test_template_import_page_lists_errors_and_imports(client, manager):
    login(client, manager)
    url = reverse("programs:template_import")
    doc = template_doc(slug="ciudad-nueva")
    doc["components"][0]["phases"][1]["name"] = ""
    upload = SimpleUploadedFile("plantilla.json", json.dumps(doc).encode(), content_type="application/json")
    bad = client.post(url, {"file": upload})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "<code>components[0].phases[1].name</code>: Obligatorio." in html
    assert not MethodologyTemplate.objects.filter(slug="ciudad-nueva").exists()

    empty = client.post(url, {})
    assert "Suba un archivo o pegue el JSON." in empty.content.decode()

    good = client.post(url, {"text": json.dumps(template_doc(slug="ciudad-nueva"))})
    assert good.status_code == 302
    assert MethodologyTemplate.objects.get(slug="ciudad-nueva").components.count() == 2
    followed = client.get(good["Location"])
    assert "importada" in followed.content.decode()


def test_template_import_page_rejects_broken_json(client, manager):
    login(client, manager)
    upload = SimpleUploadedFile("plantilla.json", b"{no es json", content_type="application/json")
    response = client.post(reverse("programs:template_import"), {"file": upload})
    assert response.status_code == 400
    assert "No es JSON válido" in response.content.decode()


def test_admin_pages_render_for_platform_admins(client, make_user, dated_program):
    admin = make_user(Role.ADMIN)
    login(client, admin)
    component = dated_program.components.first()
    template = dated_program.template
    urls = [
        reverse("admin:programs_methodologytemplate_changelist"),
        reverse("admin:programs_methodologytemplate_change", args=[template.pk]),
        reverse("admin:programs_templatecomponent_change", args=[template.components.first().pk]),
        reverse("admin:programs_program_change", args=[dated_program.pk]),
        reverse("admin:programs_program_history", args=[dated_program.pk]),
        reverse("admin:programs_component_change", args=[component.pk]),
        reverse("admin:programs_indicator_change", args=[dated_program.indicators.first().pk]),
        reverse("admin:programs_activitylogentry_changelist"),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    entry = dated_program.activity.first()
    # The activity log is read-only in the admin.
    client.post(reverse("admin:programs_activitylogentry_change", args=[entry.pk]), {"message": "cambiado"})
    entry.refresh_from_db()
    assert entry.message != "cambiado"
