"""Harvesting: another Mueve instance (a real server process) through its DCAT-AP catalog and its CKAN action API,
and remote sources that misbehave (served by a small HTTP server in the test: timeouts, non-CKAN JSON, bad RDF)."""

import json
import subprocess
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.error import HTTPError
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from mueve.datasets.dcat import harvest
from mueve.datasets.models import Dataset, HarvestSource
from mueve.stakeholders.models import Level, Organization, Sector
from tests.datasets.harvest_source import UOCT
from tests.realtime.servers import PYTHON, ROOT, LiveSite, free_port

# --- the other instance ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def other_site():
    port = free_port()
    site = LiveSite(
        seed_with="from tests.datasets.harvest_source import seed; seed()",
        extra_env={"MUEVE_SITE_URL": f"http://127.0.0.1:{port}"},
    )
    with site:
        site.start(1, ports=[port])
        yield site


def on_other_site(site: LiveSite, code: str) -> None:
    subprocess.run(
        [PYTHON, "-c", f"from tests.datasets.harvest_source import *; {code}"],
        env=site.env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def ckan_api_present(url: str) -> bool:
    try:
        with urlopen(f"{url}/api/3/action/status_show", timeout=10) as response:
            return json.loads(response.read()).get("success") is True
    except (HTTPError, ValueError):
        return False


@pytest.fixture
def local_publishers(db):
    same_name = Organization.objects.create(
        name=UOCT, slug="uoct-local", sector=Sector.GOVERNMENT, level=Level.REGIONAL
    )
    default = Organization.objects.create(
        name="Ministerio de Transportes", slug="mtt", sector=Sector.GOVERNMENT, level=Level.NATIONAL
    )
    return same_name, default


def harvested(source) -> dict[str, Dataset]:
    return {d.title: d for d in Dataset.objects.filter(harvest_source=source).prefetch_related("distributions")}


@pytest.mark.parametrize("kind", ["dcat", "ckan"])
def test_one_instance_harvests_another_as_it_changes(other_site, local_publishers, kind):
    base = other_site.urls[0]
    if kind == "ckan" and not ckan_api_present(base):
        pytest.skip("the other instance has no CKAN action API at /api/3/action/ (branch cat-ckan, not merged)")
    same_name, default = local_publishers
    url = f"{base}/catalogo/dcat.ttl" if kind == "dcat" else base
    source = HarvestSource.objects.create(name=f"Otra instancia ({kind})", kind=kind, url=url, publisher=default)

    # 1. The three published datasets appear; the inventoried one does not.
    result = harvest.harvest(source)
    assert (result["ok"], result["created"], result["updated"], result["withdrawn"]) == (True, 3, 0, 0), result
    found = harvested(source)
    assert set(found) == {"Conteos vehiculares 2014", "Paraderos de buses", "Horarios de Biotren"}
    counts = found["Conteos vehiculares 2014"]
    assert counts.status == Dataset.Status.PUBLISHED and counts.harvest_identifier
    assert counts.publisher == same_name  # the source's organization has a local namesake
    assert found["Paraderos de buses"].publisher == default  # unknown there: the source's publisher
    assert (counts.license, counts.themes_list, counts.accrual_periodicity) == ("CC-BY-4.0", ["TRAN"], "daily")
    assert counts.contact_email == "datos@uoct.example.cl" and counts.bbox == (-73.2, -36.95, -72.9, -36.7)
    files = {d.title: d for d in counts.distributions.all()}
    assert files["Conteos (CSV)"].access_url == "https://datos.uoct.example.cl/conteos.csv"
    assert files["Conteos (CSV)"].format == "CSV" and len(files["Conteos (CSV)"].checksum_sha256) == 64
    assert "Conteos vehiculares 2014" in _local_catalog_titles()  # and it is published here, re-exported

    # 2. A title edited on the source is updated in place.
    on_other_site(other_site, "retitle('paraderos-de-buses', 'Paraderos de buses 2015')")
    result = harvest.harvest(source)
    assert (result["created"], result["updated"], result["withdrawn"]) == (0, 1, 0), result
    stops = Dataset.objects.get(harvest_source=source, title="Paraderos de buses 2015")
    assert stops.pk == found["Paraderos de buses"].pk

    # 3. A dataset withdrawn on the source is withdrawn here, not deleted.
    on_other_site(other_site, "withdraw('horarios-de-biotren')")
    result = harvest.harvest(source)
    assert (result["created"], result["updated"], result["withdrawn"]) == (0, 0, 1), result
    gone = Dataset.objects.get(pk=found["Horarios de Biotren"].pk)
    assert gone.status == Dataset.Status.WITHDRAWN
    assert "Horarios de Biotren" not in _local_catalog_titles()

    # 4. Nothing changed: nothing counted. And the source records its last result.
    assert harvest.harvest(source) | {"seconds": 0} == {
        "ok": True,
        "created": 0,
        "updated": 0,
        "withdrawn": 0,
        "errors": 0,
        "seen": 2,
        "messages": [],
        "seconds": 0,
    }
    source.refresh_from_db()
    assert source.last_run_at and source.last_result["seen"] == 2
    # Put the other instance back for the next kind.
    on_other_site(other_site, "retitle('paraderos-de-buses', 'Paraderos de buses')")
    on_other_site(other_site, "republish('horarios-de-biotren')")


def _local_catalog_titles() -> str:
    from django.test import Client

    return Client().get("/catalogo/dcat.ttl").content.decode()


# --- remote sources that misbehave -----------------------------------------------------------------------------------


class Remote:
    """A small HTTP server: `routes[path] = (status, content_type, body, delay_seconds)`."""

    def __init__(self):
        self.routes: dict[str, tuple[int, str, bytes, float]] = {}
        self.ckan_packages: list[dict] | None = None
        remote = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                if remote.ckan_packages is not None and parts.path == "/api/3/action/package_search":
                    query = parse_qs(parts.query)
                    start, rows = int(query["start"][0]), int(query["rows"][0])
                    page = remote.ckan_packages[start : start + rows]
                    body = {
                        "help": "",
                        "success": True,
                        "result": {"count": len(remote.ckan_packages), "results": page},
                    }
                    return self._send(200, "application/json", json.dumps(body).encode(), 0)
                self._send(*remote.routes.get(parts.path, (404, "text/plain", b"no", 0)))

            def _send(self, status, content_type, body, delay):
                time.sleep(delay)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def remote():
    server = Remote()
    yield server
    server.close()


FOREIGN_CATALOG = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
<https://portal.example.eu/catalog> a dcat:Catalog ; dcat:dataset <https://portal.example.eu/ds/air> .
<https://portal.example.eu/ds/air> a dcat:Dataset ;
  dct:title "Air quality"@en, "Calidad del aire"@es ; dct:description "Hourly PM2.5."@en ;
  dcat:keyword "aire"@es ; dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
  dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/DAILY> ;
  dct:publisher [ a foaf:Agent ; foaf:name "Agencia Ambiental" ] ;
  dcat:contactPoint [ a vcard:Kind ; vcard:fn "Mesa" ; vcard:hasEmail <mailto:aire@example.eu> ] ;
  dcat:distribution <https://portal.example.eu/ds/air/csv> .
<https://portal.example.eu/ds/air/csv> a dcat:Distribution ;
  dcat:accessURL <https://portal.example.eu/ds/air> ; dcat:downloadURL <https://portal.example.eu/air.csv> ;
  dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
  dct:license <https://creativecommons.org/licenses/by/4.0/> .
"""


@pytest.fixture
def dcat_source(remote, local_publishers):
    remote.routes["/catalog.ttl"] = (200, "text/turtle", FOREIGN_CATALOG.encode(), 0)
    return HarvestSource.objects.create(
        name="Portal europeo", kind="dcat", url=f"{remote.url}/catalog.ttl", publisher=local_publishers[1]
    )


def test_a_foreign_dcat_catalog_is_read_in_spanish_first(dcat_source):
    result = harvest.harvest(dcat_source)
    assert result["created"] == 1, result
    air = Dataset.objects.get(harvest_source=dcat_source)
    assert air.title == "Calidad del aire" and air.themes_list == ["ENVI"] and air.accrual_periodicity == "daily"
    assert air.license == "CC-BY-4.0" and air.contact_email == "aire@example.eu"
    assert air.distributions.get().access_url == "https://portal.example.eu/air.csv"


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ((200, "text/turtle", b"@prefix dcat: <http://www.w3.org/ns/dcat#> . <a> dcat:x ;;; ", 0), "como RDF"),
        ((200, "text/turtle", b"x" * 5000, 0), "supera el máximo"),
        ((500, "text/html", b"error", 0), "estado HTTP 500"),
        ((200, "text/turtle", FOREIGN_CATALOG.encode(), 3), "no respondió a tiempo"),
        ((200, "application/ld+json", b'{"@context": "https://example.eu/ctx.jsonld"}', 0), "@context remoto"),
    ],
    ids=["malformed", "too-big", "server-error", "timeout", "remote-context"],
)
def test_a_bad_dcat_remote_records_a_spanish_error_and_changes_nothing(dcat_source, remote, settings, route, message):
    assert harvest.harvest(dcat_source)["created"] == 1
    before = list(Dataset.objects.values_list("pk", "title", "status"))
    settings.MUEVE_HARVEST_TIMEOUT = 1
    settings.MUEVE_HARVEST_MAX_BYTES = 4000
    remote.routes["/catalog.ttl"] = route
    result = harvest.harvest(dcat_source)
    assert result["ok"] is False and message in result["error"], result
    assert list(Dataset.objects.values_list("pk", "title", "status")) == before
    dcat_source.refresh_from_db()
    assert dcat_source.last_result["error"] == result["error"]


def test_only_http_urls_are_fetched(local_publishers):
    source = HarvestSource.objects.create(
        name="Local", kind="dcat", url="file:///etc/passwd", publisher=local_publishers[1]
    )
    result = harvest.harvest(source)
    assert not result["ok"] and "Solo se cosechan direcciones http" in result["error"]


def _package(n: int) -> dict:
    return {
        "id": f"pkg-{n}",
        "name": f"paquete-{n}",
        "title": f"Paquete {n}",
        "notes": "Desde CKAN.",
        "license_id": "cc-by",
        "tags": [{"name": "buses"}],
        "organization": {"name": "uoct", "title": UOCT},
        "groups": [{"name": "tran"}],
        "metadata_modified": "2024-05-01T10:00:00",
        "extras": [{"key": "frequency", "value": "http://publications.europa.eu/resource/authority/frequency/WEEKLY"}],
        "resources": [
            {
                "id": f"res-{n}",
                "name": "Datos",
                "url": f"https://ckan.example/{n}.csv",
                "format": "CSV",
                "size": 120,
                "mimetype": "text/csv",
            }
        ],
    }


def test_a_ckan_portal_is_paged_through_and_mapped(remote, local_publishers):
    remote.ckan_packages = [_package(n) for n in range(230)]
    source = HarvestSource.objects.create(name="CKAN", kind="ckan", url=remote.url, publisher=local_publishers[1])
    result = harvest.harvest(source)
    assert result["ok"], result
    assert (result["created"], result["seen"]) == (230, 230), result
    one = Dataset.objects.get(harvest_source=source, harvest_identifier="pkg-7")
    assert (one.slug, one.license, one.themes_list, one.accrual_periodicity) == (
        "paquete-7",
        "CC-BY-4.0",
        ["TRAN"],
        "weekly",
    )
    assert one.publisher == local_publishers[0] and one.keywords == ["buses"]
    assert one.distributions.get().byte_size == 120
    remote.ckan_packages = remote.ckan_packages[:200]
    assert harvest.harvest(source)["withdrawn"] == 30


def test_a_non_ckan_json_remote_records_an_error(remote, local_publishers):
    remote.routes["/api/3/action/package_search"] = (200, "application/json", b'{"data": [1, 2]}', 0)
    source = HarvestSource.objects.create(name="No CKAN", kind="ckan", url=remote.url, publisher=local_publishers[1])
    result = harvest.harvest(source)
    assert not result["ok"] and "no respondió como un portal CKAN" in result["error"], result
    assert not Dataset.objects.exists()


def test_manage_py_harvest_runs_the_due_sources_only(dcat_source, local_publishers):
    recent = HarvestSource.objects.create(
        name="Reciente",
        kind="dcat",
        url=dcat_source.url,
        publisher=local_publishers[1],
        every_hours=24,
        last_run_at=timezone.now() - timedelta(hours=2),
        last_result={"ok": True},
    )
    call_command("harvest", stdout=open("/dev/null", "w"))
    dcat_source.refresh_from_db()
    recent.refresh_from_db()
    assert dcat_source.last_result["created"] == 1 and recent.last_result == {"ok": True}
    call_command("harvest", "--fuente", "Reciente", stdout=open("/dev/null", "w"))
    recent.refresh_from_db()
    assert recent.last_result["ok"] is True and recent.last_result["seen"] == 1
    with pytest.raises(CommandError):
        call_command("harvest", "--fuente", "No existe")


def test_harvest_now_from_the_admin(admin_client, dcat_source):
    response = admin_client.post(
        "/admin/datasets/harvestsource/",
        {"action": "harvest_now", "_selected_action": [dcat_source.pk]},
        follow=True,
    )
    assert "1 nuevos" in response.content.decode()
    assert Dataset.objects.filter(harvest_source=dcat_source).count() == 1
