"""Incoming data from organizations, from where a steward stands: the upload page at /datos/<slug>/subir/, the
version history, and `manage.py fetch_incoming` for registered URLs. Every bad file gets a Spanish error and
publishes nothing; every fixture file is generated here."""

import io
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from mueve.accounts.models import Role
from mueve.datasets import datastore
from mueve.datasets.models import AccessRights, Dataset, Distribution, IncomingSource, IncomingVersion
from mueve.stakeholders.models import Level, Organization, Sector
from tests.transit.factory import gtfs_zip

pytestmark = pytest.mark.django_db

LATIN1_CSV = "comuna;habitantes;región\nConcepción;223574;Biobío\nChillán;184739;Ñuble\n".encode("latin-1")


# --- fixtures and helpers ------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _own_data_dir(settings, tmp_path):
    # Received and published files of each test go to its own folder.
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def steward(make_user):
    return make_user(Role.OFFICIAL)


@pytest.fixture
def dataset(organization, steward):
    return Dataset.objects.create(
        title="Población comunal",
        slug="poblacion-comunal",
        publisher=organization,
        steward=steward,
        status=Dataset.Status.PUBLISHED,
        access_rights=AccessRights.PUBLIC,
    )


@pytest.fixture
def steward_client(client, steward):
    client.force_login(steward)
    return client


def url_of(dataset):
    return f"/datos/{dataset.slug}/subir/"


def upload(client, dataset, name, content: bytes, *, destination=None, title="Población 2024", **fields):
    data = {"accion": "subir", "destino": destination or "nueva", "titulo": title, **fields}
    data["archivo"] = SimpleUploadedFile(name, content)
    return client.post(url_of(dataset), data)


def only_source(dataset) -> IncomingSource:
    return IncomingSource.objects.get(dataset=dataset)


def latest(dataset) -> IncomingVersion:
    return IncomingVersion.objects.filter(source__dataset=dataset).order_by("-pk").first()


def table_rows(distribution) -> list[tuple]:
    columns = ", ".join(datastore.quote(datastore.column(i)) for i in range(len(distribution.datastore_fields)))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {datastore.quote(distribution.datastore_table)} ORDER BY _id")
        return cursor.fetchall()


def published_state(dataset) -> dict:
    """What the public sees of the dataset's data: distributions, their files, datastore tables and rows."""
    dataset.refresh_from_db()
    state = {"data_modified": dataset.data_modified, "distributions": []}
    for d in Distribution.objects.filter(dataset=dataset).order_by("pk"):
        rows = table_rows(d) if d.datastore_table else None
        content = d.file.read() if d.file else None
        state["distributions"].append(
            (
                d.pk,
                d.file.name,
                d.checksum_sha256,
                d.byte_size,
                d.format,
                d.datastore_table,
                d.datastore_rows,
                rows,
                content,
            )
        )
    return state


def accepted_csv(steward_client, dataset) -> IncomingSource:
    response = upload(steward_client, dataset, "poblacion.csv", LATIN1_CSV)
    assert response.status_code == 302, response.content.decode()[:2000]
    return only_source(dataset)


def bad_upload(client, dataset, name, content, source) -> str:
    """Uploads to the existing source; checks the rejection changed nothing published; returns the page's text."""
    before = published_state(dataset)
    response = upload(client, dataset, name, content, destination=f"s{source.pk}")
    assert response.status_code in (413, 422), response.status_code
    page = response.content.decode()
    assert "se rechazó" in page and "no se publicó nada" in page
    assert published_state(dataset) == before
    assert latest(dataset).status == IncomingVersion.Status.REJECTED
    return page


# --- accepted uploads ----------------------------------------------------------------------------------------------


