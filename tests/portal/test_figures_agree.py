"""Each figure has one definition, one selector, and says what it counts: the dossier, the map of actors,
the list of organizations and the workshop pages show the same numbers for the demo."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from mueve.portal import dossier
from mueve.programs.models import Program
from mueve.stakeholders import selectors as stakeholder_selectors
from mueve.stakeholders.models import ProgramStakeholder
from mueve.workshops import selectors as workshop_selectors
from mueve.workshops.models import Registration

pytestmark = pytest.mark.django_db

SLUG = "smart-city-gran-concepcion"


@pytest.fixture
def program(demo_db_shared) -> Program:
    return Program.objects.get(slug=SLUG)


def key_figure(built: dossier.ProgramDossier, label: str) -> int:
    return int(dict(built.key_figures)[label])


def number_before(text: str, words: str) -> int:
    found = re.findall(rf"(\d+) {words}", re.sub(r"\s+", " ", text))
    assert found, f"«{words}» not on the page"
    return int(found[0])


def test_institutions_are_the_same_number_in_the_dossier_the_map_and_the_list(program):
    built = dossier.build_dossier(program)
    expected = ProgramStakeholder.objects.filter(program=program).values("organization").distinct().count()
    assert key_figure(built, "Instituciones involucradas") == expected == 60
    client = Client()
    map_page = client.get(reverse("stakeholders:map", args=[SLUG])).content.decode()
    assert number_before(map_page, "instituciones involucradas en el programa") == expected
    listing = client.get(reverse("stakeholders:list")).content.decode()
    assert number_before(listing, "instituciones involucradas") == expected
    filtered = client.get(reverse("stakeholders:list") + f"?program={SLUG}").content.decode()
    assert number_before(filtered, "instituciones involucradas en") == expected
    # Each place says what it counts.
    definition = str(stakeholder_selectors.INSTITUTIONS_DEFINITION)
    for html in (map_page, listing, filtered):
        assert "Qué se cuenta: cada organización vinculada al programa" in html
    assert definition in dossier.render_html(built)


def test_the_registry_total_is_labelled_as_the_registry_not_the_programme(demo_db_shared):
    listing = Client().get(reverse("stakeholders:list")).content.decode()
    assert "organizaciones en el registro" in listing


def test_workshop_registrations_are_the_same_in_the_dossier_and_the_workshop_pages(program):
    built = dossier.build_dossier(program)
    expected = Registration.objects.filter(workshop__program=program).count()
    assert key_figure(built, "Inscripciones a talleres") == expected
    assert workshop_selectors.program_registration_count(program) == expected
    client = Client()
    listing = client.get(reverse("workshops:list") + f"?programa={SLUG}").content.decode()
    assert number_before(listing, "inscripciones a talleres del programa") == expected
    assert "Qué se cuenta: las inscripciones registradas" in listing
    # Each workshop's page counts the same way, and they add up to the programme's figure.
    total = 0
    for workshop in program.workshops.all():
        page = client.get(reverse("workshops:detail", args=[workshop.slug])).content.decode()
        total += number_before(page, "inscritos?")
    assert total == expected
    assert "Qué se cuenta: las inscripciones registradas" in dossier.render_html(built)
