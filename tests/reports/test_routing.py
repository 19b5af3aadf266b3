"""Routing: category × area (× an answer) → agency, with a fallback; every assignment logged; managers edit rules."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from mueve.accounts.models import Role
from mueve.reports import services
from mueve.reports.models import IncidentAssignment, IncidentChange, RoutingRule
from mueve.stakeholders.models import Level, Organization, Sector
from mueve.territory.services import areas_load_geojson

CONCEPCION = (-36.827, -73.050)
TALCAHUANO = (-36.724, -73.117)
HUALPEN = (-36.785, -73.095)  # an area no rule names


def _square(lat, lon, half=0.02):
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _org(slug, name):
    return Organization.objects.create(name=name, slug=slug, sector=Sector.GOVERNMENT, level=Level.MUNICIPAL)


@pytest.fixture
def areas(metro):
    features = [
        {"type": "Feature", "properties": {"name": name, "code": code}, "geometry": _square(*point)}
        for name, code, point in (
            ("Concepción", "concepcion", CONCEPCION),
            ("Talcahuano", "talcahuano", TALCAHUANO),
            ("Hualpén", "hualpen", HUALPEN),
        )
    ]
    loaded = areas_load_geojson(
        jurisdiction=metro, text=json.dumps({"type": "FeatureCollection", "features": features})
    )
    return {area.code: area for area in loaded}


@pytest.fixture
def agencies(db):
    return {
        slug: _org(slug, name)
        for slug, name in (
            ("uoct", "UOCT"),
            ("samu", "SAMU"),
            ("carabineros", "Carabineros"),
            ("alumbrado-concepcion", "Alumbrado Concepción"),
            ("alumbrado-talcahuano", "Alumbrado Talcahuano"),
            ("fallback", "Unidad de Ciudad Inteligente"),
        )
    }


@pytest.fixture
def lights(metro):
    return services.service_upsert(
        jurisdiction=metro, code="luminaria", name="Luminaria apagada", alert_category="security", attributes=[]
    )


@pytest.fixture
def rules(metro, accident, lights, areas, agencies, manager):
    a = agencies
    services.routing_rule_save(
        jurisdiction=metro,
        service=accident,
        attribute_code="heridos",
        attribute_value="si",
        agency=a["uoct"],
        also_notify=[a["samu"], a["carabineros"]],
        order=10,
        name="Accidente con heridos",
        actor=manager,
    )
    services.routing_rule_save(
        jurisdiction=metro, service=accident, agency=a["uoct"], also_notify=[a["carabineros"]], order=20, actor=manager
    )
    for code in ("concepcion", "talcahuano"):
        services.routing_rule_save(
            jurisdiction=metro, service=lights, area=areas[code], agency=a[f"alumbrado-{code}"], order=30, actor=manager
        )
    services.routing_rule_save(jurisdiction=metro, agency=a["fallback"], order=1000, name="Respaldo", actor=manager)


def _assignments(incident):
    return [(a.agency.slug, a.role) for a in IncidentAssignment.objects.filter(incident=incident).order_by("id")]


def test_street_lights_go_to_the_lighting_unit_of_the_commune(rules, lights):
    for point, slug in ((CONCEPCION, "alumbrado-concepcion"), (TALCAHUANO, "alumbrado-talcahuano")):
        report = services.report_submit(service=lights, lat=point[0], lon=point[1])
        assert report.incident.agency.slug == slug
        report.refresh_from_db()
        assert report.agency_responsible.slug == slug  # Open311 agency_responsible follows the routing
        assert _assignments(report.incident) == [(slug, "responsible")]


def test_in_an_area_no_rule_names_the_fallback_rule_decides(rules, lights):
    # (A point outside every area is refused before routing: tests/reports/test_territory_bounds.py.)
    report = services.report_submit(service=lights, lat=HUALPEN[0], lon=HUALPEN[1])
    assert report.incident.agency.slug == "fallback"
    assert IncidentAssignment.objects.get(incident=report.incident).rule.name == "Respaldo"


def test_injuries_also_notify_samu(rules, accident):
    report = services.report_submit(
        service=accident, lat=CONCEPCION[0], lon=CONCEPCION[1], attributes={"carriles": "1", "heridos": "si"}
    )
    assert report.severity == "critical"
    assignments = _assignments(report.incident)
    assert assignments[0] == ("uoct", "responsible")
    assert sorted(assignments[1:]) == [("carabineros", "notified"), ("samu", "notified")]


def test_a_later_report_with_injuries_re_routes_the_incident(rules, accident):
    first = services.report_submit(
        service=accident, lat=CONCEPCION[0], lon=CONCEPCION[1], attributes={"carriles": "1", "heridos": "no"}
    )
    assert _assignments(first.incident) == [("uoct", "responsible"), ("carabineros", "notified")]
    second = services.report_submit(
        service=accident, lat=CONCEPCION[0], lon=CONCEPCION[1], attributes={"carriles": "1", "heridos": "si"}
    )
    assert second.incident_id == first.incident_id
    # UOCT stays responsible (not logged twice), SAMU is told once; nobody is notified twice.
    assert _assignments(first.incident) == [("uoct", "responsible"), ("carabineros", "notified"), ("samu", "notified")]
    second.incident.refresh_from_db()
    assert second.incident.severity == "critical"


def test_without_rules_the_service_agency_is_used(accident, organization):
    report = services.report_submit(
        service=accident, lat=CONCEPCION[0], lon=CONCEPCION[1], attributes={"carriles": "1"}
    )
    assert report.incident.agency == organization
    assignment = IncidentAssignment.objects.get(incident=report.incident)
    assert assignment.rule is None and "defecto" in assignment.reason


def test_manual_assignment_and_reroute_are_logged(rules, lights, agencies, make_user):
    operator = make_user(Role.OPERATOR)
    report = services.report_submit(service=lights, lat=CONCEPCION[0], lon=CONCEPCION[1])
    incident = services.incident_assign(
        incident=report.incident, agency=agencies["carabineros"], actor=operator, note="Poste chocado"
    )
    assert incident.agency.slug == "carabineros"
    incident = services.incident_reroute(incident=incident, actor=operator)
    assert incident.agency.slug == "alumbrado-concepcion"
    assert [s for s, _role in _assignments(incident)] == ["alumbrado-concepcion", "carabineros", "alumbrado-concepcion"]
    assert list(IncidentChange.objects.filter(incident=incident).values_list("action", flat=True)) == [
        "assign",
        "reroute",
    ]
    assert IncidentAssignment.objects.filter(incident=incident, actor=operator).count() == 2


def test_only_managers_edit_rules_and_bad_rules_are_refused(metro, accident, agencies, make_user, manager):
    with pytest.raises(PermissionDenied):
        services.routing_rule_save(jurisdiction=metro, agency=agencies["uoct"], actor=make_user(Role.OPERATOR))
    with pytest.raises(ValidationError) as exc:
        services.routing_rule_save(
            jurisdiction=metro, service=accident, attribute_code="heridos", agency=agencies["uoct"], actor=manager
        )
    assert "attribute_value" in exc.value.message_dict
    assert not RoutingRule.objects.exists()


def test_saving_the_same_rule_twice_updates_it(metro, accident, agencies, manager):
    one = services.routing_rule_save(jurisdiction=metro, service=accident, agency=agencies["uoct"], actor=manager)
    two = services.routing_rule_save(
        jurisdiction=metro, service=accident, agency=agencies["carabineros"], order=5, actor=manager
    )
    assert one.pk == two.pk and RoutingRule.objects.get().agency.slug == "carabineros"


@pytest.mark.parametrize(("role", "allowed"), [(Role.MANAGER, True), (Role.OPERATOR, False), (Role.CITIZEN, False)])
def test_routing_rules_in_the_admin(rules, make_user, role, allowed):
    user = make_user(role, is_staff=True)
    client = Client()
    client.force_login(user)
    response = client.get("/admin/reports/routingrule/")
    if allowed:
        assert response.status_code == 200
        assert "Accidente con heridos" in response.content.decode()
    else:
        assert response.status_code in (302, 403)
