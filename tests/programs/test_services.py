import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mueve.accounts.models import Role
from mueve.core import events
from mueve.programs import selectors, services
from mueve.programs.models import (
    ActivityLogEntry,
    IndicatorValue,
    MethodologyTemplate,
    Phase,
    Program,
    Status,
    TemplateComponent,
    TemplatePhase,
)
from tests.programs.factories import make_program, template_doc

pytestmark = pytest.mark.django_db


def _counts():
    return (
        MethodologyTemplate.objects.count(),
        TemplateComponent.objects.count(),
        TemplatePhase.objects.count(),
    )


# --- template export / import -----------------------------------------------------------------------


def test_export_import_round_trip_through_json_text(manager, template):
    exported = services.template_export(template=selectors.template_get(template.slug))
    text = json.dumps(exported, ensure_ascii=False)
    MethodologyTemplate.objects.all().delete()

    imported = services.template_import(data=text, actor=manager)

    assert services.template_export(template=selectors.template_get(imported.slug)) == exported
    assert [c.key for c in imported.components.all()] == ["codesign", "competition"]
    assert [p.name for p in imported.components.get(key="codesign").phases.all()] == [
        "Análisis de contexto",
        "Taller de codiseño",
        "Implementación y prueba",
    ]


def test_export_has_the_documented_format(template):
    doc = services.template_export(template=template)
    assert doc["format"] == "mueve.methodology"
    assert doc["version"] == 1
    assert set(doc) == {"format", "version", "slug", "name", "description", "source", "components"}
    assert set(doc["components"][0]) == {"key", "name", "theme", "objective", "audience", "phases"}
    assert set(doc["components"][0]["phases"][0]) == {"name", "description"}


def test_import_errors_name_the_json_path_and_write_nothing(manager, template):
    before = _counts()
    doc = template_doc(slug="otra")
    doc["components"][1]["phases"][0]["name"] = ""
    doc["components"][0]["key"] = "no vale"
    doc["components"][0]["color"] = "rojo"
    doc["components"].append({"key": "competition", "name": "Repetido", "phases": [{"name": "Única"}]})
    doc["components"].append({"key": "extra", "name": "Sin fases", "phases": []})

    with pytest.raises(ValidationError) as caught:
        services.template_import(data=doc, actor=manager)

    errors = caught.value.message_dict
    assert errors["components[1].phases[0].name"] == ["Obligatorio."]
    assert "components[0].key" in errors
    assert errors["components[0].color"] == ["Campo desconocido."]
    assert errors["components[2].key"] == ["Clave repetida: ya la usa components[1]."]
    assert errors["components[3].phases"] == ["Debe tener al menos una fase."]
    assert _counts() == before


@pytest.mark.parametrize(
    "change, path",
    [
        ({"format": "otra-cosa"}, "format"),
        ({"version": 2}, "version"),
        ({"version": True}, "version"),
        ({"slug": ""}, "slug"),
        ({"slug": "con espacios"}, "slug"),
        ({"name": 42}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"components": "no es lista"}, "components"),
        ({"components": []}, "components"),
        ({"autor": "alguien"}, "autor"),
    ],
)
def test_import_rejects_bad_top_level_values(manager, change, path):
    with pytest.raises(ValidationError) as caught:
        services.template_import(data=template_doc(**change), actor=manager)
    assert path in caught.value.message_dict
    assert MethodologyTemplate.objects.count() == 0


def test_import_rejects_text_that_is_not_json(manager):
    with pytest.raises(ValidationError) as caught:
        services.template_import(data='{"format": ', actor=manager)
    assert "No es JSON válido" in caught.value.message_dict["__all__"][0]
    with pytest.raises(ValidationError):
        services.template_import(data="[1, 2]", actor=manager)


def test_import_of_existing_slug_updates_it_and_leaves_programs_alone(manager, template, program):
    doc = template_doc(name="Método renovado")
    doc["components"] = [doc["components"][1]]

    updated, created = services.template_import_detailed(data=doc, actor=manager)

    assert created is False
    assert updated.pk == template.pk
    assert updated.name == "Método renovado"
    assert list(updated.components.values_list("key", flat=True)) == ["competition"]
    assert MethodologyTemplate.objects.count() == 1
    # The program keeps its own copy of the components it was created with.
    assert list(program.components.values_list("key", flat=True)) == ["codesign", "competition"]


