"""A client-side conformance suite for the Open311 GeoReport v2 server, written from the specification
(http://wiki.open311.org/GeoReport_v2). The client below speaks only HTTP: it knows the spec's paths,
element names and formats, nothing of our code.
"""

import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from mueve.accounts.models import Role
from mueve.api import services as api_services
from mueve.reports import services
from mueve.reports.models import Report, ReportPhoto, Review, Service
from mueve.reports.photos import MAX_SIDE

from .conftest import approved_key
from .test_photos import GPS_IFD, jpeg_with_gps

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$")
FORMATS = ["json", "xml"]

# Spec: list elements and the element of each item.
LISTS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
ATTRIBUTE_FIELDS = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def _from_xml(element: ET.Element):
    children = list(element)
    if element.tag in LISTS:
        assert all(child.tag == LISTS[element.tag] for child in children), element.tag
        return [_from_xml(child) for child in children]
    if not children:
        return element.text or ""
    return {child.tag: _from_xml(child) for child in children}


class Open311Client:
    """Just enough of an Open311 client: every call returns (HTTP status, parsed body)."""

    def __init__(self, base: str = "/open311/v2/", jurisdiction_id: str | None = None):
        self.http = Client()
        self.base = base
        self.jurisdiction_id = jurisdiction_id
        self.last_root = ""

    def _params(self, params: dict) -> dict:
        if self.jurisdiction_id and "jurisdiction_id" not in params:
            params = {"jurisdiction_id": self.jurisdiction_id, **params}
        return params

    def _parse(self, response, fmt: str):
        charset = "charset=utf-8"
        if fmt == "json":
            assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
            assert charset in response["Content-Type"].lower()
            return response.status_code, json.loads(response.content.decode("utf-8"))
        assert response["Content-Type"].startswith("text/xml"), response["Content-Type"]
        assert charset in response["Content-Type"].lower()
        root = ET.fromstring(response.content)
        self.last_root = root.tag
        return response.status_code, _from_xml(root)

    def get(self, path: str, fmt: str, **params):
        response = self.http.get(f"{self.base}{path}.{fmt}", self._params(params))
        return self._parse(response, fmt)

    def post_request(self, fmt: str, data: dict, query: dict | None = None):
        body = urlencode(self._params(data), doseq=True)
        url = f"{self.base}requests.{fmt}" + (f"?{urlencode(query)}" if query else "")
        response = self.http.post(url, body, content_type="application/x-www-form-urlencoded")
        return self._parse(response, fmt)


def call(client_method, fmt: str, *args, root: str | None = None, **kwargs):
    """(status, body) for either format; in XML, checks the root element is `root`."""
    if client_method.__name__ == "get":
        status, body = client_method(args[0], fmt, **kwargs)
    else:
        status, body = client_method(fmt, *args, **kwargs)
    if fmt == "xml" and root:
        assert client_method.__self__.last_root == root
    return status, body


def _xml_bool(value) -> bool:
    return value is True or value == "true"


def _assert_error_body(status: int, body, expected_status: int):
    assert status == expected_status
    assert isinstance(body, list) and body
    for error in body:
        assert set(error) == {"code", "description"}
        assert str(error["code"]) == str(expected_status)
        assert error["description"]


@pytest.fixture
def o311(metro) -> Open311Client:
    return Open311Client()


def _valid_post(service_code: str = "accidente-transito", **extra) -> dict:
    data = {
        "service_code": service_code,
        "lat": "-36.8270",
        "long": "-73.0500",
        "description": "Choque en Paicaví con Los Carrera, una pista bloqueada.",
        "attribute[carriles]": "1",
    }
    data.update(extra)
    return data


# --- discovery, services, definitions ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery(o311, accident, fmt):
    status, body = call(o311.get, fmt, "discovery", root="discovery")
    assert status == 200
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(body)
    assert ISO_WITH_OFFSET.match(body["changeset"])
    (endpoint,) = body["endpoints"]
    assert {"specification", "url", "changeset", "type", "formats"} <= set(endpoint)
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert endpoint["type"] in {"production", "test"}
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_list(o311, accident, pothole, fmt):
    status, body = call(o311.get, fmt, "services", root="services")
    assert status == 200
    by_code = {service["service_code"]: service for service in body}
    assert set(by_code) == {"accidente-transito", "bache"}
    for service in body:
        assert set(service) == SERVICE_FIELDS
        assert service["type"] in {"realtime", "batch", "blackbox"}
    assert _xml_bool(by_code["accidente-transito"]["metadata"])
    assert not _xml_bool(by_code["bache"]["metadata"])
    assert by_code["accidente-transito"]["service_name"] == "Accidente de tránsito"
    assert "choque" in by_code["accidente-transito"]["keywords"]
    assert by_code["bache"]["type"] == "batch"


