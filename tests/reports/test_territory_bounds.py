"""A report must be inside the territory its service attends: a point in Santiago, at 0,0 or in Paris is refused on
every way in (the phone page, its no-JavaScript form, Open311) and nothing of it is stored."""

import json

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from mueve.realtime.models import Event
from mueve.reports import services
from mueve.reports.models import Asset, Incident, Report, ReportPhoto, ReportStatusChange
from mueve.territory.services import areas_load_geojson
from tests.reports.test_photos import jpeg_with_gps

# The comuna of Concepción, roughly (a square is enough: the test is inside or far outside).
CONCEPCION_SQUARE = [[[-73.15, -36.90], [-72.95, -36.90], [-72.95, -36.75], [-73.15, -36.75], [-73.15, -36.90]]]
INSIDE = ("-36.8201", "-73.0444")
OUTSIDE = {"santiago": ("-33.45", "-70.67"), "null island": ("0", "0"), "paris": ("48.8566", "2.3522")}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def comuna(metro):
    feature = {
        "type": "Feature",
        "properties": {"name": "Concepción", "code": "concepcion"},
        "geometry": {"type": "Polygon", "coordinates": CONCEPCION_SQUARE},
    }
    areas_load_geojson(jurisdiction=metro, text=json.dumps({"type": "FeatureCollection", "features": [feature]}))


def _nothing_stored(settings) -> None:
    assert Report.objects.count() == 0
    assert Incident.objects.count() == 0
    assert ReportPhoto.objects.count() == 0
    assert ReportStatusChange.objects.count() == 0
    assert not Event.objects.filter(kind__regex=r"^reports\.(report|incident)_").exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def _photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("foto.jpg", jpeg_with_gps(), content_type="image/jpeg")


@pytest.mark.parametrize("place", sorted(OUTSIDE))
def test_the_phone_page_refuses_a_point_outside_the_comunas(
    client, pothole, comuna, settings, place, django_capture_on_commit_callbacks
):
    lat, lon = OUTSIDE[place]
    data = {"service": "bache", "lat": lat, "lon": lon, "description": "Hoyo", "photo": _photo()}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:new"), data, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "fuera del territorio" in " ".join(response.json()["errors"]["lat"])
    _nothing_stored(settings)


@pytest.mark.parametrize("place", sorted(OUTSIDE))
def test_the_no_javascript_form_shows_the_error_on_the_location(
    client, pothole, comuna, settings, place, django_capture_on_commit_callbacks
):
    lat, lon = OUTSIDE[place]
    data = {"service": "bache", "lat": lat, "lon": lon, "description": "Hoyo", "photo": _photo()}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:new"), data)
    assert response.status_code == 400
    assert "fuera del territorio" in " ".join(response.context["form"].errors["lat"])
    assert "fuera del territorio" in response.content.decode()
    _nothing_stored(settings)


@pytest.mark.parametrize("place", sorted(OUTSIDE))
def test_open311_answers_400_naming_lat(
    client, pothole, comuna, api_key, settings, place, django_capture_on_commit_callbacks
):
    lat, lon = OUTSIDE[place]
    data = {"service_code": "bache", "lat": lat, "long": lon, "api_key": api_key, "description": "Hoyo"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/open311/v2/requests.json", data)
    assert response.status_code == 400
    (error,) = response.json()
    assert error["code"] == 400
    assert error["description"].startswith("lat:") and "fuera del territorio" in error["description"]
    _nothing_stored(settings)


def test_a_point_inside_a_comuna_is_taken_and_gets_its_comuna(client, pothole, comuna):
    lat, lon = INSIDE
    response = client.post(reverse("reports:new"), {"service": "bache", "lat": lat, "lon": lon})
    assert response.status_code == 302
    assert Report.objects.get().incident.area.name == "Concepción"


def test_the_background_intake_refuses_it_too(pothole, comuna, settings):
    settings.MUEVE_REPORTS_INTAKE = "worker"
    with pytest.raises(ValidationError, match="fuera del territorio"):
        services.report_accept(service=pothole, lat=-33.45, lon=-70.67, check_abuse=False)
    _nothing_stored(settings)


def test_an_asset_cannot_be_placed_outside_the_comunas(pothole, comuna, metro):
    with pytest.raises(ValidationError, match="fuera del territorio"):
        services.asset_upsert(
            jurisdiction=metro, kind=Asset.Kind.STREET_LIGHT, code="x1", name="Poste", lat=48.85, lon=2.35
        )
    assert Asset.objects.count() == 0