def test_import_twice_is_a_no_op(manager, template):
    again, created = services.template_import_detailed(data=template_doc(), actor=manager)
    assert created is False
    assert again.pk == template.pk
    assert _counts() == (1, 2, 5)


def test_import_requires_a_manager(make_user):
    with pytest.raises(PermissionDenied):
        services.template_import(data=template_doc(), actor=make_user(Role.OFFICIAL))
    assert MethodologyTemplate.objects.count() == 0


# --- programs ------------------------------------------------------------------------------------------


def test_program_create_copies_components_and_phases(manager, template, program):
    assert program.template == template
    assert list(program.components.values_list("order", "key", "name")) == [
        (1, "codesign", "Codiseño"),
        (2, "competition", "Competencia"),
    ]
    codesign = program.components.get(key="codesign")
    assert codesign.theme == "Demostración y campeones"
    assert codesign.audience == "Funcionarios"
    assert list(codesign.phases.values_list("order", "name", "status")) == [
        (1, "Análisis de contexto", Status.PLANNED),
        (2, "Taller de codiseño", Status.PLANNED),
        (3, "Implementación y prueba", Status.PLANNED),
    ]
    assert manager in program.managers.all()
    entry = program.activity.get()
    assert entry.verb == "program_created"
    assert entry.actor == manager
    assert "Smart City Prueba" in entry.message


def test_program_create_generates_a_unique_slug(manager, template):
    first = make_program(manager, template=template, name="MueveTT Temuco")
    second = make_program(manager, template=template, name="MueveTT Temuco")
    assert first.slug == "muevett-temuco"
    assert second.slug == "muevett-temuco-2"


def test_program_create_validates_in_spanish_and_writes_nothing(manager, template):
    with pytest.raises(ValidationError) as caught:
        make_program(
            manager,
            template=template,
            name=" ",
            sector="espacial",
            start_date=date(2014, 5, 1),
            end_date=date(2014, 1, 1),
            slug="plantillas",
        )
    errors = caught.value.message_dict
    assert errors["name"] == ["Obligatorio."]
    assert errors["sector"] == ["Sector desconocido."]
    assert errors["end_date"] == ["La fecha de término debe ser igual o posterior a la de inicio."]
    assert errors["slug"] == ["Ese identificador está reservado."]
    assert Program.objects.count() == 0
    assert ActivityLogEntry.objects.count() == 0


def test_program_dates_must_be_plausible_years(manager, template):
    with pytest.raises(ValidationError) as caught:
        make_program(manager, template=template, start_date=date(1, 1, 1), end_date=date(9999, 12, 31))
    assert set(caught.value.message_dict) == {"start_date", "end_date"}


def test_program_create_refuses_a_taken_slug(manager, template, program):
    with pytest.raises(ValidationError) as caught:
        make_program(manager, template=template, slug=program.slug)
    assert "slug" in caught.value.message_dict


def test_program_create_needs_a_manager(make_user, template):
    with pytest.raises(PermissionDenied):
        make_program(make_user(Role.CITIZEN), template=template)


def test_program_create_publishes_events_after_commit(manager, template, django_capture_on_commit_callbacks):
    received = []

    def subscriber(kind, payload):
        received.append((kind, payload))

    events.subscribe(subscriber)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            make_program(manager, template=template, name="Con eventos")
    finally:
        events._subscribers.remove(subscriber)
    kinds = [k for k, _ in received]
    assert "programs.program_created" in kinds
    assert "programs.activity" in kinds
    assert ("programs.program_created", {"program": "con-eventos", "template": template.slug}) in received


def test_program_update_keeps_components_inside_the_new_dates(manager, program):
    phase = Phase.objects.filter(component__program=program).first()
    services.phase_update(
        actor=manager, phase=phase, status=Status.DONE, start_date=date(2014, 3, 1), end_date=date(2014, 3, 31)
    )
    with pytest.raises(ValidationError) as caught:
        services.program_update(actor=manager, program=program, start_date=date(2014, 6, 1))
    assert "Análisis de contexto" in caught.value.message_dict["__all__"][0]
    program.refresh_from_db()
    assert program.start_date == date(2014, 1, 1)

    services.program_update(actor=manager, program=program, status=Status.IN_PROGRESS, summary="Nuevo resumen")
    program.refresh_from_db()
    assert program.status == Status.IN_PROGRESS
    assert program.activity.filter(verb="program_updated").count() == 1


