"""Who may do what with rural places. The emergency note is for the emergency role only (SAMU 131, Bomberos 132,
Carabineros 133): not officials, not operators, not the platform's administrators, not the person who tagged it."""

import rules

from mueve.accounts.rules import (
    in_object_jurisdiction,
    is_authenticated,
    is_emergency,
    is_manager,
    is_official,
)


@rules.predicate
def is_tagger(user, place) -> bool:
    return bool(place is not None and user and user.is_authenticated and place.tagged_by_id == user.pk)


@rules.predicate
def is_verified(user, place) -> bool:
    return bool(place is not None and place.status == "verified")


is_reviewer = (is_official | is_manager) & in_object_jurisdiction

# Residents and municipal staff tag the houses on their roads (services.place_tag checks where).
rules.add_perm("rural_addresses.tag_place", is_authenticated)
# An official of the place's jurisdiction (or a programme manager, or the national unit) makes it authoritative.
rules.add_perm("rural_addresses.verify_place", is_reviewer)
# A verified place is public (its plate hangs on the house); one still to be verified, only for who tagged it,
# its reviewers and emergency services.
rules.add_perm("rural_addresses.view_place", is_verified | is_tagger | is_reviewer | is_emergency)
rules.add_perm("rural_addresses.view_photos", is_tagger | is_reviewer | is_emergency)
rules.add_perm("rural_addresses.record_emergency_note", is_tagger | is_reviewer)
rules.add_perm("rural_addresses.view_emergency_note", is_emergency)
# The lookup itself: emergency services, and the programme's managers and platform administrators who look after
# the registry (they never see the notes: view_emergency_note above).
rules.add_perm("rural_addresses.dispatch", is_emergency | is_manager)
