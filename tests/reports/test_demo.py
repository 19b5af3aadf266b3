from urllib.parse import urlencode

from django.test import Client

from mueve.demo import accounts, stakeholders, territory
from mueve.demo import reports as demo_reports
from mueve.reports.models import ApiKey, Report, Service


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
    assert Report.objects.get().agency_responsible.slug == "uoct"
