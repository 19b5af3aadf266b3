import json

from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from mueve.core.middleware import DatabaseBusyMiddleware


def _answer(path: str, exc: Exception, **headers):
    request = RequestFactory().post(path, **headers)
    return DatabaseBusyMiddleware(lambda r: HttpResponse("ok")).process_exception(request, exc)


def test_a_locked_database_tells_open311_clients_to_retry_instead_of_failing():
    response = _answer("/open311/v2/requests.json", OperationalError("database is locked"))
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "no se guardó nada" in json.loads(response.content)["detail"]


def test_a_locked_database_on_a_page_answers_plain_text_503():
    response = _answer("/reportes/nuevo/", OperationalError("database is locked"))
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")


def test_other_database_errors_are_not_hidden():
    assert _answer("/api/v1/programs/", OperationalError("no such table: x")) is None
    assert _answer("/api/v1/programs/", ValueError("database is locked")) is None