def test_latin1_csv_with_semicolons_is_published_with_its_accents(steward_client, dataset):
    response = upload(steward_client, dataset, "poblacion.csv", LATIN1_CSV)
    assert response.status_code == 302
    version = latest(dataset)
    assert version.accepted and version.number == 1
    assert version.encoding == "ISO-8859-1 (Latin-1)" and version.delimiter == ";" and version.row_count == 2
    distribution = Distribution.objects.get(dataset=dataset)
    assert distribution.format == "CSV" and distribution.media_type == "text/csv"
    # The published file is the same table in UTF-8: the accents are right, not mojibake.
    published = distribution.file.read().decode("utf-8")
    assert "Concepción;223574;Biobío" in published and "Ñuble" in published and "Ã" not in published
    assert distribution.byte_size == len(published.encode("utf-8")) and len(distribution.checksum_sha256) == 64
    assert [f["id"] for f in distribution.datastore_fields] == ["comuna", "habitantes", "región"]
    assert distribution.datastore_fields[1]["type"] == "int"
    assert table_rows(distribution) == [("Concepción", 223574, "Biobío"), ("Chillán", 184739, "Ñuble")]
    dataset.refresh_from_db()
    assert dataset.data_modified is not None
    # The schema was inferred from this first version and is kept for the next ones.
    source = only_source(dataset)
    assert source.schema_origin == IncomingSource.SchemaOrigin.INFERRED
    assert [f["type"] for f in source.table_schema["fields"]] == ["string", "integer", "string"]
    page = steward_client.get(response["Location"]).content.decode()
    assert "Aceptada y publicada (2 filas)" in page and "ISO-8859-1" in page


