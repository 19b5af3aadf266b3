"""The other platform instance that harvest tests and the benchmark harvest: seeded and changed from outside, in
its own process (`python -c "from tests.datasets.harvest_source import seed; seed()"` with its environment)."""

import hashlib
import json

UOCT = "Unidad Operativa de Control de Tránsito"
OPERATOR = "Transportes Biobío Ltda."


def _setup():
    import django

    django.setup()


def _organization(name: str, slug: str, sector: str = "government", level: str = "regional"):
    from mueve.stakeholders.models import Organization

    org, _ = Organization.objects.get_or_create(slug=slug, defaults={"name": name, "sector": sector, "level": level})
    return org


def seed() -> None:
    """Three published datasets (one with two distributions), and one only inventoried."""
    _setup()
    from mueve.datasets.models import Dataset, Distribution

    uoct = _organization(UOCT, "uoct-fuente")
    operator = _organization(OPERATOR, "transportes-biobio", sector="private", level="local")
    counts = Dataset.objects.create(
        title="Conteos vehiculares 2014",
        slug="conteos-vehiculares-2014",
        description="Conteos por intersección cada 15 minutos.",
        status=Dataset.Status.PUBLISHED,
        publisher=uoct,
        keyword="tránsito, conteos",
        themes="TRAN",
        accrual_periodicity="daily",
        access_rights="public",
        license="CC-BY-4.0",
        version="1.0",
        bbox_west=-73.2,
        bbox_south=-36.95,
        bbox_east=-72.9,
        bbox_north=-36.7,
        contact_name="Mesa de datos",
        contact_email="datos@uoct.example.cl",
    )
    body = b"interseccion,conteo\n12,340\n"
    Distribution.objects.create(
        dataset=counts,
        title="Conteos (CSV)",
        format="CSV",
        media_type="text/csv",
        access_url="https://datos.uoct.example.cl/conteos.csv",
        byte_size=len(body),
        checksum_sha256=hashlib.sha256(body).hexdigest(),
    )
    Distribution.objects.create(
        dataset=counts,
        title="API de conteos",
        kind="api",
        format="JSON",
        access_url="https://api.uoct.example.cl/conteos",
        position=1,
    )
    stops = Dataset.objects.create(
        title="Paraderos de buses",
        slug="paraderos-de-buses",
        description="Ubicación de los paraderos.",
        status=Dataset.Status.PUBLISHED,
        publisher=operator,
        themes="TRAN,REGI",
        access_rights="public",
        license="ODbL-1.0",
    )
    Distribution.objects.create(
        dataset=stops,
        title="Paraderos (GeoJSON)",
        format="GEOJSON",
        access_url="https://datos.example.cl/paraderos.geojson",
    )
    Dataset.objects.create(
        title="Horarios de Biotren",
        slug="horarios-de-biotren",
        description="Horarios por estación.",
        status=Dataset.Status.PUBLISHED,
        publisher=uoct,
        access_rights="public",
    )
    Dataset.objects.create(title="Borrador interno", slug="borrador-interno", publisher=uoct)
    print(json.dumps({"api_key": "", "operator_token": ""}))


def seed_many(count: int) -> None:
    """`count` published datasets with two distributions each (the benchmark's source)."""
    _setup()
    from mueve.datasets.models import Dataset, Distribution

    publishers = [_organization(f"Institución {i}", f"institucion-{i}") for i in range(10)]
    datasets = Dataset.objects.bulk_create(
        Dataset(
            title=f"Conjunto de prueba {n}",
            slug=f"conjunto-{n}",
            description=f"Descripción del conjunto {n}.",
            status=Dataset.Status.PUBLISHED,
            publisher=publishers[n % 10],
            keyword="prueba, movilidad",
            themes="TRAN",
            accrual_periodicity="monthly",
            access_rights="public",
            license="CC-BY-4.0",
        )
        for n in range(count)
    )
    Distribution.objects.bulk_create(
        Distribution(
            dataset=d,
            title=f"{d.title} ({fmt})",
            format=fmt,
            access_url=f"https://x.example/{d.slug}.{fmt}",
            position=i,
        )
        for d in datasets
        for i, fmt in enumerate(["CSV", "JSON"])
    )
    print(json.dumps({"api_key": "", "operator_token": ""}))


def retitle(slug: str, title: str) -> None:
    _setup()
    from mueve.datasets.models import Dataset

    dataset = Dataset.objects.get(slug=slug)
    dataset.title = title
    dataset.save()


def withdraw(slug: str) -> None:
    _setup()
    from mueve.datasets.models import Dataset

    Dataset.objects.filter(slug=slug).update(status=Dataset.Status.WITHDRAWN)


def republish(slug: str) -> None:
    _setup()
    from mueve.datasets.models import Dataset

    Dataset.objects.filter(slug=slug).update(status=Dataset.Status.PUBLISHED)
