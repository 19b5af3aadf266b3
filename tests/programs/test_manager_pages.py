"""The manager pages for components, results and indicators: forms → services → program page."""

from datetime import date

import pytest
from django.urls import reverse

from mueve.accounts.models import Role
from mueve.programs import services
from mueve.programs.models import ActivityLogEntry, Indicator, IndicatorValue, Result, Status
from tests.conftest import PASSWORD
from tests.programs.factories import make_program

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def component(program):
    return program.components.order_by("order").first()


@pytest.fixture
def indicator(manager, program, component):
    return services.indicator_create(
        actor=manager, program=program, name="Equipos en carrera", unit="equipos", target=10, component=component
    )


def detail_html(client, program) -> str:
    response = client.get(reverse("programs:detail", args=[program.slug]))
    assert response.status_code == 200
    return response.content.decode()


def activity_count(program, verb: str) -> int:
    return ActivityLogEntry.objects.filter(program=program, verb=verb).count()


# --- component status and dates -----------------------------------------------------------------


def test_component_edit_bad_then_good(client, manager, program, component):
    login(client, manager)
    url = reverse("programs:component_edit", args=[program.slug, component.pk])
    assert url == f"/programas/{program.slug}/componentes/{component.pk}/editar/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Codiseño" in page.content.decode()

    bad = client.post(url, {"status": "in_progress", "start_date": "2014-05-10", "end_date": "2014-03-01"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "La fecha de término debe ser igual o posterior a la de inicio." in html
    assert 'id="id_end_date_error"' in html
    assert "No se guardó nada" in html

    outside = client.post(url, {"status": "in_progress", "start_date": "2015-01-10", "end_date": "2015-02-01"})
    assert outside.status_code == 400
    assert "fechas del programa" in outside.content.decode()

    half = client.post(url, {"status": "in_progress", "start_date": "2014-03-01", "end_date": ""})
    assert half.status_code == 400
    assert "Indique ambas fechas (inicio y término) o ninguna." in half.content.decode()

    unknown = client.post(url, {"status": "paused", "start_date": "", "end_date": ""})
    assert unknown.status_code == 400
    assert "Escoja una opción válida" in unknown.content.decode()

    component.refresh_from_db()
    assert (component.status, component.start_date, component.end_date) == (Status.PLANNED, None, None)
    assert activity_count(program, "component_updated") == 0

    good = client.post(url, {"status": "in_progress", "start_date": "2014-03-01", "end_date": "2014-06-30"})
    assert good.status_code == 302
    assert good["Location"] == reverse("programs:detail", args=[program.slug]) + "#componente-codesign"
    component.refresh_from_db()
    assert (component.status, component.start_date, component.end_date) == (
        Status.IN_PROGRESS,
        date(2014, 3, 1),
        date(2014, 6, 30),
    )
    assert activity_count(program, "component_updated") == 1
    html = client.get(good["Location"]).content.decode()
    assert "Componente «Codiseño» actualizado." in html
    assert "01-03-2014 – 30-06-2014" in html
    assert "Componente «1. Codiseño»: estado En curso" in html

    # The form starts from the saved values.
    again = client.get(url).content.decode()
    assert 'value="2014-03-01"' in again
    assert '<option value="in_progress" selected>' in again


def test_component_edit_can_clear_dates(client, manager, program, component):
    services.component_update(
        actor=manager, component=component, start_date=date(2014, 2, 1), end_date=date(2014, 3, 1)
    )
    login(client, manager)
    url = reverse("programs:component_edit", args=[program.slug, component.pk])
    assert client.post(url, {"status": "planned", "start_date": "", "end_date": ""}).status_code == 302
    component.refresh_from_db()
    assert (component.start_date, component.end_date) == (None, None)


# --- results ------------------------------------------------------------------------------------


def test_result_add_bad_then_good(client, manager, program, component):
    login(client, manager)
    url = reverse("programs:result_add", args=[program.slug, component.pk])
    assert url == f"/programas/{program.slug}/componentes/{component.pk}/resultados/nuevo/"
    assert client.get(url).status_code == 200

    bad = client.post(url, {"title": "   ", "description": "Sin título."})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Este campo es obligatorio." in html
    assert 'id="id_title_error"' in html
    too_long = client.post(url, {"title": "x" * 256})
    assert too_long.status_code == 400
    assert "Máximo 255 caracteres (tiene 256)." in too_long.content.decode()
    assert not Result.objects.exists()
    assert activity_count(program, "result_added") == 0

    good = client.post(url, {"title": "Cuatro conceptos codiseñados", "description": "Con la UOCT."})
    assert good.status_code == 302
    assert good["Location"].endswith("#componente-codesign")
    result = Result.objects.get()
    assert (result.component, result.description) == (component, "Con la UOCT.")
    assert activity_count(program, "result_added") == 1
    html = client.get(good["Location"]).content.decode()
    assert "Resultado agregado a «Codiseño»." in html
    assert "Cuatro conceptos codiseñados" in html
    # The next visit to the form lists what is already there.
    assert "Cuatro conceptos codiseñados" in client.get(url).content.decode()


# --- indicators ---------------------------------------------------------------------------------


def test_indicator_create_bad_then_good(client, manager, program, component, indicator, template):
    login(client, manager)
    url = reverse("programs:indicator_create", args=[program.slug])
    assert url == f"/programas/{program.slug}/indicadores/nuevo/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Todo el programa" in page.content.decode()

    duplicate = client.post(url, {"name": "Equipos en carrera", "unit": "equipos"})
    assert duplicate.status_code == 400
    html = duplicate.content.decode()
    assert "El programa ya tiene un indicador con ese nombre." in html
    assert 'id="id_name_error"' in html

    not_a_number = client.post(url, {"name": "Tiempo de viaje", "baseline": "mucho", "target": "inf"})
    assert not_a_number.status_code == 400
    assert not_a_number.content.decode().count("Introduzca un número.") == 4  # summary + field, twice

    other = make_program(manager, template=template, name="Otro programa")
    foreign = client.post(url, {"name": "Tiempo de viaje", "component": other.components.first().pk})
    assert foreign.status_code == 400
    assert "Escoja una opción válida" in foreign.content.decode()

    assert list(program.indicators.values_list("name", flat=True)) == ["Equipos en carrera"]
    assert activity_count(program, "indicator_created") == 1  # the fixture's

    second = program.components.order_by("order")[1]
    good = client.post(
        url,
        {
            "name": "Tiempo de viaje",
            "unit": "minutos",
            "description": "Promedio en hora punta.",
            "baseline": "42.5",
            "target": "35",
            "component": second.pk,
        },
    )
    assert good.status_code == 302
    created = Indicator.objects.get(program=program, name="Tiempo de viaje")
    assert good["Location"] == reverse("programs:detail", args=[program.slug]) + f"#indicador-{created.pk}"
    assert (created.unit, created.baseline, created.target, created.component) == ("minutos", 42.5, 35.0, second)
    assert activity_count(program, "indicator_created") == 2
    html = client.get(good["Location"]).content.decode()
    assert "Indicador «Tiempo de viaje» creado." in html
    assert f'id="indicador-{created.pk}"' in html
    assert "Nuevo indicador de impacto: Tiempo de viaje." in html


def test_indicator_create_without_component_or_numbers(client, manager, program):
    login(client, manager)
    url = reverse("programs:indicator_create", args=[program.slug])
    response = client.post(url, {"name": "Desafíos publicados", "component": "", "baseline": "", "target": ""})
    assert response.status_code == 302
    created = program.indicators.get()
    assert (created.component, created.baseline, created.target) == (None, None, None)


def test_indicator_value_bad_then_good_then_replaced(client, manager, program, indicator):
    login(client, manager)
    url = reverse("programs:indicator_value", args=[program.slug, indicator.pk])
    assert url == f"/programas/{program.slug}/indicadores/{indicator.pk}/valor/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Aún no hay mediciones." in page.content.decode()

    bad = client.post(url, {"date": "2014-13-40", "value": "catorce"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Introduzca una fecha válida." in html
    assert "Introduzca un número." in html
    assert 'id="id_value_error"' in html
    missing = client.post(url, {"date": "", "value": ""})
    assert missing.status_code == 400
    assert missing.content.decode().count("Este campo es obligatorio.") == 4  # summary + field
    assert not IndicatorValue.objects.exists()
    assert activity_count(program, "indicator_value_recorded") == 0

    good = client.post(url, {"date": "2014-06-30", "value": "14", "note": "Inscripción"})
    assert good.status_code == 302
    assert good["Location"].endswith(f"#indicador-{indicator.pk}")
    assert activity_count(program, "indicator_value_recorded") == 1
    html = client.get(good["Location"]).content.decode()
    assert "Medición de «Equipos en carrera» guardada." in html
    assert "30-06-2014" in html and "Inscripción" in html
    assert "Indicador «Equipos en carrera»: 14 equipos al 30-06-2014." in html

    # The same date again replaces the value (the service upserts by date).
    replaced = client.post(url, {"date": "2014-06-30", "value": "12.5", "note": ""})
    assert replaced.status_code == 302
    assert list(indicator.values.values_list("date", "value", "note")) == [(date(2014, 6, 30), 12.5, "")]
    assert activity_count(program, "indicator_value_recorded") == 2
    assert "12,5" in client.get(url).content.decode()


def test_indicator_numbers_of_absurd_size_are_refused_and_the_page_keeps_working(client, manager, program, indicator):
    login(client, manager)
    value_url = reverse("programs:indicator_value", args=[program.slug, indicator.pk])
    too_large = client.post(value_url, {"date": "2014-06-30", "value": "1e308"})
    assert too_large.status_code == 400
    assert "Número demasiado grande" in too_large.content.decode()
    create_url = reverse("programs:indicator_create", args=[program.slug])
    refused = client.post(create_url, {"name": "Enorme", "baseline": "-2e15", "target": "1e300"})
    assert refused.status_code == 400
    assert refused.content.decode().count("Número demasiado grande") == 4  # summary + field, twice
    assert not IndicatorValue.objects.exists()
    assert not program.indicators.filter(name="Enorme").exists()
    # The largest values allowed still draw.
    assert client.post(value_url, {"date": "2014-06-30", "value": "1e15"}).status_code == 302
    assert client.post(value_url, {"date": "2014-07-30", "value": "-1e15"}).status_code == 302
    assert 'class="chart line-chart"' in detail_html(client, program)


def test_indicator_value_accepts_a_future_date_like_the_service(client, manager, program, indicator):
    login(client, manager)
    url = reverse("programs:indicator_value", args=[program.slug, indicator.pk])
    assert client.post(url, {"date": "2099-01-01", "value": "3"}).status_code == 302
    assert indicator.values.get().date == date(2099, 1, 1)


# --- who may use the pages ----------------------------------------------------------------------


def manager_urls(program, component, indicator) -> list[str]:
    return [
        reverse("programs:component_edit", args=[program.slug, component.pk]),
        reverse("programs:result_add", args=[program.slug, component.pk]),
        reverse("programs:indicator_create", args=[program.slug]),
        reverse("programs:indicator_value", args=[program.slug, indicator.pk]),
    ]


GOOD_POSTS = [
    {"status": "done", "start_date": "2014-02-01", "end_date": "2014-02-28"},
    {"title": "Un resultado"},
    {"name": "Otro indicador"},
    {"date": "2014-06-30", "value": "1"},
]


def assert_nothing_written(program, component, indicator):
    component.refresh_from_db()
    assert component.status == Status.PLANNED
    assert not Result.objects.exists()
    assert list(program.indicators.all()) == [indicator]
    assert not IndicatorValue.objects.exists()


def test_anonymous_visitors_are_sent_to_login(client, program, component, indicator):
    for url, data in zip(manager_urls(program, component, indicator), GOOD_POSTS, strict=True):
        for response in (client.get(url), client.post(url, data)):
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:login")), url
    assert_nothing_written(program, component, indicator)


@pytest.mark.parametrize("role", [r for r in Role.values if r not in {Role.MANAGER, Role.ADMIN}])
def test_other_roles_are_forbidden(client, make_user, role, program, component, indicator):
    login(client, make_user(role))
    for url, data in zip(manager_urls(program, component, indicator), GOOD_POSTS, strict=True):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    assert_nothing_written(program, component, indicator)


def test_platform_admin_may_use_the_pages(client, make_user, program, component, indicator):
    login(client, make_user(Role.ADMIN))
    for url, data in zip(manager_urls(program, component, indicator), GOOD_POSTS, strict=True):
        assert client.get(url).status_code == 200, url
        assert client.post(url, data).status_code == 302, url
    component.refresh_from_db()
    assert component.status == Status.DONE
    assert Result.objects.count() == 1
    assert program.indicators.count() == 2
    assert indicator.values.count() == 1


def test_parts_of_another_program_or_unknown_ids_are_404(client, manager, program, component, indicator, template):
    other = make_program(manager, template=template, name="Otro programa")
    other_component = other.components.first()
    other_indicator = services.indicator_create(actor=manager, program=other, name="Ajeno")
    login(client, manager)
    urls = [
        reverse("programs:component_edit", args=[program.slug, other_component.pk]),
        reverse("programs:result_add", args=[program.slug, other_component.pk]),
        reverse("programs:indicator_value", args=[program.slug, other_indicator.pk]),
        reverse("programs:indicator_create", args=["no-existe"]),
        reverse("programs:component_edit", args=[program.slug, 999999]),
        reverse("programs:indicator_value", args=[program.slug, 999999]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_program_page_links_to_the_manager_pages_only_for_managers(client, make_user, manager, program, indicator):
    component = program.components.order_by("order").first()
    urls = manager_urls(program, component, indicator)
    html = detail_html(client, program)
    for url in urls:
        assert url not in html
    login(client, make_user(Role.CITIZEN))
    html = detail_html(client, program)
    for url in urls:
        assert url not in html
    login(client, manager)
    html = detail_html(client, program)
    for url in urls:
        assert url in html
    for other in program.components.all():
        assert reverse("programs:component_edit", args=[program.slug, other.pk]) in html
        assert reverse("programs:result_add", args=[program.slug, other.pk]) in html
