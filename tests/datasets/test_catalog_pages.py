"""The catalog's pages as people use them: the public dataset page (metadata, downloads, preview of tabular data),
the stewards' pages (edit, publish, withdraw, add an API), who may do what, and the back office's scope."""

import hashlib

import pytest
from django.core.files.base import ContentFile

from mueve.accounts.models import Role, RoleScope
from mueve.datasets import datastore, services
from mueve.datasets.models import Dataset, Distribution
from mueve.territory.models import Jurisdiction
from tests.datasets.catalog_helpers import make_org, make_program, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _file_distribution(dataset, body: bytes, name="conteos.csv", title="Conteos (CSV)") -> Distribution:
    distribution = Distribution(
        dataset=dataset,
        title=title,
        kind=Distribution.Kind.FILE,
        format="CSV",
        media_type="text/csv",
        byte_size=len(body),
        checksum_sha256=hashlib.sha256(body).hexdigest(),
    )
    distribution.file.save(name, ContentFile(body), save=False)
    distribution.save()
    return distribution


def test_dataset_page_shows_the_dcat_metadata_in_spanish(client, manager, organization):
    steward = manager
    steward.first_name, steward.last_name, steward.email = "Paula", "Rivas", "paula.rivas@example.cl"
    steward.save()
    area = Jurisdiction.objects.create(slug="gc", name="Gran Concepción", kind=Jurisdiction.Kind.METROPOLITAN_AREA)
    dataset = published(
        steward,
        organization,
        "Conteos vehiculares",
        themes=["TRAN", "REGI"],
        keyword="tránsito, semáforos",
        accrual_periodicity="monthly",
        spatial_jurisdiction=area,
        bbox_west=-73.2,
        bbox_south=-37.0,
        bbox_east=-72.9,
        bbox_north=-36.7,
        temporal_start="2013-01-01",
        version="2.1",
        contact_name="Mesa de datos UOCT",
        contact_email="datos@uoct.example.cl",
        formats=["JSON"],
    )
    html = client.get(f"/datos/{dataset.slug}/").content.decode()
    for text in (
        "Unidad Operativa de Control de Tránsito",
        "Transporte",
        "Regiones y ciudades",
        "tránsito, semáforos",
        'href="https://creativecommons.org/licenses/by/4.0/" rel="license"',
        "Creative Commons Atribución 4.0",
        "Pública",
        "Gran Concepción",
        "longitud -73,2 a -72,9",
        "Mensual",
        "2.1",
        "Mesa de datos UOCT",
        "datos@uoct.example.cl",
        "Paula Rivas",
        "Calidad de los metadatos",
    ):
        assert text in html, text
    # The steward is named, never their personal e-mail.
    assert "paula.rivas@example.cl" not in html
    # The API link: its download goes to the address.
    api = dataset.distributions.get()
    assert f"/datos/{dataset.slug}/recursos/{api.uuid}/descargar/" in html
    response = client.get(f"/datos/{dataset.slug}/recursos/{api.uuid}/descargar/")
    assert response.status_code == 302 and response["Location"] == api.access_url


def test_unpublished_datasets_are_not_found_by_the_public(client, make_user, manager, organization):
    dataset = services.dataset_save(actor=manager, title="Borrador", publisher=organization)
    distribution = _file_distribution(dataset, b"a,b\n1,2\n")
    for user in (None, make_user(Role.CITIZEN), make_user(Role.OFFICIAL)):
        client.logout()
        if user:
            client.force_login(user)
        assert client.get(f"/datos/{dataset.slug}/").status_code == 404
        assert client.get(f"/datos/{dataset.slug}/recursos/{distribution.uuid}/descargar/").status_code == 404
    # Its steward sees it, marked as not public.
    client.force_login(manager)
    assert "Este conjunto no es público" in client.get(f"/datos/{dataset.slug}/").content.decode()
    withdrawn = published(manager, organization, "Retirado")
    services.dataset_withdraw(actor=manager, dataset=withdrawn)
    client.logout()
    assert client.get(f"/datos/{withdrawn.slug}/").status_code == 404
    assert "Retirado" not in client.get("/datos/").content.decode()


