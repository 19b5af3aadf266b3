"""Builders for the catalog's page tests: organizations, programmes and published datasets, through the services."""

import datetime as dt
import itertools

from mueve.datasets import services
from mueve.datasets.models import Distribution
from mueve.programs.models import Program
from mueve.stakeholders.models import Level, Organization, Sector
from mueve.territory.models import Jurisdiction

_n = itertools.count()


def make_org(name: str, acronym: str = "") -> Organization:
    return Organization.objects.create(
        name=name, acronym=acronym, slug=f"org-{next(_n)}", sector=Sector.GOVERNMENT, level=Level.REGIONAL
    )


def make_program(name: str = "Programa de prueba") -> Program:
    n = next(_n)
    jurisdiction = Jurisdiction.objects.create(
        slug=f"j-{n}", name=f"Territorio {n}", kind=Jurisdiction.Kind.METROPOLITAN_AREA
    )
    return Program.objects.create(
        name=name,
        slug=f"prog-{n}",
        jurisdiction=jurisdiction,
        start_date=dt.date(2013, 11, 1),
        end_date=dt.date(2030, 12, 31),
    )


def published(actor, publisher, title, *, themes=("TRAN",), license="CC-BY-4.0", access="public", **extra):
    """A published dataset; `formats` (a list of EU codes) adds one API distribution per format."""
    formats = extra.pop("formats", [])
    dataset = services.dataset_save(
        actor=actor,
        title=title,
        publisher=publisher,
        description=extra.pop("description", f"Descripción de {title}."),
        themes=list(themes),
        license=license,
        access_rights=access,
        **extra,
    )
    for code in formats:
        services.distribution_add_link(
            actor=actor,
            dataset=dataset,
            title=f"{title} en {code}",
            access_url=f"https://datos.example.cl/{dataset.slug}.{code.lower()}",
            kind=Distribution.Kind.API,
            format=code,
        )
    return services.dataset_publish(actor=actor, dataset=dataset)
