from urllib.parse import urlencode

from django.test import Client

from mueve.api.models import ApiKey
from mueve.demo import accounts, stakeholders, territory
from mueve.demo import reports as demo_reports
from mueve.reports.models import Report, Service


def _load_prerequisites():
    territory.load()
    stakeholders.load_organizations()
    accounts.load()


def test_demo_catalogue_and_key_work_and_load_twice_changes_nothing(db):
    _load_prerequisites()
    key = demo_reports.load()
    counts = (Service.objects.count(), ApiKey.objects.count())
    assert demo_reports.load() == key
    assert counts == (Service.objects.count(), ApiKey.objects.count())

    codes = set(Service.objects.filter(jurisdiction__slug="gran-concepcion").values_list("code", flat=True))
    assert {
        "accidente-transito",
        "congestion",
        "semaforo-falla",
        "obstruccion-via",
        "anegamiento",
        "luminaria-apagada",
        "paradero-vandalizado",
        "senal-danada",
        "bache",
    } <= codes
    assert Service.objects.get(code="semaforo-falla").agency.slug == "uoct"
    assert Service.objects.get(code="anegamiento").alert_category == "naturalDisaster"
    assert not Service.objects.filter(agency__isnull=True).exists()

    body = urlencode(
        {
            "api_key": key,
            "service_code": "semaforo-falla",
            "lat": "-36.8270",
            "long": "-73.0500",
            "attribute[falla]": "apagado",
        }
    )
    response = Client().post("/open311/v2/requests.json", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200, response.content
    created = Report.objects.get(public_id=response.json()[0]["service_request_id"])
    assert created.agency_responsible.slug == "uoct" and created.incident.agency.slug == "uoct"


def test_demo_generates_fused_routed_reports_once(db):
    import time

    from mueve.reports.models import Adoption, Asset, Incident, IncidentAssignment, RewardPoint, RoutingRule

    _load_prerequisites()
    started = time.perf_counter()
    demo_reports.load()
    elapsed = time.perf_counter() - started
    generated = Report.objects.filter(source="generated")
    assert 200 <= generated.count() <= 600
    assert not generated.exclude(description__startswith="[Generado]").exists()
    # Fused: fewer incidents than reports; every located report counted once.
    incidents = Incident.objects.all()
    assert 0 < incidents.count() < generated.count()
    assert sum(i.report_count for i in incidents) == Report.objects.filter(incident__isnull=False).count()
    assert incidents.filter(report_count__gte=3).exists()
    statuses = set(incidents.values_list("status", flat=True))
    assert {"open", "acknowledged", "resolved"} <= statuses
    # Routed: street lights by commune, injured people notify SAMU; the fallback rule exists.
    assert (
        Incident.objects.filter(
            service__code="luminaria-apagada", agency__slug="municipalidad-talcahuano-alumbrado"
        ).exists()
        or not Incident.objects.filter(service__code="luminaria-apagada", area__code="talcahuano").exists()
    )
    assert IncidentAssignment.objects.filter(agency__slug="samu", role="notified").exists()
    assert RoutingRule.objects.filter(service__isnull=True, area__isnull=True).count() == 1
    assert Asset.objects.filter(kind="street_light").count() >= 5 and Asset.objects.filter(kind="bus_stop").exists()
    assert Adoption.objects.filter(user__username="ciudadana").exists()
    assert RewardPoint.objects.filter(user__username="ciudadana").exists()
    counts = (Report.objects.count(), Incident.objects.count(), RoutingRule.objects.count(), Asset.objects.count())
    demo_reports.load()
    assert counts == (
        Report.objects.count(),
        Incident.objects.count(),
        RoutingRule.objects.count(),
        Asset.objects.count(),
    )
    print(f"reports demo: {generated.count()} reports, {incidents.count()} incidents in {elapsed:.1f} s")
