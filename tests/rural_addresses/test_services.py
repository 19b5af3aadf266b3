"""Tagging a rural place, its review by an official, and the emergency note's consent."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mueve.rural_addresses import olc, selectors, services
from mueve.rural_addresses.models import EmergencyNote, RuralPlace, RuralPlacePhoto
from tests.rural_addresses.conftest import O60, on_road

pytestmark = pytest.mark.django_db


def jpeg(size=(800, 600)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 90, 200)).save(out, "JPEG")
    return SimpleUploadedFile("casa.jpg", out.getvalue(), content_type="image/jpeg")


def test_a_tag_gets_its_plus_code_road_and_km(o60, official, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lat, lon = on_road(O60, 2.4, north_m=25)
    place = services.place_tag(
        user=official, lat=lat, lon=lon, description="Casa azul pasado el puente", photos=[jpeg()]
    )
    assert place.road == o60 and place.jurisdiction == o60.jurisdiction
    assert place.plus_code == olc.encode(lat, lon)
    assert place.km == pytest.approx(2.4, abs=0.03)
    assert 5 < place.offset_m < 30
    assert place.status == RuralPlace.Status.TAGGED and place.tagged_by == official
    assert RuralPlacePhoto.objects.get(place=place).content_type == "image/jpeg"
    short, locality = selectors.short_code(place)
    assert locality == "Hualqui" and olc.is_short(short)
    assert olc.recover_nearest(short, *[o60.jurisdiction.center_lat, o60.jurisdiction.center_lon]) == place.plus_code


def test_a_tag_outside_the_taggers_jurisdiction_is_refused(o60, sj_road, other_official):
    lat, lon = on_road(O60, 1.0)
    with pytest.raises(ValidationError) as caught:
        services.place_tag(user=other_official, lat=lat, lon=lon, description="Casa de adobe")
    message = "El punto está fuera de su jurisdicción: no puede etiquetar lugares ahí."
    assert caught.value.message_dict["lat"] == [message]
    assert not RuralPlace.objects.exists()


def test_a_tag_far_from_every_road_is_refused(o60, resident):
    with pytest.raises(ValidationError) as caught:
        services.place_tag(user=resident, lat=-36.80, lon=-72.50, description="Casa")
    assert "No hay un camino rural registrado" in caught.value.message_dict["lat"][0]
    assert not RuralPlace.objects.exists()


def test_the_same_house_twice_is_refused(o60, official, resident):
    lat, lon = on_road(O60, 3.0, north_m=30)
    first = services.place_tag(user=official, lat=lat, lon=lon, description="Casa con parrón")
    # Six metres away: the same house, tagged again by a neighbour.
    with pytest.raises(ValidationError) as caught:
        services.place_tag(user=resident, lat=lat + 0.00005, lon=lon, description="La casa del parrón")
    message = caught.value.message_dict["__all__"][0]
    assert message.startswith("Esta casa ya está registrada: ") and first.plus_code in message
    assert RuralPlace.objects.count() == 1
    # A house 80 m further on is another house.
    lat2, lon2 = on_road(O60, 3.08, north_m=30)
    services.place_tag(user=resident, lat=lat2, lon=lon2, description="Casa vecina")
    assert RuralPlace.objects.count() == 2


def test_a_rejected_place_does_not_block_a_new_tag(o60, official):
    lat, lon = on_road(O60, 1.2)
    place = services.place_tag(user=official, lat=lat, lon=lon, description="Bodega")
    services.place_reject(place=place, user=official, reason="Es una bodega, no una vivienda")
    again = services.place_tag(user=official, lat=lat, lon=lon, description="Casa del cuidador")
    assert again.pk != place.pk


def test_the_same_offline_send_twice_makes_one_place(o60, resident):
    lat, lon = on_road(O60, 0.8)
    first = services.place_tag(user=resident, lat=lat, lon=lon, description="Casa", client_key="k-1")
    second = services.place_tag(user=resident, lat=lat, lon=lon, description="Casa", client_key="k-1")
    assert first.pk == second.pk and RuralPlace.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": "   "}, "description"),
        ({"description": "x" * 301}, "description"),
        ({"lat": 95.0}, "lat"),
    ],
)
def test_bad_input_stores_nothing(o60, resident, changes, field):
    lat, lon = on_road(O60, 1.5)
    values = {"lat": lat, "lon": lon, "description": "Casa", **changes}
    with pytest.raises(ValidationError) as caught:
        services.place_tag(user=resident, **values)
    assert field in caught.value.message_dict
    assert not RuralPlace.objects.exists()


def test_a_photo_that_is_not_an_image_stores_nothing(o60, resident, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lat, lon = on_road(O60, 1.5)
    fake = SimpleUploadedFile("casa.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as caught:
        services.place_tag(user=resident, lat=lat, lon=lon, description="Casa", photos=[fake])
    assert "photo" in caught.value.message_dict
    assert not RuralPlace.objects.exists()


def test_an_official_verifies_once(o60, official):
    lat, lon = on_road(O60, 2.0)
    place = services.place_tag(user=official, lat=lat, lon=lon, description="Casa")
    verified = services.place_verify(place=place, user=official)
    assert verified.status == RuralPlace.Status.VERIFIED and verified.verified_by == official
    assert verified.verified_at is not None
    with pytest.raises(ValidationError):
        services.place_reject(place=place, user=official, reason="tarde")


def test_review_permission_is_scoped(o60, official, other_official, resident, samu):
    lat, lon = on_road(O60, 2.0)
    place = services.place_tag(user=resident, lat=lat, lon=lon, description="Casa")
    assert official.has_perm("rural_addresses.verify_place", place)
    assert not other_official.has_perm("rural_addresses.verify_place", place)
    assert not resident.has_perm("rural_addresses.verify_place", place)
    assert not samu.has_perm("rural_addresses.verify_place", place)
    assert list(selectors.review_queue(user=official)) == [place]
    assert list(selectors.review_queue(user=other_official)) == []


def test_a_rejection_needs_a_reason(o60, official):
    lat, lon = on_road(O60, 2.0)
    place = services.place_tag(user=official, lat=lat, lon=lon, description="Casa")
    with pytest.raises(ValidationError) as caught:
        services.place_reject(place=place, user=official, reason="  ")
    assert "reason" in caught.value.message_dict
    place.refresh_from_db()
    assert place.status == RuralPlace.Status.TAGGED


def test_the_emergency_note_needs_consent_and_records_who(o60, official, resident, samu):
    lat, lon = on_road(O60, 2.0)
    place = services.place_tag(user=resident, lat=lat, lon=lon, description="Casa")
    with pytest.raises(ValidationError) as caught:
        services.emergency_note_record(
            place=place, user=resident, consent=False, consent_given_by="", oxygen_dependent=True
        )
    assert set(caught.value.message_dict) == {"consent", "consent_given_by"}
    assert not EmergencyNote.objects.exists()
    note = services.emergency_note_record(
        place=place,
        user=resident,
        consent=True,
        consent_given_by="Rosa Muñoz",
        oxygen_dependent=True,
        ambulance_access=EmergencyNote.Access.LIMITED,
        text="Portón con candado; llave con el vecino",
    )
    assert note.consent_recorded_by == resident and note.consent_recorded_at is not None
    assert selectors.answer(place, user=samu)["note"]["oxygen_dependent"] is True
    for someone in (resident, official):
        assert selectors.answer(place, user=someone)["note"] is None
