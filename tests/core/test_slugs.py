import pytest
from django.db import IntegrityError

from mueve.core import slugs
from mueve.stakeholders.models import Level, Organization, Sector


def org(name: str) -> Organization:
    return Organization(name=name, sector=Sector.PRIVATE, level=Level.LOCAL)


@pytest.mark.django_db(transaction=True)
def test_a_slug_taken_between_the_check_and_the_insert_is_retried(monkeypatch):
    Organization.objects.create(name="Primera", slug="ruta", sector=Sector.PRIVATE, level=Level.LOCAL)
    real = slugs.first_free_slug
    calls = []

    def stale_then_real(*args, **kwargs):
        # The first look answers as if the concurrent insert of "ruta" had not happened yet.
        calls.append(1)
        return "ruta" if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(slugs, "first_free_slug", stale_then_real)
    second = org("Segunda")
    slugs.save_with_unique_slug(second, "ruta")
    assert second.slug == "ruta-2"
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_another_constraint_is_not_hidden():
    Organization.objects.create(name="Igual", slug="uno", sector=Sector.PRIVATE, level=Level.LOCAL)
    with pytest.raises(IntegrityError):
        slugs.save_with_unique_slug(org("Igual"), "otro")  # the name is unique too


def test_reserved_and_taken_slugs_are_skipped(db):
    Organization.objects.create(name="A", slug="mapa-2", sector=Sector.PRIVATE, level=Level.LOCAL)
    assert slugs.first_free_slug(Organization, "mapa", reserved={"mapa"}) == "mapa-3"


def test_slug_base_cuts_between_words():
    base = slugs.slug_base("¿Cómo " + "reducir el vandalismo " * 10 + "?", max_length=40, fallback="x")
    assert len(base) <= 36 and not base.endswith("-")
    assert slugs.slug_base("¿?", max_length=40, fallback="desafio") == "desafio"
