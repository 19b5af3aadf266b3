"""The catalog's search: full text (accents folded) and facets, through the selector the CKAN API calls and through
the /datos/ page. Runs on SQLite (FTS5) and on PostgreSQL (full-text search with a GIN index)."""

import pytest
from django.db import connection

from mueve.accounts.models import Role
from mueve.datasets import fulltext, services
from mueve.datasets.models import Dataset
from mueve.datasets.selectors.search import search
from tests.datasets.catalog_helpers import make_org, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(make_user, organization):
    """Five published datasets of two publishers (the first is the UOCT), and one inventoried."""
    manager = make_user(Role.MANAGER)
    uoct = organization
    seremi = make_org("Seremi de Transportes", "SEREMITT")
    made = {
        "conteos": published(
            manager,
            uoct,
            "Conteos de tránsito en semáforos",
            keyword="tránsito, semáforos",
            formats=["CSV", "JSON"],
        ),
        "incidentes": published(
            manager, uoct, "Incidentes viales", themes=["TRAN", "JUST"], formats=["CSV"], access="restricted"
        ),
        "paraderos": published(manager, seremi, "Paraderos de buses", themes=["TRAN", "REGI"], formats=["GEOJSON"]),
        "flota": published(manager, seremi, "Flota de buses", license="ODbL-1.0", format="XLS"),
        "encuesta": published(manager, seremi, "Encuesta de movilidad", themes=["SOCI"], license="CC0-1.0"),
    }
    made["hidden"] = services.dataset_save(
        actor=manager,
        title="Semáforos en mantención (tránsito)",
        publisher=uoct,
        themes=["TRAN"],
        description="Semáforos fuera de servicio.",
        license="CC-BY-4.0",
    )
    return made, uoct, seremi


def counts(facets, facet):
    return {v.value: v.count for v in facets[facet]}


def test_accents_are_folded_both_ways(catalog):
    made, _uoct, _seremi = catalog
    for query in ("semaforo", "SEMÁFORO", "semáforos", "semaforos"):
        datasets, total, _facets = search(q=query)
        assert {d.pk for d in datasets} == {made["conteos"].pk}, query
        assert total == 1
    # The publisher's name is searched too: both UOCT datasets say "Tránsito".
    for query in ("transito", "TRÁNSITO", "tránsito"):
        assert {d.pk for d in search(q=query).datasets} == {made["conteos"].pk, made["incidentes"].pk}, query
    # A word of the publisher's name and a prefix both find.
    assert {d.title for d in search(q="control transi").datasets} == {
        "Conteos de tránsito en semáforos",
        "Incidentes viales",
    }
    assert search(q="buses").total == 2
    assert search(q="zzzz").total == 0
    # Query syntax of either engine is only text.
    assert search(q='"bus* OR -( AND : & |').total == 0


def test_unpublished_datasets_are_never_found(catalog):
    made, _uoct, _seremi = catalog
    assert made["hidden"].pk not in {d.pk for d in search(q="mantención").datasets}
    assert search(q="mantencion").total == 0
    services.dataset_publish(actor=made["hidden"].steward, dataset=made["hidden"])
    assert search(q="mantencion").total == 1
    services.dataset_withdraw(actor=made["hidden"].steward, dataset=made["hidden"])
    assert search(q="mantencion").total == 0


def test_facet_counts_combine_and_stay_disjunctive(catalog):
    made, uoct, seremi = catalog
    datasets, total, facets = search()
    assert total == 5
    assert counts(facets, "publisher") == {uoct.slug: 2, seremi.slug: 3}
    assert counts(facets, "theme") == {"TRAN": 4, "JUST": 1, "REGI": 1, "SOCI": 1}
    # Distribution formats, and the inventory's format for a dataset without distributions.
    assert counts(facets, "format") == {"CSV": 2, "JSON": 1, "GEOJSON": 1, "XLS": 1}
    assert counts(facets, "license") == {"CC-BY-4.0": 3, "ODbL-1.0": 1, "CC0-1.0": 1}
    assert counts(facets, "access") == {"public": 4, "restricted": 1}

    # Two facets combine with AND; the publisher facet still counts the other publisher for the same format.
    datasets, total, facets = search(filters={"publisher": [seremi.slug], "theme": ["TRAN"]})
    assert {d.pk for d in datasets} == {made["paraderos"].pk, made["flota"].pk} and total == 2
    assert counts(facets, "publisher") == {seremi.slug: 2, uoct.slug: 2}
    assert [v.value for v in facets["publisher"] if v.selected] == [seremi.slug]
    assert counts(facets, "format") == {"GEOJSON": 1, "XLS": 1}

    # Values of one facet combine with OR.
    assert search(filters={"format": ["CSV", "GEOJSON"]}).total == 3
    assert search(filters={"format": ["csv"], "access": ["restricted"]}).total == 1
    # With a query too.
    datasets, total, facets = search(q="buses", filters={"license": ["ODbL-1.0"]})
    assert [d.pk for d in datasets] == [made["flota"].pk]
    assert counts(facets, "license") == {"CC-BY-4.0": 1, "ODbL-1.0": 1}