@pytest.mark.parametrize(
    ("content", "label"),
    [
        ("\ufeffcomuna,nota\nTalcahuano,“puerto”\n".encode(), "UTF-8 con BOM"),
        ("comuna,nota\nTalcahuano,“puerto” – sur\n".encode("cp1252"), "Windows-1252"),
        ("comuna\tnota\nTalcahuano,  Hualpén\tpuerto\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_encodings_are_detected_and_text_reencoded(steward_client, dataset, content, label):
    assert upload(steward_client, dataset, "comunas.csv", content).status_code == 302
    version = latest(dataset)
    assert version.encoding == label
    rows = table_rows(Distribution.objects.get(dataset=dataset))
    assert rows[0][0].startswith("Talcahuano") and ("“puerto”" in rows[0][1] or rows[0][1] == "puerto")


def test_xlsx_is_read_from_its_first_sheet_and_published(steward_client, dataset):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["paradero", "latitud", "abierto"])
    sheet.append(["Plaza Perú", -36.8270, True])
    sheet.append(["Tribunales", -36.8281, False])
    out = io.BytesIO()
    book.save(out)
    assert upload(steward_client, dataset, "paraderos.xlsx", out.getvalue()).status_code == 302
    distribution = Distribution.objects.get(dataset=dataset)
    assert distribution.format == "XLSX" and distribution.file.name.endswith(".xlsx")
    assert [f["type"] for f in distribution.datastore_fields] == ["text", "numeric", "bool"]
    assert table_rows(distribution) == [("Plaza Perú", -36.827, 1), ("Tribunales", -36.8281, 0)]


def test_geojson_is_checked_and_kept_as_a_file(steward_client, dataset):
    good = (
        b'{"type": "FeatureCollection", "features": ['
        b'{"type": "Feature", "properties": {"nombre": "Paradero Tribunales"},'
        b' "geometry": {"type": "Point", "coordinates": [-73.05, -36.82]}},'
        b'{"type": "Feature", "properties": {}, "geometry": null}]}'
    )
    assert upload(steward_client, dataset, "paraderos.geojson", good).status_code == 302
    distribution = Distribution.objects.get(dataset=dataset)
    assert distribution.format == "GEOJSON" and distribution.media_type == "application/geo+json"
    assert distribution.file.read() == good and not distribution.datastore_table
    assert latest(dataset).row_count == 2


def test_gtfs_feed_is_checked_by_the_transit_reader_and_kept(steward_client, dataset):
    assert upload(steward_client, dataset, "buses.zip", gtfs_zip(), title="GTFS").status_code == 302
    distribution = Distribution.objects.get(dataset=dataset)
    assert distribution.format == "GTFS" and distribution.file.read() == gtfs_zip()


# --- bad uploads: a clear Spanish error, nothing published -----------------------------------------------------------


def test_malformed_csv_ragged_rows_and_unclosed_quote(steward_client, dataset):
    source = accepted_csv(steward_client, dataset)
    ragged = "comuna;habitantes;región\nConcepción;223574;Biobío;extra\nChillán;184739\n".encode()
    page = bad_upload(steward_client, dataset, "ragged.csv", ragged, source)
    assert "Fila 2: tiene más valores que columnas el encabezado" in page
    assert "Fila 3, columna «región»: falta el valor" in page
    unclosed = 'comuna;habitantes;región\n"Concepción;223574;Biobío\nChillán;184739;Ñuble\n'.encode()
    page = bad_upload(steward_client, dataset, "comillas.csv", unclosed, source)
    assert "Comillas sin cerrar" in page and "fila 2" in page


def test_later_versions_are_checked_against_the_kept_schema(steward_client, dataset):
    source = accepted_csv(steward_client, dataset)
    wrong = "comuna;habitantes;región\nConcepción;muchos;Biobío\n".encode()
    page = bad_upload(steward_client, dataset, "v2.csv", wrong, source)
    assert "Fila 2, columna «habitantes»: «muchos» no es un número entero." in page
    rejected = latest(dataset)
    assert (rejected.format, rejected.encoding, rejected.delimiter) == ("CSV", "UTF-8", ";")
    renamed = "comuna;poblacion;región\nConcepción;1;Biobío\n".encode()
    page = bad_upload(steward_client, dataset, "v3.csv", renamed, source)
    assert "se llama «poblacion» pero el esquema espera «habitantes»" in page


def test_a_steward_schema_is_enforced_with_constraints(steward_client, dataset):
    schema = (
        '{"fields": [{"name": "comuna", "type": "string", "constraints": {"required": true, "unique": true}},'
        ' {"name": "habitantes", "type": "integer", "constraints": {"minimum": 0}},'
        ' {"name": "región", "type": "string"}]}'
    )
    content = "comuna;habitantes;región\nConcepción;-5;Biobío\n;3;Ñuble\nConcepción;1;Biobío\n".encode()
    response = upload(steward_client, dataset, "poblacion.csv", content, esquema=schema)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Fila 2, columna «habitantes»: «-5» es menor que el mínimo (0)." in page
    assert "Fila 3, columna «comuna»" in page and "obligatorio" in page
    assert "Fila 4, columna «comuna»: «Concepción» está repetido" in page
    assert not Distribution.objects.filter(dataset=dataset).exists()
    assert only_source(dataset).schema_origin == IncomingSource.SchemaOrigin.PROVIDED
    bad = upload(steward_client, dataset, "poblacion.csv", LATIN1_CSV, esquema="{no es json")
    assert bad.status_code == 400 and "El esquema no es JSON válido" in bad.content.decode()


def test_many_errors_are_capped_and_the_rest_counted(steward_client, dataset):
    source = accepted_csv(steward_client, dataset)
    rows = "".join(f"Comuna {i};x{i};Biobío\n" for i in range(150))
    page = bad_upload(steward_client, dataset, "muchos.csv", f"comuna;habitantes;región\n{rows}".encode(), source)
    version = latest(dataset)
    assert version.error_count == 150 and len(version.errors) == 100
    assert page.count("no es un número entero") == 10 and "Ver los otros 140 errores" in page
    detail = steward_client.get(f"{url_of(dataset)}versiones/{version.pk}/").content.decode()
    assert detail.count("no es un número entero") == 100 and "Y 50 errores más, que no se listan" in detail


def test_a_file_that_is_not_text_is_refused(steward_client, dataset):
    source = accepted_csv(steward_client, dataset)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    page = bad_upload(steward_client, dataset, "foto.csv", png, source)
    assert "El archivo no es texto" in page
    old_excel = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert ".xls" in bad_upload(steward_client, dataset, "planilla.xls", old_excel, source)


def test_formula_prefixed_cells_are_refused_with_row_and_column(steward_client, dataset):
    source = accepted_csv(steward_client, dataset)
    content = (
        'comuna;habitantes;región\nConcepción;1;=HYPERLINK("http://x.example","clic")\n'
        "Chillán;2;@SUM(A1)\nTomé;3;\tmal\nLota;-4;-\n"
    ).encode()
    page = bad_upload(steward_client, dataset, "formulas.csv", content, source)
    assert "Fila 2, columna «región»: el texto «=HYPERLINK" in page
    assert "Fila 3, columna «región»" in page and "Fila 4, columna «región»" in page
    # A negative number and a lone dash ("no data") are not formulas.
    assert "Fila 5" not in page
    fine = "comuna;habitantes;región\nLota;-4;-\nCoronel;+12;Biobío\n".encode()
    assert upload(steward_client, dataset, "ok.csv", fine, destination=f"s{source.pk}").status_code == 302


def test_a_file_over_the_cap_is_refused_while_streaming(steward_client, dataset, settings):
    source = accepted_csv(steward_client, dataset)
    settings.MUEVE_CATALOG_MAX_UPLOAD_MB = 1
    header = b"comuna;habitantes;region\n"
    big = header + b"Concepcion;1;Biobio\n" * (1536 * 1024 // 20)
    page = bad_upload(steward_client, dataset, "grande.csv", big, source)
    assert "supera el máximo permitido de 1,0" in page
    version = latest(dataset)
    assert not version.source_file and version.error_count == 1
    # Nothing of the cut-off upload is left behind.
    from mueve.datasets.incoming.receive import work_dir

    assert list(work_dir().iterdir()) == []
    assert sorted(p.name for p in (settings.DATA_DIR / "incoming").iterdir()) == sorted(["tmp", str(dataset.uuid)])


def test_the_default_cap_refuses_200_mb_before_reading_the_body(steward_client, dataset, settings):
    assert settings.MUEVE_CATALOG_MAX_UPLOAD_MB == 100
    # The request declares 200 MB but carries a few bytes: the test client's body raises if anything tries to read
    # past them, so a 413 here proves the refusal came from the declared length, without reading the body.
    response = steward_client.generic(
        "POST",
        url_of(dataset),
        b"--x\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "supera el máximo permitido de 100,0" in response.content.decode()
    assert not Distribution.objects.filter(dataset=dataset).exists()


def _bomb_zip(member: str, megabytes: int, others: dict[str, str] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (others or {}).items():
            zf.writestr(name, text)
        with zf.open(member, "w") as f:
            for _i in range(megabytes):
                f.write(b"\0" * (1024 * 1024))
    return out.getvalue()


def test_zip_bombs_are_refused_from_headers_and_while_extracting(steward_client, dataset, settings):
    source = accepted_csv(steward_client, dataset)
    bomb = _bomb_zip("stop_times.txt", 40, {"agency.txt": "agency_name\n"})
    assert len(bomb) < 200 * 1024
    page = bad_upload(steward_client, dataset, "feed.zip", bomb, source)
    assert "posible bomba zip" in page and "se comprime" in page
    # Headers that lie (a member claims 1 KB and holds 3 MB) are caught while extracting.
    liar = bytearray(_bomb_zip("stops.txt", 3))
    real = (3 * 1024 * 1024).to_bytes(4, "little")
    assert liar.count(real) == 2  # the local and the central header's uncompressed size
    liar = bytearray(bytes(liar).replace(real, (1024).to_bytes(4, "little")))
    page = bad_upload(steward_client, dataset, "liar.zip", bytes(liar), source)
    assert "No se pudo leer «stops.txt» dentro del zip: el archivo está dañado" in page
    # The total expanded size has its own cap.
    settings.MUEVE_CATALOG_MAX_UNZIPPED_MB = 1
    page = bad_upload(steward_client, dataset, "big.zip", gtfs_zip({"notes.txt": "x" * (2 * 1024 * 1024)}), source)
    assert "se expande a" in page


def _workbook_with(extra: dict[str, bytes], content_types: str | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["comuna", "habitantes"])
    book.active.append(["Penco", 47367])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml" and content_types:
                data = data.replace(b"sheet.main+xml", content_types.encode())
            dst.writestr(info, data)
        for name, data in extra.items():
            dst.writestr(name, data)
    return out.getvalue()


def test_workbooks_with_macros_are_refused(steward_client, dataset):
    source = accepted_csv(steward_client, dataset)
    with_vba = _workbook_with({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 Attribute VB_Name"})
    page = bad_upload(steward_client, dataset, "macros.xlsx", with_vba, source)
    assert "La planilla contiene macros (vbaProject.bin)" in page
    xlsm = _workbook_with({}, content_types="sheet.macroEnabled.main+xml")
    page = bad_upload(steward_client, dataset, "macros.xlsm", xlsm, source)
    assert "habilitada para macros" in page


def test_gtfs_with_missing_files_is_refused(steward_client, dataset):
    assert upload(steward_client, dataset, "buses.zip", gtfs_zip(), title="GTFS").status_code == 302
    source = only_source(dataset)
    broken = gtfs_zip({"routes.txt": None, "trips.txt": None, "calendar.txt": None})
    page = bad_upload(steward_client, dataset, "buses.zip", broken, source)
    assert "Falta el archivo obligatorio routes.txt" in page and "Falta el archivo obligatorio trips.txt" in page
    assert "Falta calendar.txt o calendar_dates.txt" in page


def test_invalid_geojson_is_refused_feature_by_feature(steward_client, dataset):
    source = accepted_csv(steward_client, dataset)
    bad = (
        b'{"type": "FeatureCollection", "features": ['
        b'{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [-73.05, -96.8]}},'
        b'{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": '
        b"[[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}}]}"
    )
    page = bad_upload(steward_client, dataset, "malo.geojson", bad, source)
    assert "Elemento 1: la posición [-73.05, -96.8] está fuera de rango" in page
    assert "Elemento 2: la geometría no es válida" in page
    page = bad_upload(steward_client, dataset, "x.geojson", b'{"type": "Feature", "geometry": null}', source)
    assert "debe ser una FeatureCollection" in page


# --- URLs fetched on a schedule ------------------------------------------------------------------------------------


class _Server:
    """A real local HTTP server: /datos.csv answers a CSV, /lento.csv waits until the test ends."""

    def __init__(self):
        self.release = threading.Event()
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                owner.requests.append(self.path)
                if self.path == "/lento.csv":
                    owner.release.wait(30)
                    return
                body = b"comuna,habitantes\nHualqui,24333\n"
                self.send_response(200)
                self.send_header("Content-Type", "text/csv")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = _Server()
    yield s
    s.close()


def register(client, dataset, url, hours=6):
    return client.post(
        url_of(dataset), {"accion": "url", "destino": "nueva", "titulo": "Población", "url": url, "cada_horas": hours}
    )


def test_a_registered_url_is_fetched_when_due(steward_client, dataset, server, settings):
    settings.MUEVE_CATALOG_FETCH_ALLOW_PRIVATE = True
    assert register(steward_client, dataset, f"{server.base}/datos.csv").status_code == 302
    out = io.StringIO()
    call_command("fetch_incoming", stdout=out)
    assert "aceptadas: 1" in out.getvalue()
    version = latest(dataset)
    assert version.accepted and version.origin == IncomingVersion.Origin.URL and version.uploaded_by is None
    assert table_rows(Distribution.objects.get(dataset=dataset)) == [("Hualqui", 24333)]
    source = only_source(dataset)
    assert (source.next_fetch_at - source.last_fetch_at).total_seconds() == 6 * 3600
    # Not due again until then.
    call_command("fetch_incoming", stdout=io.StringIO())
    assert server.requests == ["/datos.csv"] and IncomingVersion.objects.count() == 1


def test_a_url_that_times_out_is_refused_and_publishes_nothing(steward_client, dataset, server, settings):
    source = accepted_csv(steward_client, dataset)
    settings.MUEVE_CATALOG_FETCH_ALLOW_PRIVATE = True
    settings.MUEVE_CATALOG_FETCH_TIMEOUT_SECONDS = 1
    before = published_state(dataset)
    response = steward_client.post(
        url_of(dataset),
        {"accion": "url", "destino": f"s{source.pk}", "titulo": "", "url": f"{server.base}/lento.csv", "cada_horas": 1},
    )
    assert response.status_code == 302
    out = io.StringIO()
    call_command("fetch_incoming", stdout=out)
    assert "rechazadas: 1" in out.getvalue()
    assert "El servidor no entregó el archivo dentro de 1 segundo: se cortó la descarga." in out.getvalue()
    version = latest(dataset)
    assert version.status == IncomingVersion.Status.REJECTED and version.url.endswith("/lento.csv")
    assert published_state(dataset) == before
    page = steward_client.get(url_of(dataset)).content.decode()
    assert "Rechazada" in page


def test_private_addresses_and_other_schemes_are_refused(steward_client, dataset, server, settings):
    assert not settings.MUEVE_CATALOG_FETCH_ALLOW_PRIVATE
    assert register(steward_client, dataset, f"{server.base}/datos.csv").status_code == 302
    call_command("fetch_incoming", stdout=io.StringIO())
    version = latest(dataset)
    assert version.status == IncomingVersion.Status.REJECTED
    assert "dirección privada o local" in version.errors[0]["message"]
    assert server.requests == []  # refused before connecting
    response = register(steward_client, dataset, "ftp://datos.example.cl/poblacion.csv")
    assert response.status_code == 400 and "Solo se descargan URL http:// o https://" in response.content.decode()
    from mueve.datasets.incoming import fetch

    assert "file:" in fetch.url_problem("file:///etc/passwd")


# --- who sees what -------------------------------------------------------------------------------------------------


def test_only_stewards_reach_the_page_and_rejected_files(client, dataset, steward, make_user, organization):
    client.force_login(steward)
    upload(client, dataset, "malo.csv", b"a;b\n1;2;3\n")
    version = latest(dataset)
    file_url = f"{url_of(dataset)}versiones/{version.pk}/archivo"
    assert client.get(file_url).status_code == 200
    client.logout()
    assert client.get(url_of(dataset)).status_code == 302  # to the login page
    assert client.get(file_url).status_code == 302
    other = Organization.objects.create(
        name="Otra institución", slug="otra", sector=Sector.GOVERNMENT, level=Level.REGIONAL
    )
    perm = Permission.objects.get(codename="manage_catalog")
    outsider = make_user(Role.OFFICIAL, organization=other)
    outsider.user_permissions.add(perm)
    colleague = make_user(Role.OFFICIAL)
    colleague.user_permissions.add(perm)
    for user, allowed in [
        (make_user(Role.CITIZEN), False),
        (make_user(Role.OFFICIAL), False),  # the publisher's staff, without the catalog permission
        (outsider, False),
        (colleague, True),
        (make_user(Role.MANAGER), True),
    ]:
        client.force_login(user)
        for url in (url_of(dataset), file_url, f"{url_of(dataset)}versiones/{version.pk}/"):
            assert client.get(url).status_code == (200 if allowed else 403), (user.username, url)
    # The upload form is protected against cross-site requests, though it checks CSRF itself.
    from django.test import Client

    forged = Client(enforce_csrf_checks=True)
    forged.force_login(steward)
    response = forged.post(url_of(dataset), {"accion": "subir", "destino": "nueva", "titulo": "X"})
    assert response.status_code == 403 and IncomingVersion.objects.count() == 1
    # The public catalog never shows the rejected upload.
    client.logout()
    assert "malo.csv" not in client.get("/datos/").content.decode()


def test_the_page_lists_versions_with_their_errors(steward_client, dataset):
    source = accepted_csv(steward_client, dataset)
    upload(
        steward_client, dataset, "malo.csv", b"comuna;habitantes;regi\xc3\xb3n\nLota;x;y\n", destination=f"s{source.pk}"
    )
    page = steward_client.get(url_of(dataset)).content.decode()
    assert "Versiones recibidas" in page and "poblacion.csv" in page and "malo.csv" in page
    assert "Aceptada" in page and "Rechazada" in page and "1 error" in page
    assert "Publicada: versión 1." in page
    detail = steward_client.get(f"{url_of(dataset)}versiones/{latest(dataset).pk}/").content.decode()
    assert "«x» no es un número entero" in detail
