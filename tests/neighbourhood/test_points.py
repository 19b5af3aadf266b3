"""Cuido mi Barrio cannot be farmed: points only for what an operator confirms, once per person and problem; none
for duplicates, rejected reports or self-confirmations; awarding twice gives once."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mueve.accounts.models import Role
from mueve.neighbourhood import selectors, services
from mueve.reports import services as reports
from mueve.reports.models import Adoption, RewardPoint
from mueve.reports.services.rewards import award_points
from tests.neighbourhood.conftest import HERE, report_at

pytestmark = pytest.mark.django_db
FAR = (HERE[0] + 0.005, HERE[1] + 0.005)  # ~700 m away: another incident


def test_a_confirmed_report_earns_ten_points_once(lights, ana, operator, barrio):
    report = report_at(lights, ana)
    assert selectors.points_of(user=ana) == 0  # sending alone earns nothing
    reports.incident_acknowledge(incident=report.incident, actor=operator)
    reports.incident_resolve(incident=report.incident, actor=operator)
    assert selectors.points_of(user=ana) == 10
    assert award_points(report.incident) == 0  # the same event again: nothing more
    assert selectors.points_of(user=ana) == 10


def test_reporting_the_same_problem_twice_earns_once(lights, ana, operator, barrio):
    first = report_at(lights, ana)
    second = report_at(lights, ana)
    assert first.incident_id == second.incident_id
    reports.incident_acknowledge(incident=first.incident, actor=operator)
    assert selectors.points_of(user=ana) == 10


def test_a_duplicate_merged_into_another_incident_earns_nothing(lights, ana, operator, barrio):
    original = report_at(lights, ana)
    duplicate = report_at(lights, ana, lat=FAR[0], lon=FAR[1])
    assert original.incident_id != duplicate.incident_id
    reports.incident_acknowledge(incident=original.incident, actor=operator)
    reports.incident_acknowledge(incident=duplicate.incident, actor=operator)
    assert selectors.points_of(user=ana) == 20  # two problems, as far as anyone knew
    reports.incident_merge(target=original.incident, sources=[duplicate.incident], actor=operator)
    assert selectors.points_of(user=ana) == 10  # one problem after all


def test_an_incident_rejected_as_duplicate_earns_nothing_and_loses_what_it_had(lights, ana, bruno, operator, barrio):
    original = report_at(lights, bruno)
    duplicate = report_at(lights, ana, lat=FAR[0], lon=FAR[1])
    reports.incident_acknowledge(incident=duplicate.incident, actor=operator)
    assert selectors.points_of(user=ana) == 10
    reports.incident_reject(
        incident=duplicate.incident, actor=operator, reason="duplicate", duplicate_of=original.incident
    )
    assert selectors.points_of(user=ana) == 0


def test_rejected_reports_earn_nothing(lights, ana, operator, barrio):
    report = report_at(lights, ana)
    reports.incident_reject(incident=report.incident, actor=operator, reason="invalid")
    assert selectors.points_of(user=ana) == 0
    assert award_points(report.incident) == 0


def test_an_operator_confirming_their_own_report_earns_nothing(lights, ana, operator, barrio):
    own = report_at(lights, operator)
    report_at(lights, ana)  # a neighbour reported the same light
    reports.incident_acknowledge(incident=own.incident, actor=operator)
    assert selectors.points_of(user=operator) == 0
    assert selectors.points_of(user=ana) == 10  # the neighbour still earns
    other = reports.incident_resolve(incident=own.incident, actor=operator)
    assert selectors.points_of(user=operator) == 0 and other.status == "resolved"


def test_confirming_a_repair_earns_five_points_once(lights, street_light, ana, bruno, operator, barrio):
    services.adopt(asset=street_light, user=ana, name="Mi poste")
    report = report_at(lights, bruno)
    assert report.asset_id == street_light.pk
    reports.incident_resolve(incident=report.incident, actor=operator)
    services.confirm_repair(asset=street_light, user=ana)
    assert RewardPoint.objects.get(user=ana).points == 5
    with pytest.raises(ValidationError):  # nothing left to confirm: no second award
        services.confirm_repair(asset=street_light, user=ana)
    assert selectors.points_of(user=ana) == 5


def test_confirming_the_repair_of_what_one_reported_oneself_earns_nothing(lights, street_light, ana, operator, barrio):
    services.adopt(asset=street_light, user=ana)
    report = report_at(lights, ana)
    reports.incident_resolve(incident=report.incident, actor=operator)
    assert selectors.points_of(user=ana) == 10  # her report, confirmed by the operator
    incident = services.confirm_repair(asset=street_light, user=ana)
    assert incident.changes.filter(action="repair_confirmed").exists()  # the confirmation is recorded
    assert selectors.points_of(user=ana) == 10  # but earns nothing


def test_only_an_adopter_may_confirm_a_repair(lights, street_light, ana, bruno, operator, barrio):
    report = report_at(lights, bruno)
    reports.incident_resolve(incident=report.incident, actor=operator)
    with pytest.raises(ValidationError) as error:
        services.confirm_repair(asset=street_light, user=ana)
    assert "Solo quien adoptó" in str(error.value)


def test_badges_follow_what_the_person_did(lights, street_light, ana, operator, barrio):
    def earned():
        return {b.key for b in selectors.badges_for(user=ana) if b.earned_on}

    assert earned() == set()
    for n in range(5):
        report = report_at(lights, ana, lat=HERE[0] + 0.003 * n, lon=HERE[1] - 0.003 * n)
        reports.incident_acknowledge(incident=report.incident, actor=operator)
        if n == 0:
            assert earned() == {"first-confirmed"}
    assert earned() == {"first-confirmed", "five-confirmed"}
    adoption = services.adopt(asset=street_light, user=ana)
    assert "guardian-30" not in earned()
    Adoption.objects.filter(pk=adoption.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert "guardian-30" in earned()


def test_adopting_twice_or_with_a_long_name_is_refused(street_light, ana):
    with pytest.raises(ValidationError) as error:
        services.adopt(asset=street_light, user=ana, name="x" * 61)
    assert "hasta 60 caracteres" in str(error.value)
    services.adopt(asset=street_light, user=ana, name="Mi luz")
    with pytest.raises(ValidationError) as error:
        services.adopt(asset=street_light, user=ana)
    assert "ya adoptó" in str(error.value)
    services.unadopt(asset=street_light, user=ana)
    assert not Adoption.objects.filter(user=ana).exists()


def test_reward_grants_need_the_municipality(make_user, ana):
    from django.core.exceptions import PermissionDenied

    manager = make_user(Role.MANAGER)
    with pytest.raises(PermissionDenied):
        services.reward_define(actor=ana, name="Certificado")
    reward = services.reward_define(actor=manager, name="Visita a la UOCT")
    with pytest.raises(ValidationError):
        services.reward_define(actor=manager, name="visita a la uoct")
    grant = services.reward_grant(actor=manager, reward=reward, recipient=ana)
    assert list(selectors.grants_of(user=ana)) == [grant]