def test_public_files_download_and_restricted_ones_are_refused(client, manager, organization):
    body = "intersección,vehículos\nPaicaví,120\n".encode()
    open_data = published(manager, organization, "Abiertos")
    public_file = _file_distribution(open_data, body)
    response = client.get(f"/datos/{open_data.slug}/recursos/{public_file.uuid}/descargar/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == body
    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]

    closed = published(manager, organization, "Por convenio", access="restricted", license="other-closed")
    closed_file = _file_distribution(closed, body)
    url = f"/datos/{closed.slug}/recursos/{closed_file.uuid}/descargar/"
    refused = client.get(url)  # nobody identified: 401, with the agreement it takes
    assert refused.status_code == 401
    assert "convenio" in refused.content.decode().lower()
    as_json = client.get(url, HTTP_ACCEPT="application/json")
    assert as_json.status_code == 401 and "clave" in as_json.json()["detail"]
    page = client.get(f"/datos/{closed.slug}/").content.decode()
    assert "Acceso restringido" in page and url not in page
    # Whoever manages the catalog reads it (datasets.access.manages); the agreements' own tests cover organizations.
    client.force_login(manager)
    assert client.get(url).status_code == 200
    # Another dataset's resource id is not this dataset's.
    assert client.get(f"/datos/{open_data.slug}/recursos/{closed_file.uuid}/descargar/").status_code == 404


def test_preview_shows_first_rows_types_and_a_chart_per_numeric_column(client, manager, organization):
    dataset = published(manager, organization, "Aforos por hora")
    rows = [(f"Punto {i:02d}", i * 10, i * 1.5, i % 2 == 0) for i in range(1, 31)]
    distribution = _file_distribution(dataset, b"...")
    fields = [
        {"id": "punto", "type": "text"},
        {"id": "vehiculos", "type": "int"},
        {"id": "velocidad", "type": "numeric"},
        {"id": "hora_punta", "type": "bool"},
    ]
    datastore.load(distribution, fields, rows)
    html = client.get(f"/datos/{dataset.slug}/").content.decode()
    assert "Primeras 20 filas de 30" in html
    assert "<td>Punto 20</td>" in html and "Punto 21" not in html
    for column in ("punto: texto", "vehiculos: número entero", "velocidad: número", "hora_punta: sí/no"):
        assert column in html
    # One chart per numeric column, each followed by the table of its bins.
    assert html.count('<svg class="catalog-chart"') == 2
    assert "Distribución de «vehiculos» (30 valores)" in html
    assert "«vehiculos»: 30 valores, de 10.0 a 300.0" in html or "«vehiculos»: 30 valores, de 10" in html
    chart = html.index("Distribución de «velocidad»")
    assert html.index("Tabla de la distribución de «velocidad»", chart) > chart
    # Ten bins of three rows each.
    section = html[html.index("Tabla de la distribución de «vehiculos»") :]
    assert section[: section.index("</table>")].count("<td>3</td>") == 10

    # A restricted dataset shows its columns, not its rows.
    closed = published(manager, organization, "Aforos por convenio", access="restricted", license="other-closed")
    hidden = _file_distribution(closed, b"...")
    datastore.load(hidden, fields, rows)
    html = client.get(f"/datos/{closed.slug}/").content.decode()
    assert "vehiculos: número entero" in html and "Punto 01" not in html and "catalog-chart" not in html