def test_xml_is_utf8_with_declaration(o311, accident):
    response = o311.http.get("/open311/v2/services.xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    assert "Accidente de tránsito".encode() in response.content


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_has_every_datatype(o311, accident, fmt):
    status, body = call(o311.get, fmt, "services/accidente-transito", root="service_definition")
    assert status == 200
    assert body["service_code"] == "accidente-transito"
    attributes = body["attributes"]
    for attribute in attributes:
        assert set(attribute) == ATTRIBUTE_FIELDS
    by_code = {a["code"]: a for a in attributes}
    assert {a["datatype"] for a in attributes} == {
        "string",
        "number",
        "datetime",
        "text",
        "singlevaluelist",
        "multivaluelist",
    }
    assert _xml_bool(by_code["carriles"]["required"])
    assert not _xml_bool(by_code["patente"]["required"])
    assert not _xml_bool(by_code["aviso"]["variable"])
    assert [int(a["order"]) for a in attributes] == sorted(int(a["order"]) for a in attributes)
    assert by_code["heridos"]["values"] == [{"key": "si", "name": "Sí"}, {"key": "no", "name": "No"}]
    assert [v["key"] for v in by_code["vehiculos"]["values"]] == ["auto", "bus", "bici"]
    assert by_code["patente"]["values"] in ([], "")


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_service_definition_is_404_with_error_body(o311, accident, fmt):
    status, body = call(o311.get, fmt, "services/no-existe", root="errors")
    _assert_error_body(status, body, 404)


# --- POST requests ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_with_api_key_in_body_then_read_it_back(o311, accident, api_key, fmt):
    data = _valid_post(api_key=api_key, **{"attribute[vehiculos][]": ["auto", "bus"], "attribute[heridos]": "no"})
    status, body = call(o311.post_request, fmt, data, root="service_requests")
    assert status in (200, 201)
    (created,) = body
    assert {"service_request_id", "service_notice", "account_id"} <= set(created)
    request_id = created["service_request_id"]
    assert request_id

    status, body = call(o311.get, fmt, f"requests/{request_id}", root="service_requests")
    assert status == 200
    (found,) = body
    assert set(found) == REQUEST_FIELDS
    assert found["service_request_id"] == request_id
    assert found["service_code"] == "accidente-transito"
    assert found["service_name"] == "Accidente de tránsito"
    assert found["status"] == "open"
    assert found["agency_responsible"] == "Unidad Operativa de Control de Tránsito"
    assert float(found["lat"]) == pytest.approx(-36.827)
    assert float(found["long"]) == pytest.approx(-73.05)
    assert ISO_WITH_OFFSET.match(found["requested_datetime"])
    assert ISO_WITH_OFFSET.match(found["updated_datetime"])
    report = Report.objects.get(public_id=request_id)
    assert report.attributes == {"carriles": 1, "vehiculos": ["auto", "bus"], "heridos": "no"}


def test_single_request_is_a_one_element_json_array(o311, accident, api_key):
    _status, (created,) = call(o311.post_request, "json", _valid_post(api_key=api_key))
    response = o311.http.get(f"/open311/v2/requests/{created['service_request_id']}.json")
    body = json.loads(response.content)
    assert isinstance(body, list) and len(body) == 1
    assert body[0]["service_request_id"] == created["service_request_id"]


def test_datetimes_carry_the_santiago_offset(o311, accident, api_key):
    _status, (created,) = call(o311.post_request, "json", _valid_post(api_key=api_key))
    _status, (found,) = call(o311.get, "json", f"requests/{created['service_request_id']}")
    assert found["requested_datetime"][-6:] in {"-03:00", "-04:00"}


def test_post_with_api_key_in_query_string(o311, accident, api_key):
    status, body = call(o311.post_request, "xml", _valid_post(), query={"api_key": api_key}, root="service_requests")
    assert status in (200, 201)
    assert Report.objects.filter(public_id=body[0]["service_request_id"]).exists()


def test_post_with_address_only(o311, accident, api_key):
    data = _valid_post(api_key=api_key, address_string="Av. Paicaví 1000, Concepción")
    del data["lat"], data["long"]
    status, (created,) = call(o311.post_request, "json", data)
    assert status in (200, 201)
    _status, (found,) = call(o311.get, "json", f"requests/{created['service_request_id']}")
    assert found["address"] == "Av. Paicaví 1000, Concepción"
    assert found["lat"] in (None, "")


def test_batch_service_answers_a_token_that_leads_to_the_id(o311, pothole, api_key):
    data = {"service_code": "bache", "lat": "-36.82", "long": "-73.05", "api_key": api_key}
    status, (created,) = call(o311.post_request, "json", data)
    assert status in (200, 201)
    assert "service_request_id" not in created
    token = created["token"]
    for fmt in FORMATS:
        status, body = call(o311.get, fmt, f"tokens/{token}", root="service_requests")
        assert status == 200
        assert body[0]["token"] == token
        assert Report.objects.filter(public_id=body[0]["service_request_id"]).exists()
    status, body = call(o311.get, "json", "tokens/no-such-token")
    _assert_error_body(status, body, 404)


def test_idempotency_key_gives_one_report(o311, accident, api_key):
    data = _valid_post(api_key=api_key, idempotency_key="telefono-123-reporte-1")
    _s, (first,) = call(o311.post_request, "json", data)
    _s, (second,) = call(o311.post_request, "json", data)
    assert first["service_request_id"] == second["service_request_id"]
    assert Report.objects.count() == 1


def test_an_idempotency_key_of_another_application_never_returns_its_report(o311, accident, api_key, manager):
    other_key = approved_key(manager, "Otra app")
    _s, (first,) = call(o311.post_request, "json", _valid_post(api_key=api_key, idempotency_key="1"))
    status, body = call(o311.post_request, "json", _valid_post(api_key=other_key, idempotency_key="1"), root="errors")
    _assert_error_body(status, body, 400)
    assert first["token"] not in str(body)
    assert Report.objects.count() == 1


BAD_INPUTS = {
    "missing service_code": ({"service_code": ""}, 400),
    "unknown service_code": ({"service_code": "no-existe"}, 400),
    "lat 200": ({"lat": "200"}, 400),
    "lat not a number": ({"lat": "norte"}, 400),
    "long without lat": ({"lat": ""}, 400),
    "no location at all": ({"lat": "", "long": ""}, 400),
    "5 MB description": ({"description": "x" * (5 * 1024 * 1024)}, 400),
    "description over 4000": ({"description": "x" * 4001}, 400),
    "missing required attribute": ({"attribute[carriles]": ""}, 400),
    "attribute not a number": ({"attribute[carriles]": "dos"}, 400),
    "value not in the list": ({"attribute[heridos]": "quizas"}, 400),
    "unknown attribute": ({"attribute[color]": "rojo"}, 400),
    "bad media_url": ({"media_url": "javascript:alert(1)"}, 400),
    "unknown jurisdiction": ({"jurisdiction_id": "atlantida"}, 404),
    "bad api_key": ({"api_key": "o311_inventada"}, 403),
    "no api_key": ({"api_key": ""}, 403),
    "NUL in the description": ({"description": "choque\x00"}, 400),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_the_spec_error_and_stores_nothing(o311, accident, api_key, case, fmt):
    changes, expected = BAD_INPUTS[case]
    data = {**_valid_post(api_key=api_key), **changes}
    status, body = call(o311.post_request, fmt, data, root="errors")
    _assert_error_body(status, body, expected)
    assert Report.objects.count() == 0


def test_requested_but_unapproved_and_revoked_keys_are_refused(o311, accident, api_key, manager, make_user):
    owner = make_user(Role.CITIZEN)
    _app, _pending, pending_key = api_services.application_register(
        owner=owner, name="Pendiente", contact_email="p@example.org", description="espera"
    )
    _app, revoked, revoked_key = api_services.application_register(
        owner=owner, name="Revocada", contact_email="r@example.org", description="revocada"
    )
    api_services.key_approve(api_key=revoked, actor=manager)
    api_services.key_revoke(api_key=revoked, actor=manager)
    for key in (pending_key, revoked_key):
        status, body = call(o311.post_request, "json", _valid_post(api_key=key))
        _assert_error_body(status, body, 403)
    assert Report.objects.count() == 0


def test_spanish_error_description_names_the_field(o311, accident, api_key):
    _status, body = call(o311.post_request, "json", {**_valid_post(api_key=api_key), "attribute[carriles]": ""})
    assert body[0]["description"].startswith("attribute[carriles]:")
    assert "obligatorio" in body[0]["description"]


def test_csrf_is_not_required_for_post(accident, api_key):
    strict = Client(enforce_csrf_checks=True)
    body = urlencode(_valid_post(api_key=api_key))
    response = strict.post("/open311/v2/requests.json", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 201)


# --- GET requests ----------------------------------------------------------------------------------------------


def _report(service, *, days_ago: float = 0, **extra) -> Report:
    return services.report_submit(
        service=service,
        lat=-36.82,
        lon=-73.05,
        attributes={"carriles": "1"} if service.code == "accidente-transito" else {},
        requested_at=timezone.now() - timedelta(days=days_ago),
        **extra,
    )


@pytest.fixture
def some_reports(accident, pothole):
    recent = _report(accident, days_ago=1)
    closed = _report(pothole, days_ago=2)
    Report.objects.filter(pk=closed.pk).update(status=Report.Status.CLOSED, status_notes="Reparado.")
    old = _report(accident, days_ago=100)
    return {"recent": recent, "closed": closed, "old": old}


def _ids(body) -> set[str]:
    return {item["service_request_id"] for item in body}


@pytest.mark.parametrize("fmt", FORMATS)
def test_search_defaults_to_the_last_90_days(o311, some_reports, fmt):
    status, body = call(o311.get, fmt, "requests", root="service_requests")
    assert status == 200
    assert _ids(body) == {some_reports["recent"].public_id, some_reports["closed"].public_id}
    for item in body:
        assert set(item) == REQUEST_FIELDS


def test_search_filters(o311, some_reports):
    recent, closed, old = some_reports["recent"], some_reports["closed"], some_reports["old"]
    _s, body = call(o311.get, "json", "requests", service_code="bache")
    assert _ids(body) == {closed.public_id}
    _s, body = call(o311.get, "json", "requests", status="closed")
    assert _ids(body) == {closed.public_id}
    assert body[0]["status_notes"] == "Reparado."
    _s, body = call(o311.get, "json", "requests", status="open,closed", service_code="accidente-transito,bache")
    assert _ids(body) == {recent.public_id, closed.public_id}
    start = (timezone.now() - timedelta(days=120)).isoformat()
    end = (timezone.now() - timedelta(days=50)).isoformat()
    _s, body = call(o311.get, "json", "requests", start_date=start, end_date=end)
    assert _ids(body) == {old.public_id}
    # A list of ids overrides every other filter, the old one included.
    _s, body = call(o311.get, "json", "requests", service_request_id=f"{old.public_id},{recent.public_id}")
    assert _ids(body) == {old.public_id, recent.public_id}


def test_search_is_newest_first_and_pages(o311, some_reports):
    _s, body = call(o311.get, "json", "requests", page_size="1")
    assert _ids(body) == {some_reports["recent"].public_id}
    _s, body = call(o311.get, "json", "requests", page_size="1", page="2")
    assert _ids(body) == {some_reports["closed"].public_id}
    _s, body = call(o311.get, "json", "requests", page_size="1", page="3")
    assert body == []


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "ayer"},
        {"status": "pending"},
        {"page_size": "1001"},
        {"page": "0"},
        {"start_date": "2026-01-01T00:00:00-03:00", "end_date": "2026-06-01T00:00:00-03:00"},
        {"start_date": "2026-02-01T00:00:00-03:00", "end_date": "2026-01-01T00:00:00-03:00"},
        {"start_date": "9999-12-30T00:00:00"},  # the 90-day default window would overflow
        {"end_date": "0001-01-01T00:00:00"},
        {"page": "²"},  # a digit to str.isdigit, not to int()
        {"service_code": "accidente\x00"},
    ],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_search_bad_parameters_are_400(o311, accident, params, fmt):
    status, body = call(o311.get, fmt, "requests", root="errors", **params)
    _assert_error_body(status, body, 400)


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_request_and_unknown_jurisdiction_are_404(o311, accident, fmt):
    status, body = call(o311.get, fmt, "requests/NOEXISTE", root="errors")
    _assert_error_body(status, body, 404)
    status, body = call(o311.get, fmt, "services", root="errors", jurisdiction_id="atlantida")
    _assert_error_body(status, body, 404)


