"""A text written for one place reads right in another: names replaced with their Spanish articles, landmarks of the
origin dropped from longer texts, accents aside, common words left alone; and a jurisdiction's names (its own, its
communes', its region's, its landmarks') are what a copy from it must not keep."""

import pytest

from mueve.territory.models import Jurisdiction
from mueve.territory.renaming import Renaming
from mueve.territory.selectors import renaming_between
from mueve.territory.services import jurisdiction_upsert, landmark_upsert

TO_TEMUCO = Renaming(
    target="Temuco",
    places=(("Gran Concepción", "Temuco"), ("Concepción", "Temuco"), ("Biobío", "Temuco")),
    landmarks=("Plaza Independencia",),
)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "Taller de visión: el transporte del Gran Concepción en 2025",
            "Taller de visión: el transporte de Temuco en 2025",
        ),
        ("El Gran Concepción se mueve", "Temuco se mueve"),
        ("SEREMITT del Biobío", "SEREMITT de Temuco"),
        ("Taller en la Municipalidad de Concepcion", "Taller en la Municipalidad de Temuco"),
        ("Visita a la Plaza Independencia", "Visita a Temuco"),
        ("la concepción del hub", "la concepción del hub"),
    ],
)
def test_a_line_names_the_new_place_with_its_articles(before, after):
    assert TO_TEMUCO.line(before) == after
    assert TO_TEMUCO.leftovers(TO_TEMUCO.line(before)) == []


def test_a_longer_text_drops_the_lines_that_name_the_origins_landmarks():
    agenda = "09:00 Bienvenida en Concepción\n10:00 Recorrido por la Plaza Independencia\n12:00 Cierre"
    assert TO_TEMUCO.text(agenda) == "09:00 Bienvenida en Temuco\n12:00 Cierre"


def test_a_name_that_takes_an_article_gets_it():
    to_valparaiso = Renaming(target="Gran Valparaíso", places=(("Temuco", "Gran Valparaíso"),))
    assert to_valparaiso.line("Municipalidad de Temuco") == "Municipalidad del Gran Valparaíso"
    assert to_valparaiso.line("Reunión en Temuco") == "Reunión en el Gran Valparaíso"


@pytest.mark.django_db
def test_the_names_of_a_jurisdiction_are_its_own_its_communes_its_region_and_its_landmarks():
    region = jurisdiction_upsert(slug="biobio", name="Región del Biobío", kind=Jurisdiction.Kind.REGION)
    metro = jurisdiction_upsert(
        slug="gran-concepcion", name="Gran Concepción", kind=Jurisdiction.Kind.METROPOLITAN_AREA, parent=region
    )
    commune = jurisdiction_upsert(
        slug="talcahuano", name="Talcahuano", kind=Jurisdiction.Kind.MUNICIPALITY, parent=metro
    )
    landmark_upsert(name="Mall Plaza Trébol", lat=-36.79, lon=-73.07, jurisdiction=commune)
    target = jurisdiction_upsert(slug="valparaiso", name="Valparaíso", kind=Jurisdiction.Kind.REGION)
    renaming = renaming_between(metro, target)
    assert dict(renaming.places) == {
        "Gran Concepción": "Valparaíso",
        "Concepción": "Valparaíso",
        "Talcahuano": "Valparaíso",
        "Región del Biobío": "Valparaíso",
        "Biobío": "Valparaíso",
    }
    assert renaming.landmarks == ("Mall Plaza Trébol",)
    assert renaming.text("Recorrido de Talcahuano\nMall Plaza Trébol") == "Recorrido de Valparaíso"
    assert not renaming_between(None, target) and not renaming_between(target, target)