def test_paging_and_sorting(catalog):
    made, _uoct, _seremi = catalog
    titles = sorted(d.title for d in Dataset.objects.filter(status=Dataset.Status.PUBLISHED))
    first, total, _ = search(sort="title", start=0, rows=2, facets=())
    second, _, _ = search(sort="title", start=2, rows=2, facets=())
    last, _, _ = search(sort="title", start=4, rows=2, facets=())
    assert total == 5
    assert [d.title for d in first + second + last] == titles
    assert search(sort="title", start=10, rows=2).datasets == []
    Dataset.objects.filter(pk=made["encuesta"].pk).update(data_modified="2030-01-01T00:00:00Z")
    assert search(sort="modified", rows=1).datasets[0].pk == made["encuesta"].pk
    # Relevance: the dataset naming "buses" in its title and keywords twice ranks first.
    services.dataset_save(actor=made["flota"].steward, dataset=made["flota"], keyword="buses, buses urbanos")
    assert search(q="buses", sort="relevance").datasets[0].pk == made["flota"].pk
    with pytest.raises(ValueError):
        search(sort="popularity")
    with pytest.raises(ValueError):
        search(filters={"color": ["red"]})


def test_bulk_writes_reach_the_index(catalog):
    """The index follows every write path, the ORM's bulk ones included (triggers on SQLite, an expression index
    on PostgreSQL)."""
    made, uoct, _seremi = catalog
    Dataset.objects.filter(pk=made["incidentes"].pk).update(search_text="Choques y atropellos en Talcahuano")
    assert [d.pk for d in search(q="atropellos").datasets] == [made["incidentes"].pk]
    assert search(q="incidentes viales").total == 0
    Dataset.objects.bulk_create(
        [
            Dataset(
                title=f"Cosechado {i}",
                slug=f"cosechado-{i}",
                publisher=uoct,
                status=Dataset.Status.PUBLISHED,
                search_text=f"Cosechado {i} ciclovías",
            )
            for i in range(3)
        ]
    )
    assert search(q="ciclovias").total == 3
    Dataset.objects.filter(slug__startswith="cosechado-").delete()
    assert search(q="ciclovias").total == 0


def test_the_index_survives_a_table_rebuild(catalog):
    """On SQLite Django alters a table by rebuilding it, which drops its triggers: the post-migrate step puts them
    back and re-indexes."""
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite rebuilds tables to alter them")
    with connection.cursor() as cursor:
        for name in ("datasets_dataset_fts_ai", "datasets_dataset_fts_ad", "datasets_dataset_fts_au"):
            cursor.execute(f"DROP TRIGGER {name}")
    Dataset.objects.filter(pk=catalog[0]["flota"].pk).update(search_text="Flota de trolebuses")
    fulltext.install()
    assert search(q="trolebuses").total == 1


def test_search_page_shows_facets_counts_and_pages(client, catalog):
    made, uoct, seremi = catalog
    page = client.get("/datos/", {"q": "transito"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Conteos de tránsito en semáforos" in html and "Paraderos de buses" not in html
    assert "Semáforos en mantención" not in html

    html = client.get("/datos/", {"institucion": seremi.slug, "tema": "TRAN"}).content.decode()
    assert "Paraderos de buses" in html and "Flota de buses" in html and "Conteos de tránsito" not in html
    assert f'value="{seremi.slug}" id="f-institucion-1" checked' in html or "checked" in html
    assert 'Unidad Operativa de Control de Tránsito <span class="facet-count">(2)</span>' in html
    assert "2 conjuntos de datos" in html

    for i in range(22):
        published(made["flota"].steward, uoct, f"Aforo {i:02d}", keyword="aforo")
    first = client.get("/datos/", {"q": "aforo", "orden": "titulo"}).content.decode()
    assert "Aforo 00" in first and "Aforo 19" in first and "Aforo 20" not in first
    assert "Página 1 de 2" in first
    second = client.get("/datos/", {"q": "aforo", "orden": "titulo", "pagina": 2}).content.decode()
    assert "Aforo 20" in second and "Aforo 21" in second and "Aforo 00" not in second

    bad = client.get("/datos/", {"orden": "popularidad", "pagina": "x"})
    assert bad.status_code == 400
    assert "Escoja una opción válida" in bad.content.decode() or "opción válida" in bad.content.decode()