# --- jurisdictions ---------------------------------------------------------------------------------------------


def test_jurisdiction_id_selects_the_catalogue(o311, accident, other_region):
    services.service_upsert(
        jurisdiction=other_region, code="luminaria", name="Luminaria apagada", alert_category="security"
    )
    _s, body = call(o311.get, "json", "services")
    assert {s["service_code"] for s in body} == {"accidente-transito"}  # the metropolitan area by default
    _s, body = call(o311.get, "json", "services", jurisdiction_id="region-de-prueba")
    assert {s["service_code"] for s in body} == {"luminaria"}
    status, _body = call(o311.get, "json", "services/accidente-transito", jurisdiction_id="region-de-prueba")
    assert status == 404


def test_no_served_jurisdiction_is_404(db):
    status, body = call(Open311Client().get, "json", "services")
    _assert_error_body(status, body, 404)


# --- privacy ---------------------------------------------------------------------------------------------------


def test_reporter_personal_data_never_appears(o311, accident, pothole, api_key):
    secrets_ = {
        "first_name": "Nombresecreto",
        "last_name": "Apellidosecreto",
        "email": "persona.secreta@example.org",
        "phone": "+56 9 8765 4321",
        "device_id": "dispositivo-secreto-42",
    }
    _s, (created,) = call(o311.post_request, "json", _valid_post(api_key=api_key, **secrets_))
    _s, (batch,) = call(
        o311.post_request,
        "json",
        {"service_code": "bache", "lat": "-36.8", "long": "-73.0", "api_key": api_key, **secrets_},
    )
    report_id = created["service_request_id"]
    paths = [
        "discovery",
        "services",
        "services/accidente-transito",
        "requests",
        f"requests/{report_id}",
        f"tokens/{batch['token']}",
    ]
    for fmt in FORMATS:
        for path in paths:
            content = o311.http.get(f"/open311/v2/{path}.{fmt}").content.decode("utf-8")
            for value in secrets_.values():
                assert value not in content, (path, fmt, value)
    stored = Report.objects.get(public_id=report_id)
    assert stored.email == "persona.secreta@example.org"  # kept for staff, only never published