def test_steward_edits_with_bad_input_get_spanish_errors_and_nothing_is_saved(client, manager, organization):
    dataset = published(manager, organization, "Conteos", keyword="antes")
    client.force_login(manager)
    url = f"/datos/{dataset.slug}/editar/"
    form = client.get(url)
    assert form.status_code == 200 and 'value="antes"' in form.content.decode()
    bad = client.post(
        url,
        {
            "title": "",
            "publisher": organization.pk,
            "keyword": "después",
            "themes": ["TRAN", "NOPE"],
            "access_rights": "public",
            "accrual_periodicity": "weekly",
            "license": "GPL-2",
            "contact_email": "no-es-correo",
            "bbox_west": "-73",
            "temporal_start": "2014-05-01",
            "temporal_end": "2013-01-01",
        },
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "No se guardó nada" in html
    assert "Este campo es obligatorio." in html
    assert "Escoja una opción válida" in html
    assert "Introduzca una dirección de correo electrónico válida." in html
    dataset.refresh_from_db()
    assert dataset.keyword == "antes" and dataset.title == "Conteos"

    # The service's own checks, with a well-formed form: a bounding box needs its four sides, dates in order.
    bad = client.post(
        url,
        {
            "title": "Conteos",
            "publisher": organization.pk,
            "keyword": "después",
            "access_rights": "public",
            "accrual_periodicity": "weekly",
            "bbox_west": "-73",
            "temporal_start": "2014-05-01",
            "temporal_end": "2013-01-01",
        },
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Indique los cuatro límites del área, o ninguno." in html
    assert "El fin de la cobertura temporal es anterior a su inicio." in html
    dataset.refresh_from_db()
    assert dataset.keyword == "antes"

    ok = client.post(
        url,
        {
            "title": "Conteos vehiculares",
            "publisher": organization.pk,
            "keyword": "después",
            "themes": ["TRAN", "ENVI"],
            "license": "CC0-1.0",
            "access_rights": "public",
            "accrual_periodicity": "weekly",
        },
    )
    assert ok.status_code == 302
    dataset.refresh_from_db()
    assert (dataset.title, dataset.keyword, dataset.themes, dataset.license) == (
        "Conteos vehiculares",
        "después",
        "ENVI,TRAN",
        "CC0-1.0",
    )
    # The search index followed the edit.
    assert "Conteos vehiculares" in client.get("/datos/", {"q": "despues"}).content.decode()


def test_inventory_publish_and_withdraw(client, manager, organization):
    entry = services.dataset_create(
        actor=manager, title="Registro de flota", publisher=organization, description="Vehículos por línea."
    )
    client.force_login(manager)
    html = client.get("/datos/inventario/").content.decode()
    assert "Registro de flota" in html and "Publicar" in html
    # Without a licence and themes it cannot be published: the steward is sent to the form with the reasons.
    response = client.post(f"/datos/{entry.slug}/publicar/", {"volver": "inventario"}, follow=True)
    assert "Elija una licencia antes de publicar." in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == Dataset.Status.INVENTORIED
    services.dataset_save(actor=manager, dataset=entry, license="CC-BY-4.0", themes=["TRAN"])
    response = client.post(f"/datos/{entry.slug}/publicar/", {"volver": "inventario"})
    assert response.status_code == 302 and response["Location"] == "/datos/inventario/"
    entry.refresh_from_db()
    assert entry.is_published and entry.issued is not None
    assert f'href="/datos/{entry.slug}/"' not in client.get("/datos/inventario/").content.decode()
    assert "Registro de flota" in client.get("/datos/").content.decode()
    client.post(f"/datos/{entry.slug}/retirar/")
    entry.refresh_from_db()
    assert entry.status == Dataset.Status.WITHDRAWN
    assert client.get(f"/datos/{entry.slug}/publicar/").status_code == 405


def test_steward_adds_an_api_and_creates_a_dataset(client, manager, organization):
    dataset = published(manager, organization, "Posiciones de buses")
    client.force_login(manager)
    url = f"/datos/{dataset.slug}/recursos/nuevo/"
    assert f"/datos/{dataset.slug}/subir/" in client.get(url).content.decode()
    bad = client.post(url, {"title": "", "kind": "feed", "access_url": "no es una url"})
    assert bad.status_code == 400 and "Introduzca una URL válida." in bad.content.decode()
    assert not dataset.distributions.exists()
    ok = client.post(
        url, {"title": "GTFS-Realtime", "kind": "feed", "access_url": "https://rt.example.cl/feed", "format": "BIN"}
    )
    assert ok.status_code == 302
    feed = dataset.distributions.get()
    assert (feed.kind, feed.format, feed.media_type) == ("feed", "BIN", "application/x-protobuf")

    created = client.post(
        "/datos/nuevo/",
        {
            "title": "Ciclovías",
            "publisher": organization.pk,
            "access_rights": "public",
            "accrual_periodicity": "annual",
        },
    )
    assert created.status_code == 302
    new = Dataset.objects.get(title="Ciclovías")
    assert new.status == Dataset.Status.INVENTORIED and new.steward == manager
    assert new.slug not in ("nuevo", "calidad", "inventario")


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.OFFICIAL, Role.PARTICIPANT])
def test_people_who_do_not_keep_the_catalog_get_403(client, make_user, manager, organization, role):
    dataset = published(manager, organization, "Conteos")
    entry = services.dataset_save(actor=manager, title="Inventariado", publisher=organization)
    client.force_login(make_user(role))
    for url in ("/datos/inventario/", "/datos/nuevo/", f"/datos/{dataset.slug}/editar/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/datos/{entry.slug}/publicar/").status_code == 403
    assert client.post(f"/datos/{dataset.slug}/retirar/").status_code == 403
    assert client.post(f"/datos/{dataset.slug}/recursos/nuevo/", {"title": "x"}).status_code == 403
    entry.refresh_from_db()
    dataset.refresh_from_db()
    assert entry.status == Dataset.Status.INVENTORIED and dataset.is_published
    client.logout()
    assert client.get("/datos/nuevo/").status_code == 302  # to the login page


