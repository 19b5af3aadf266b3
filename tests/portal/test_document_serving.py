"""The expensive documents (the programme dossier and its PDF) are built once per change of their data, never
inside a request in production, and anonymous visitors fetch them a limited number of times."""

import threading
import time
import uuid

import pytest
from django.test import Client, override_settings

from mueve.accounts.models import User
from mueve.core import documents as store
from mueve.portal import documents, dossier
from mueve.programs.models import Program
from mueve.workshops.models import ReportNarrative

SLUG = "smart-city-gran-concepcion"
PDF = f"/talleres/programa/{SLUG}/informe.pdf"
PAGE = f"/talleres/programa/{SLUG}/informe/"


@pytest.fixture
def data_dir(tmp_path):
    with override_settings(DATA_DIR=tmp_path):
        yield tmp_path


def _address() -> str:
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def test_concurrent_requests_trigger_one_background_build_and_none_waits(data_dir):
    release, builds = threading.Event(), []

    def build() -> bytes:
        builds.append(1)
        release.wait(10)
        return b"v1"

    answers = []

    def ask():
        started = time.monotonic()
        try:
            answers.append((store.fetch("doc", "1", build), time.monotonic() - started))
        except store.NotReady as exc:
            answers.append((("not ready", exc.retry_after), time.monotonic() - started))

    with override_settings(MUEVE_DOCUMENTS_BUILD="background"):
        threads = [threading.Thread(target=ask) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(5)
        assert all(answer[0] == "not ready" and answer[1] >= 2 for answer, _ in answers) and len(answers) == 8
        assert max(took for _, took in answers) < 1.0  # nobody waited for the build
        release.set()
        store.wait_for_builds()
        assert builds == [1]
        assert store.fetch("doc", "1", build) == (b"v1", True)
        assert builds == [1]  # served from storage

        # The data changed: the earlier copy is served at once while the new one is built.
        second = threading.Event()
        assert store.fetch("doc", "2", lambda: second.wait(10) and b"v2") == (b"v1", False)
        second.set()
        store.wait_for_builds()
        assert store.fetch("doc", "2", lambda: b"never") == (b"v2", True)


def test_a_process_with_no_copy_answers_503_and_builds_in_the_background(demo_db_shared, data_dir):
    client = Client(REMOTE_ADDR=_address())
    with override_settings(MUEVE_DOCUMENTS_BUILD="background"):
        documents.forget_data_version()
        busy = client.get(PDF)
        assert busy.status_code == 503
        assert int(busy["Retry-After"]) >= 2
        assert "se está preparando" in busy.content.decode()
        store.wait_for_builds(120)
        ready = client.get(PDF)
        assert ready.status_code == 200 and ready.content.startswith(b"%PDF")
        assert "X-Mueve-Document" not in ready


def test_the_dossier_is_built_once_per_change_of_its_data(demo_db, data_dir, monkeypatch):
    calls = []
    real = dossier.build_dossier
    monkeypatch.setattr(dossier, "build_dossier", lambda *a, **k: calls.append(1) or real(*a, **k))
    manager = Client()
    manager.force_login(User.objects.get(username="gestora"))
    for _ in range(3):
        assert manager.get(PDF).status_code == 200
    assert len(calls) == 1
    narrative = ReportNarrative.objects.get(program=Program.objects.get(slug=SLUG))
    narrative.lessons = "Lección nueva: medir antes de optimizar."
    narrative.save()
    page = manager.get(PAGE)
    assert "medir antes de optimizar" in page.content.decode()
    assert len(calls) == 2  # the page's dossier, for the new data
    assert manager.get(PDF).status_code == 200 and manager.get(PDF).status_code == 200
    assert len(calls) == 3  # and the new PDF, once


# Per day, not per minute: the limiter counts in fixed windows, and the four downloads (a PDF takes seconds on a
# loaded machine) once straddled a minute's edge and were all allowed.
@override_settings(MUEVE_DOCUMENTS_RATE="3/day")
def test_anonymous_visitors_are_rate_limited_on_the_dossier(demo_db, data_dir):
    stranger = Client(REMOTE_ADDR=_address())
    assert [stranger.get(url).status_code for url in (PDF, PAGE, PDF)] == [200, 200, 200]
    refused = stranger.get(PDF)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 86400
    assert "Demasiadas descargas seguidas" in refused.content.decode()
    assert Client(REMOTE_ADDR=_address()).get(PDF).status_code == 200  # someone else is not affected

    manager = Client(REMOTE_ADDR=stranger.defaults["REMOTE_ADDR"])
    manager.force_login(User.objects.get(username="gestora"))
    assert all(manager.get(PDF).status_code == 200 for _ in range(5))  # signed-in staff are not counted
