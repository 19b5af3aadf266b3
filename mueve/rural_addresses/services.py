"""Writes for rural addresses: roads, tagging a place (checked for area and duplicates), an official's review, the
emergency note with its consent. Keyword-only, atomic; events after commit."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts.scopes import scope_of
from mueve.core import events
from mueve.core.geo import validate_lat_lon
from mueve.core.text import fold
from mueve.reports.photos import process_photo
from mueve.rural_addresses import events as rural_events
from mueve.rural_addresses import olc, roads, selectors
from mueve.rural_addresses.models import EmergencyNote, RuralPlace, RuralPlacePhoto, RuralRoad
from mueve.territory.models import Jurisdiction
from mueve.territory.selectors import jurisdiction_covers

# Two tags of one house: the same 10-digit plus code (a cell of about 14 × 11 m here), or closer than this on the
# same road (a phone's GPS wanders a few metres between visits).
DUPLICATE_M = 15.0
MAX_PHOTOS = 3


def road_upsert(
    *,
    jurisdiction: Jurisdiction,
    code: str,
    name: str,
    geometry: Sequence[Sequence[float]],
    start_label: str = "",
    approximate: bool = False,
) -> RuralRoad:
    try:
        points = roads.validate_geometry(list(geometry))
    except roads.GeometryError as exc:
        raise ValidationError({"geometry": [_("La geometría del camino no es válida: %(e)s") % {"e": exc}]}) from exc
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    values = {
        "name": name,
        "geometry": [[lon, lat] for lon, lat in points],
        "length_km": roads.length_km(points),
        "start_label": start_label,
        "approximate": approximate,
        "min_lat": min(lats),
        "max_lat": max(lats),
        "min_lon": min(lons),
        "max_lon": max(lons),
    }
    with transaction.atomic():
        road, _created = RuralRoad.objects.update_or_create(jurisdiction=jurisdiction, code=code, defaults=values)
    selectors.forget_roads()
    return road


def _tagger_covers(user, lat: float, lon: float) -> bool:
    """A person with jurisdiction scopes tags only inside them; one without (a resident) anywhere a road is."""
    if user is None:
        return True
    scope = scope_of(user)
    if scope.platform:
        return True
    return any(jurisdiction_covers(jurisdiction_id=j, lat=lat, lon=lon) for j in scope.jurisdiction_ids)


def place_tag(
    *,
    user,
    lat: float,
    lon: float,
    description: str,
    road: RuralRoad | None = None,
    photos: Sequence = (),
    client_key: str | None = None,
    generated: bool = False,
) -> RuralPlace:
    """Registers a house or place on a rural road, to be verified by an official. Raises ValidationError (field
    messages in Spanish) and stores nothing when the point is outside the tagger's jurisdiction or off every road,
    or when the house is already registered."""
    if client_key:
        existing = RuralPlace.objects.filter(client_key=client_key).first()
        if existing is not None:
            return existing  # the phone's queue sent it again after a lost answer
    try:
        validate_lat_lon(lat, lon)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"lat": [_("La ubicación no es válida.")]}) from exc
    description = " ".join((description or "").split())
    if not description:
        raise ValidationError({"description": [_("Describa cómo reconocer el lugar, como lo diría quien llama.")]})
    if len(description) > 300:
        raise ValidationError({"description": [_("La descripción no puede pasar de 300 caracteres.")]})
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": [_("Puede adjuntar hasta %(n)s fotos.") % {"n": MAX_PHOTOS}]})
    if not _tagger_covers(user, lat, lon):
        raise ValidationError({"lat": [_("El punto está fuera de su jurisdicción: no puede etiquetar lugares ahí.")]})

    if road is None:
        found = selectors.nearest_road(lat=lat, lon=lon)
        if found is None:
            raise ValidationError(
                {
                    "lat": [
                        _("No hay un camino rural registrado a menos de %(km)s km de este punto.")
                        % {"km": f"{selectors.MAX_ROAD_OFFSET_M / 1000:g}"}
                    ]
                }
            )
        road, projection = found
    else:
        projection = roads.project(selectors.road_points(road), lat, lon)
        if projection.offset_m > selectors.MAX_ROAD_OFFSET_M:
            raise ValidationError({"road": [_("El punto está demasiado lejos de ese camino.")]})
    if not jurisdiction_covers(jurisdiction_id=road.jurisdiction_id, lat=lat, lon=lon):
        raise ValidationError(
            {"lat": [_("El punto está fuera de %(place)s, la comuna de ese camino.") % {"place": road.jurisdiction}]}
        )

    code = olc.encode(lat, lon)
    duplicate = selectors.duplicate_of(road=road, lat=lat, lon=lon, plus_code=code)
    if duplicate is not None:
        raise ValidationError(
            {
                "__all__": [
                    _("Esta casa ya está registrada: %(code)s, %(road)s km %(km)s.")
                    % {"code": duplicate.plus_code, "road": duplicate.road.name, "km": selectors.km_text(duplicate.km)}
                ]
            }
        )
    processed = [process_photo(photo) for photo in photos]  # all checked before anything is written

    with transaction.atomic():
        place = RuralPlace.objects.create(
            road=road,
            jurisdiction_id=road.jurisdiction_id,
            lat=lat,
            lon=lon,
            plus_code=code,
            km=round(projection.km, 3),
            offset_m=round(projection.offset_m, 1),
            description=description,
            search_text=fold(description),
            tagged_by=user if user is not None and user.is_authenticated else None,
            generated=generated,
            client_key=client_key or None,
        )
        for content, width, height, content_type in processed:
            RuralPlacePhoto.objects.create(
                place=place, image=content, width=width, height=height, content_type=content_type
            )
        events.publish(rural_events.PLACE_TAGGED, rural_events.place_payload(place))
    return place


def _review(*, place: RuralPlace, user, status: str, reason: str = "") -> RuralPlace:
    with transaction.atomic():
        place = RuralPlace.objects.select_for_update().get(pk=place.pk)
        if place.status != RuralPlace.Status.TAGGED:
            raise ValidationError({"__all__": [_("Este lugar ya fue revisado.")]})
        place.status = status
        place.verified_by = user
        place.verified_at = timezone.now()
        place.rejection_reason = reason
        place.save(update_fields=["status", "verified_by", "verified_at", "rejection_reason"])
        events.publish(rural_events.PLACE_REVIEWED, rural_events.place_payload(place))
    return place


def place_verify(*, place: RuralPlace, user) -> RuralPlace:
    return _review(place=place, user=user, status=RuralPlace.Status.VERIFIED)


def place_reject(*, place: RuralPlace, user, reason: str) -> RuralPlace:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("Diga por qué se rechaza: quien etiquetó el lugar lo leerá.")]})
    return _review(place=place, user=user, status=RuralPlace.Status.REJECTED, reason=reason[:300])


def emergency_note_record(
    *,
    place: RuralPlace,
    user,
    consent: bool,
    consent_given_by: str,
    oxygen_dependent: bool = False,
    ambulance_access: str = EmergencyNote.Access.UNKNOWN,
    text: str = "",
) -> EmergencyNote:
    """Stores (or replaces) the note, only with the resident's consent, recording who gave it and who took it."""
    errors: dict[str, list[str]] = {}
    if not consent:
        errors["consent"] = [_("Sin el consentimiento de quien vive ahí no se guarda la nota.")]
    consent_given_by = " ".join((consent_given_by or "").split())
    if not consent_given_by:
        errors["consent_given_by"] = [_("Escriba el nombre de quien dio el consentimiento.")]
    if ambulance_access not in EmergencyNote.Access.values:
        errors["ambulance_access"] = [_("Elija una opción de la lista.")]
    if len(text or "") > 1000:
        errors["text"] = [_("La nota no puede pasar de 1000 caracteres.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        note, _created = EmergencyNote.objects.update_or_create(
            place=place,
            defaults={
                "oxygen_dependent": oxygen_dependent,
                "ambulance_access": ambulance_access,
                "text": (text or "").strip(),
                "consent_given_by": consent_given_by[:150],
                "consent_recorded_by": user,
                "consent_recorded_at": timezone.now(),
            },
        )
    return note


def emergency_note_delete(*, place: RuralPlace) -> None:
    """The resident withdrew their consent."""
    EmergencyNote.objects.filter(place=place).delete()