# --- phases and components -----------------------------------------------------------------------------


def _first_phase(program) -> Phase:
    return Phase.objects.select_related("component__program").filter(component__program=program).first()


def test_phase_update_sets_status_and_dates_and_logs(manager, program):
    phase = _first_phase(program)
    services.phase_update(
        actor=manager, phase=phase, status=Status.IN_PROGRESS, start_date=date(2014, 1, 6), end_date=date(2014, 1, 20)
    )
    phase.refresh_from_db()
    assert (phase.status, phase.start_date, phase.end_date) == (Status.IN_PROGRESS, date(2014, 1, 6), date(2014, 1, 20))
    entry = program.activity.filter(verb="phase_updated").get()
    assert "Análisis de contexto" in entry.message
    assert "En curso" in entry.message


def test_phase_update_with_the_same_values_logs_nothing(manager, program):
    phase = _first_phase(program)
    services.phase_update(actor=manager, phase=phase, status=Status.PLANNED)
    assert not program.activity.filter(verb="phase_updated").exists()


@pytest.mark.parametrize(
    "start, end, field, message",
    [
        (date(2014, 2, 10), date(2014, 2, 1), "end_date", "La fecha de término debe ser igual o posterior"),
        (date(2013, 12, 1), date(2014, 2, 1), "start_date", "fechas del programa"),
        (date(2014, 12, 1), date(2015, 1, 15), "end_date", "fechas del programa"),
        (date(2014, 2, 1), None, "end_date", "Indique ambas fechas"),
    ],
)
def test_phase_dates_must_be_ordered_and_inside_the_program(manager, program, start, end, field, message):
    phase = _first_phase(program)
    with pytest.raises(ValidationError) as caught:
        services.phase_update(actor=manager, phase=phase, start_date=start, end_date=end)
    assert message in " ".join(caught.value.message_dict[field])
    phase.refresh_from_db()
    assert phase.start_date is None
    assert not program.activity.filter(verb="phase_updated").exists()


def test_phase_update_rejects_unknown_status(manager, program):
    with pytest.raises(ValidationError) as caught:
        services.phase_update(actor=manager, phase=_first_phase(program), status="lista")
    assert caught.value.message_dict["status"] == ["Estado desconocido."]


def test_phase_update_needs_a_manager(make_user, program):
    with pytest.raises(PermissionDenied):
        services.phase_update(actor=make_user(Role.OFFICIAL), phase=_first_phase(program), status=Status.DONE)


def test_component_update_validates_like_phases(manager, program):
    component = program.components.get(key="competition")
    services.component_update(
        actor=manager, component=component, status=Status.DONE, start_date=date(2014, 5, 1), end_date=date(2014, 10, 31)
    )
    component.refresh_from_db()
    assert component.status == Status.DONE
    with pytest.raises(ValidationError) as caught:
        services.component_update(actor=manager, component=component, end_date=date(2015, 1, 1))
    assert "end_date" in caught.value.message_dict


# --- results, indicators, activity ---------------------------------------------------------------------


def test_result_add_orders_results_and_logs(manager, program):
    component = program.components.get(key="codesign")
    first = services.result_add(actor=manager, component=component, title="Cuatro conceptos")
    second = services.result_add(actor=manager, component=component, title="Campeones identificados")
    assert (first.order, second.order) == (1, 2)
    assert program.activity.filter(verb="result_added").count() == 2
    with pytest.raises(ValidationError):
        services.result_add(actor=manager, component=component, title="  ")


def test_indicator_value_is_upserted_by_date(manager, program):
    indicator = services.indicator_create(actor=manager, program=program, name="Equipos", unit="equipos")
    services.indicator_record_value(actor=manager, indicator=indicator, date=date(2014, 6, 30), value=14)
    services.indicator_record_value(actor=manager, indicator=indicator, date=date(2014, 7, 1), value=7)
    services.indicator_record_value(
        actor=manager, indicator=indicator, date=date(2014, 6, 30), value=15, note="Corregido"
    )

    values = list(IndicatorValue.objects.filter(indicator=indicator).values_list("date", "value", "note"))
    assert values == [(date(2014, 6, 30), 15.0, "Corregido"), (date(2014, 7, 1), 7.0, "")]
    assert program.activity.filter(verb="indicator_value_recorded").count() == 3
    # Recording the very same value again changes nothing and logs nothing.
    services.indicator_record_value(
        actor=manager, indicator=indicator, date=date(2014, 6, 30), value=15, note="Corregido"
    )
    assert program.activity.filter(verb="indicator_value_recorded").count() == 3


