"""Rewards (Cuido mi Barrio) and adoption (Cuida tu Luz): points only when an operator confirms, once; the
neighbourhood ranking; adopters told about reports on their asset and confirming its repair."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mueve.accounts.models import Role
from mueve.notifications.models import Notification
from mueve.reports import selectors, services
from mueve.reports.models import Adoption, RewardPoint
from mueve.territory.services import areas_load_geojson

HERE = (-36.827, -73.050)


@pytest.fixture
def operator(make_user):
    return make_user(Role.OPERATOR)


@pytest.fixture
def barrio(metro):
    half = 0.01
    lat, lon = HERE
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half]]
    feature = {
        "type": "Feature",
        "properties": {"name": "Barrio Centro", "code": "centro"},
        "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
    }
    return areas_load_geojson(
        jurisdiction=metro, text=json.dumps({"type": "FeatureCollection", "features": [feature]})
    )[0]


@pytest.fixture
def lights(metro):
    return services.service_upsert(
        jurisdiction=metro,
        code="luminaria-apagada",
        name="Luminaria apagada",
        alert_category="security",
        fusion_radius_m=50,
        fusion_window_minutes=7 * 24 * 60,
        attributes=[],
    )


@pytest.fixture
def street_light(metro, lights):
    return services.asset_upsert(
        jurisdiction=metro,
        kind="street_light",
        code="poste-0142",
        name="Poste 0142, Plaza de la Independencia",
        lat=HERE[0],
        lon=HERE[1],
        service=lights,
    )


def test_points_only_when_an_operator_confirms_and_only_once(
    pothole, make_user, operator, barrio, django_capture_on_commit_callbacks
):
    ana = make_user(Role.CITIZEN, first_name="Ana", last_name="Pérez")
    report = services.report_submit(service=pothole, lat=HERE[0], lon=HERE[1], reporter=ana)
    services.report_submit(service=pothole, lat=HERE[0], lon=HERE[1])  # anonymous: nobody to reward
    assert selectors.user_points(user=ana) == 0  # sending alone earns nothing
    with django_capture_on_commit_callbacks(execute=True):
        incident = services.incident_acknowledge(incident=report.incident, actor=operator)
    assert selectors.user_points(user=ana) == services.POINTS_CONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_resolve(incident=incident, actor=operator)
    assert selectors.user_points(user=ana) == services.POINTS_CONFIRMED
    assert RewardPoint.objects.get().area == barrio
    assert Notification.objects.filter(user=ana, kind="report_update").count() == 2


def test_rejected_incidents_earn_nothing(pothole, make_user, operator):
    ana = make_user(Role.CITIZEN)
    report = services.report_submit(service=pothole, lat=HERE[0], lon=HERE[1], reporter=ana)
    services.incident_reject(incident=report.incident, actor=operator, reason="invalid")
    assert selectors.user_points(user=ana) == 0


def test_neighbourhood_ranking_shows_first_name_and_initial_only(pothole, make_user, operator, barrio):
    ana = make_user(Role.CITIZEN, first_name="Ana", last_name="Pérez", email="ana@example.org")
    beto = make_user(Role.CITIZEN)
    for user, offset in ((ana, 0.0), (ana, 0.004), (beto, 0.008)):
        report = services.report_submit(service=pothole, lat=HERE[0] + offset, lon=HERE[1], reporter=user)
        services.incident_acknowledge(incident=report.incident, actor=operator)
    rows = selectors.neighbourhood_ranking(area=barrio)
    assert [(r.position, r.display_name, r.points) for r in rows] == [
        (1, "Ana P.", 20),
        (2, f"Vecino/a {beto.pk}", 10),
    ]
    assert list(selectors.ranking_areas()) == [barrio]


def test_a_report_near_an_adopted_asset_notifies_its_adopters(
    lights, street_light, make_user, django_capture_on_commit_callbacks
):
    ana, beto = make_user(Role.CITIZEN), make_user(Role.CITIZEN)
    services.asset_adopt(asset=street_light, user=ana)
    services.asset_adopt(asset=street_light, user=ana)  # adopting twice changes nothing
    assert Adoption.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_submit(service=lights, lat=HERE[0] + 0.0002, lon=HERE[1], reporter=beto)  # ~22 m
    assert report.asset == street_light
    note = Notification.objects.get(user=ana)
    assert note.kind == "adoption_incident" and note.ref == f"report:{report.public_id}"
    assert "Poste 0142" in note.title
    assert [a.asset for a in selectors.adoptions_for(user=ana)] == [street_light]
    # Too far (~55 m) or another service: no asset, no notice.
    with django_capture_on_commit_callbacks(execute=True):
        far = services.report_submit(service=lights, lat=HERE[0] + 0.0005, lon=HERE[1])
    assert far.asset is None and Notification.objects.count() == 1


def test_the_adopter_is_not_told_about_their_own_report(
    lights, street_light, make_user, django_capture_on_commit_callbacks
):
    ana = make_user(Role.CITIZEN)
    services.asset_adopt(asset=street_light, user=ana)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(service=lights, lat=HERE[0], lon=HERE[1], reporter=ana)
    assert not Notification.objects.exists()


def test_unadopt_and_anonymous_cannot_adopt(street_light, make_user):
    from django.contrib.auth.models import AnonymousUser

    ana = make_user(Role.CITIZEN)
    services.asset_adopt(asset=street_light, user=ana)
    services.asset_unadopt(asset=street_light, user=ana)
    assert not Adoption.objects.exists()
    with pytest.raises(PermissionDenied):
        services.asset_adopt(asset=street_light, user=AnonymousUser())


def test_adopter_confirms_a_repair_once(lights, street_light, make_user, operator):
    ana, other = make_user(Role.CITIZEN), make_user(Role.CITIZEN)
    services.asset_adopt(asset=street_light, user=ana)
    with pytest.raises(ValidationError):
        services.asset_confirm_repair(asset=street_light, user=ana)  # nothing resolved yet
    report = services.report_submit(service=lights, lat=HERE[0], lon=HERE[1])
    services.incident_resolve(incident=report.incident, actor=operator, note="Ampolleta cambiada.")
    with pytest.raises(PermissionDenied):
        services.asset_confirm_repair(asset=street_light, user=other)  # not an adopter
    incident = services.asset_confirm_repair(asset=street_light, user=ana, note="Ya alumbra")
    assert incident.changes.filter(action="repair_confirmed", actor=ana).exists()
    assert selectors.user_points(user=ana) == services.POINTS_REPAIR_CONFIRMED
    with pytest.raises(ValidationError):
        services.asset_confirm_repair(asset=street_light, user=ana)


def test_assets_nearby(street_light):
    found = selectors.assets_nearby(lat=HERE[0] + 0.001, lon=HERE[1], radius_m=200)
    assert found == [street_light] and 100 < found[0].distance_m < 120
