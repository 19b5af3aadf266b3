"""The hinterland demo: roads in Hualqui, Santa Juana and Florida, with generated houses marked as such."""

import pytest

from mueve.demo import rural, territory
from mueve.rural_addresses import selectors
from mueve.rural_addresses.models import RuralPlace, RuralRoad

pytestmark = pytest.mark.django_db


def test_the_demo_roads_and_generated_houses_load_twice_without_duplicates(samu):
    territory.load()
    rural.load()
    count = RuralPlace.objects.count()
    rural.load()
    assert RuralPlace.objects.count() == count > 50
    assert set(RuralRoad.objects.values_list("jurisdiction__name", flat=True)) == {"Hualqui", "Santa Juana", "Florida"}
    assert not RuralPlace.objects.filter(generated=False).exists()
    place = RuralPlace.objects.filter(status=RuralPlace.Status.VERIFIED).first()
    short, locality = selectors.short_code(place)
    assert locality == place.jurisdiction.name
    found, _full = selectors.by_code(user=samu, code=short, locality=locality)
    assert [p.pk for p in found] == [place.pk]