def test_indicator_rules(manager, program, template):
    services.indicator_create(actor=manager, program=program, name="Mentores")
    other = make_program(manager, template=template, name="Otro")
    with pytest.raises(ValidationError) as caught:
        services.indicator_create(
            actor=manager,
            program=program,
            name="Mentores",
            component=other.components.first(),
            target=float("nan"),
        )
    errors = caught.value.message_dict
    assert set(errors) == {"name", "component", "target"}
    indicator = program.indicators.get()
    with pytest.raises(ValidationError) as caught:
        services.indicator_record_value(actor=manager, indicator=indicator, date=date(2014, 1, 1), value="muchos")
    assert caught.value.message_dict["value"] == ["Debe ser un número."]


def test_indicator_numbers_too_large_for_the_chart_are_refused(client, manager, program):
    indicator = services.indicator_create(actor=manager, program=program, name="Viajes", unit="viajes")
    services.indicator_record_value(actor=manager, indicator=indicator, date=date(2014, 1, 1), value=-1e15)
    for bad in (1e308, -1e308, 2e15):
        with pytest.raises(ValidationError) as caught:
            services.indicator_record_value(actor=manager, indicator=indicator, date=date(2014, 2, 1), value=bad)
        assert "demasiado grande" in caught.value.message_dict["value"][0]
    with pytest.raises(ValidationError) as caught:
        services.indicator_create(actor=manager, program=program, name="Otro", baseline=1e300)
    assert set(caught.value.message_dict) == {"baseline"}
    assert client.get(f"/programas/{program.slug}/").status_code == 200


def test_a_tiny_indicator_value_does_not_break_the_program_page(client, manager, program):
    indicator = services.indicator_create(actor=manager, program=program, name="Fracción", target=5e-324)
    services.indicator_record_value(actor=manager, indicator=indicator, date=date(2014, 1, 1), value=5e-324)
    services.indicator_record_value(actor=manager, indicator=indicator, date=date(2014, 2, 1), value=0)
    assert client.get(f"/programas/{program.slug}/").status_code == 200


def test_indicator_record_value_needs_record_permission(make_user, manager, program):
    indicator = services.indicator_create(actor=manager, program=program, name="Mentores")
    with pytest.raises(PermissionDenied):
        services.indicator_record_value(
            actor=make_user(Role.MENTOR), indicator=indicator, date=date(2014, 1, 1), value=1
        )


def test_activity_record_for_other_apps(make_user, program):
    official = make_user(Role.OFFICIAL)
    entry = services.activity_record(
        program=program,
        actor=official,
        verb="challenge_published",
        message="Desafío publicado: ¿Cómo reducir el vandalismo en paraderos?   " + "x" * 600,
        target_url="/desafios/vandalismo/",
    )
    assert entry.actor == official
    assert len(entry.message) == 500
    assert entry.message.endswith("…")
    assert selectors.activity_for(program, limit=1)[0] == entry


def test_activity_record_can_be_backdated(program):
    from datetime import datetime

    from django.utils import timezone

    when = timezone.make_aware(datetime(2014, 1, 22, 12))
    entry = services.activity_record(program=program, actor=None, verb="milestone", message="Taller", occurred_at=when)
    entry.refresh_from_db()
    assert entry.created_at == when
    assert list(selectors.activity_for(program))[-1] == entry


def test_timeline_rows_use_phase_dates_when_a_component_has_none(manager, program):
    phases = list(Phase.objects.filter(component__program=program, component__key="codesign"))
    services.phase_update(actor=manager, phase=phases[0], start_date=date(2014, 1, 2), end_date=date(2014, 1, 15))
    services.phase_update(actor=manager, phase=phases[2], start_date=date(2014, 1, 23), end_date=date(2014, 2, 10))
    rows = selectors.timeline_rows(selectors.program_get_public(program.slug))
    assert [r.kind for r in rows] == ["component", "phase", "phase", "phase", "component", "phase", "phase"]
    assert (rows[0].start, rows[0].end) == (date(2014, 1, 2), date(2014, 2, 10))
    assert rows[0].label == "1. Codiseño"
    assert rows[4].start is None
    assert rows[0].status_label == "Planificado"