def test_services_are_keyed_by_jurisdiction(metro, other_region):
    for jurisdiction in (metro, other_region):
        services.service_upsert(jurisdiction=jurisdiction, code="bache", name="Bache", alert_category="traffic")
    assert Service.objects.filter(code="bache").count() == 2


# --- extension: a photo sent with the request (multipart `media`) ---------------------------------------------


def _post_multipart(o311: Open311Client, fmt: str, data: dict, media: bytes, name: str = "foto.jpg"):
    upload = SimpleUploadedFile(name, media, content_type="image/jpeg")
    response = o311.http.post(f"{o311.base}requests.{fmt}", {**data, "media": upload})  # multipart/form-data
    return o311._parse(response, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_photo_sent_as_media_becomes_the_media_url_without_its_gps(o311, accident, api_key, fmt):
    status, (created,) = _post_multipart(o311, fmt, _valid_post(api_key=api_key), jpeg_with_gps())
    assert status == 200 and created["service_request_id"]
    # Photos wait for an operator by default: published once approved.
    ReportPhoto.objects.update(review=Review.APPROVED)
    _s, (request,) = call(o311.get, fmt, f"requests/{created['service_request_id']}")
    assert request["media_url"].startswith("http://testserver/")
    photo = o311.http.get(request["media_url"].removeprefix("http://testserver"))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    data = b"".join(photo.streaming_content)
    assert b"Exif" not in data and "Teléfono de Ana".encode() not in data
    with Image.open(io.BytesIO(data)) as image:
        assert max(image.size) <= MAX_SIDE and not image.getexif().get_ifd(GPS_IFD)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_exe_named_jpg_as_media_gets_the_spec_error_and_stores_nothing(o311, accident, api_key, fmt):
    status, body = _post_multipart(o311, fmt, _valid_post(api_key=api_key), b"MZ\x90\x00" + b"\x00" * 4000, "foto.jpg")
    _assert_error_body(status, body, 400)
    assert body[0]["description"].startswith("media:")
    assert Report.objects.count() == 0 and ReportPhoto.objects.count() == 0


def test_a_retried_post_with_media_keeps_one_photo(o311, accident, api_key):
    data = _valid_post(api_key=api_key, idempotency_key="con-foto-1")
    _s, (first,) = _post_multipart(o311, "json", data, jpeg_with_gps())
    _s, (second,) = _post_multipart(o311, "json", data, jpeg_with_gps())
    assert first["service_request_id"] == second["service_request_id"]
    assert Report.objects.count() == 1 and ReportPhoto.objects.count() == 1