def test_a_scoped_manager_keeps_only_their_programmes_datasets(client, make_user, manager, organization):
    mine, theirs = make_program("Mío"), make_program("Ajeno")
    scoped = make_user(Role.MANAGER)
    RoleScope.objects.create(user=scoped, program=mine)
    own = published(manager, organization, "Del programa propio", program=mine)
    other = published(manager, organization, "Del programa ajeno", program=theirs)
    loose = services.dataset_save(actor=manager, title="Sin programa", publisher=organization)
    client.force_login(scoped)
    assert client.get(f"/datos/{own.slug}/editar/").status_code == 200
    assert client.get(f"/datos/{other.slug}/editar/").status_code == 403
    assert client.post(f"/datos/{loose.slug}/publicar/").status_code == 403
    inventory = client.get("/datos/inventario/").content.decode()
    assert "Sin programa" not in inventory
    # A new dataset must go under one of their programmes; another's is not offered and is refused.
    refused = client.post(
        "/datos/nuevo/",
        {
            "title": "Nuevo",
            "publisher": organization.pk,
            "program": theirs.pk,
            "access_rights": "public",
            "accrual_periodicity": "annual",
        },
    )
    assert refused.status_code == 400 and not Dataset.objects.filter(title="Nuevo").exists()
    # In the back office too.
    scoped.is_staff = True
    scoped.save()
    listing = client.get("/admin/datasets/dataset/").content.decode()
    assert "Del programa propio" in listing and "Del programa ajeno" not in listing
    assert client.get(f"/admin/datasets/dataset/{other.pk}/change/").status_code == 403
    api = services.distribution_add_link(
        actor=manager, dataset=other, title="API ajena", access_url="https://api.example.cl"
    )
    assert client.get(f"/admin/datasets/distribution/{api.pk}/change/").status_code == 403
    assert client.get("/admin/datasets/harvestsource/").status_code == 200


def test_an_edit_in_the_back_office_reaches_the_search(client, make_user, organization):
    admin = make_user(Role.ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    dataset = published(admin, make_org("Seremi de Transportes"), "Paraderos")
    client.force_login(admin)
    assert client.get(f"/admin/datasets/dataset/{dataset.pk}/change/").status_code == 200
    response = client.post(
        f"/admin/datasets/dataset/{dataset.pk}/change/",
        {
            "title": "Paraderos con refugio",
            "slug": dataset.slug,
            "status": "published",
            "publisher": organization.pk,
            "keyword": "marquesinas",
            "themes": "TRAN",
            "accrual_periodicity": "unknown",
            "access_rights": "public",
            "license": "CC-BY-4.0",
            "distributions-TOTAL_FORMS": "0",
            "distributions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    html = client.get("/datos/", {"q": "marquesinas control"}).content.decode()
    assert "Paraderos con refugio" in html


def test_the_demo_catalog_is_published_and_rich(client, demo_db):
    from mueve.demo.datasets import INVENTORY

    public = [title for _s, title, _c, _f, _p, access, _l, _k in INVENTORY if access != "non_public"]
    assert set(Dataset.objects.filter(status=Dataset.Status.PUBLISHED).values_list("title", flat=True)) >= set(public)
    hidden = Dataset.objects.get(title="Registro de incidentes de tránsito del centro de control")
    assert hidden.status == Dataset.Status.INVENTORIED
    for dataset in Dataset.objects.filter(title__in=public):
        assert dataset.themes_list and dataset.license and dataset.contact_email and dataset.temporal_start
        assert dataset.spatial_jurisdiction.slug == "gran-concepcion"
        assert "generada para la demostración" in dataset.description
    stops = Dataset.objects.get(title="Recorridos y paraderos del transporte público mayor")
    html = client.get(f"/datos/{stops.slug}/").content.decode()
    assert "Primeras 10 filas de 10" in html and "Concepción" in html
    assert html.count('<svg class="catalog-chart"') == 4
    assert client.get(f"/datos/{hidden.slug}/").status_code == 404
