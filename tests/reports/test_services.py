"""The reports services on their own: catalogue, API keys, attribute validation, idempotent submission."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mueve.accounts.models import Role
from mueve.core import events
from mueve.reports import services
from mueve.reports.models import Report, ReportStatusChange, ServiceAttribute
from mueve.reports.services import AttributeSpec, clean_attributes

D = ServiceAttribute.Datatype


def test_upsert_twice_updates_in_place_and_replaces_the_definition(accident, metro):
    again = services.service_upsert(
        jurisdiction=metro,
        code="accidente-transito",
        name="Accidente",
        alert_category="traffic",
        attributes=[
            AttributeSpec(code="heridos", datatype=D.SINGLEVALUELIST, description="¿Heridos?", values=[("si", "Sí")])
        ],
    )
    assert again.pk == accident.pk
    assert list(again.attributes.values_list("code", flat=True)) == ["heridos"]
    assert list(again.attributes.get().values.values_list("key", flat=True)) == ["si"]
    cleared = services.service_upsert(
        jurisdiction=metro, code="accidente-transito", name="Accidente", alert_category="traffic", attributes=[]
    )
    assert cleared.metadata is False


@pytest.mark.parametrize(
    "spec",
    [
        AttributeSpec(code="lista", datatype=D.SINGLEVALUELIST, description="Sin valores"),
        AttributeSpec(code="texto", datatype=D.STRING, description="Con valores", values=[("a", "A")]),
        AttributeSpec(code="raro", datatype="color", description="Tipo inexistente"),
    ],
)
def test_bad_definitions_are_refused_in_spanish(metro, spec):
    with pytest.raises(ValidationError) as exc:
        services.service_upsert(jurisdiction=metro, code="x", name="X", alert_category="traffic", attributes=[spec])
    assert f"attribute[{spec.code}]" in exc.value.message_dict


def test_service_needs_a_known_alert_category(metro):
    with pytest.raises(ValidationError) as exc:
        services.service_upsert(jurisdiction=metro, code="x", name="X", alert_category="trafico")
    assert "alert_category" in exc.value.message_dict


def test_only_managers_edit_the_catalogue(metro, make_user):
    operator = make_user(Role.OPERATOR)
    with pytest.raises(PermissionDenied):
        services.service_upsert(jurisdiction=metro, code="x", name="X", alert_category="traffic", actor=operator)


def test_submit_stores_status_history_and_publishes_after_commit(accident, django_capture_on_commit_callbacks):
    received = []

    def listener(kind, payload):
        received.append((kind, payload))

    events.subscribe(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            report = services.report_submit(service=accident, lat=-36.82, lon=-73.05, attributes={"carriles": "2"})
    finally:
        events._subscribers.remove(listener)
    assert report.h3_cell and report.agency_responsible == accident.agency
    assert report.severity == "high"
    assert list(ReportStatusChange.objects.values_list("to_value", flat=True)) == ["open"]
    assert (
        "reports.report_submitted",
        {
            "public_id": report.public_id,
            "service": "accidente-transito",
            "jurisdiction": "gran-concepcion",
            "jurisdiction_id": accident.jurisdiction_id,
            "h3_cell": report.h3_cell,
            "incident_id": report.incident_id,
        },
    ) in received
    assert report.incident_id is not None
    assert [kind for kind, _payload in received].count("reports.incident_opened") == 1


def test_same_idempotency_key_returns_the_same_report(accident):
    first = services.report_submit(
        service=accident, lat=-36.82, lon=-73.05, attributes={"carriles": "1"}, idempotency_key="k-1"
    )
    second = services.report_submit(
        service=accident, lat=-36.9, lon=-73.1, attributes={"carriles": "3"}, idempotency_key="k-1"
    )
    assert first.pk == second.pk
    assert Report.objects.count() == 1


def test_inactive_service_refuses_reports(metro):
    closed = services.service_upsert(
        jurisdiction=metro, code="cerrado", name="Cerrado", alert_category="traffic", active=False
    )
    with pytest.raises(ValidationError) as exc:
        services.report_submit(service=closed, lat=-36.82, lon=-73.05)
    assert "service_code" in exc.value.message_dict
    assert not Report.objects.exists()


# --- attribute validation, property-based ----------------------------------------------------------------------

FAST = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI cannot pass one day and fail the next
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@FAST
@given(number=st.one_of(st.integers(-(10**12), 10**12), st.floats(-1e12, 1e12, allow_nan=False)))
def test_numbers_in_range_are_accepted(accident, number):
    cleaned = clean_attributes(service=accident, answers={"carriles": str(number)})
    assert float(cleaned["carriles"]) == pytest.approx(float(number))


@FAST
@given(text=st.text(min_size=1, max_size=12).filter(lambda t: t.strip()))
def test_non_numbers_are_refused(accident, text):
    try:
        float(text.strip())  # answers are trimmed of surrounding whitespace (str.strip) before parsing
    except ValueError:
        with pytest.raises(ValidationError) as exc:
            clean_attributes(service=accident, answers={"carriles": text})
        assert "attribute[carriles]" in exc.value.message_dict


@FAST
@given(keys=st.lists(st.sampled_from(["auto", "bus", "bici", "tren", "avion"]), max_size=6))
def test_multivaluelist_accepts_exactly_subsets_of_the_keys(accident, keys):
    answers = {"carriles": "1", "vehiculos": keys}
    if set(keys) <= {"auto", "bus", "bici"}:
        cleaned = clean_attributes(service=accident, answers=answers)
        assert cleaned.get("vehiculos", []) == list(dict.fromkeys(keys))
    else:
        with pytest.raises(ValidationError) as exc:
            clean_attributes(service=accident, answers=answers)
        assert set(exc.value.message_dict) == {"attribute[vehiculos]"}


@FAST
@given(text=st.text(max_size=300))
def test_string_length_and_nul_rule(accident, text):
    answers = {"carriles": "1", "patente": text}
    if text.strip() and ("\x00" in text or len(text.strip()) > 255):
        with pytest.raises(ValidationError):
            clean_attributes(service=accident, answers=answers)
    else:
        cleaned = clean_attributes(service=accident, answers=answers)
        assert cleaned.get("patente", "") == text.strip()


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({}, "attribute[carriles]"),
        ({"carriles": "1", "ocurrido": "ayer"}, "attribute[ocurrido]"),
        ({"carriles": "1", "heridos": ["si", "no"]}, "attribute[heridos]"),
        ({"carriles": "1", "detalle": "x" * 4001}, "attribute[detalle]"),
        ({"carriles": "nan"}, "attribute[carriles]"),
        ({"carriles": "1e400"}, "attribute[carriles]"),
    ],
)
def test_attribute_errors(accident, answers, field):
    with pytest.raises(ValidationError) as exc:
        clean_attributes(service=accident, answers=answers)
    assert field in exc.value.message_dict


def test_datetime_attribute_is_stored_with_offset(accident):
    cleaned = clean_attributes(service=accident, answers={"carriles": "1", "ocurrido": "2026-03-01T08:30:00"})
    assert cleaned["ocurrido"] == "2026-03-01T08:30:00-03:00"


def test_informative_attribute_is_ignored(accident):
    cleaned = clean_attributes(service=accident, answers={"carriles": "1", "aviso": "lo que sea"})
    assert "aviso" not in cleaned
