import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse

from mueve.accounts.models import Role
from mueve.challenges import selectors, services
from mueve.challenges.models import Challenge, Comment, Status
from tests.conftest import ROLES_AND_ANONYMOUS
from tests.programs.factories import COVERING, SCOPE_AXIS, place_in_scope

STAFF = {Role.OFFICIAL, Role.MANAGER, Role.ADMIN}
MANAGERS = {Role.MANAGER, Role.ADMIN}
SIGNED_IN = set(Role.values)
SUPERUSER = {Role.ADMIN}

GLOBAL = {
    "challenges.add_challenge": STAFF,
    "challenges.view_internal_challenges": STAFF,
    "challenges.view_interviews": STAFF,
    "challenges.add_interview": STAFF,
    # Taking part: anyone signed in; the moderation queue: the roles that manage challenges.
    "challenges.follow_challenge": SIGNED_IN,
    "challenges.support_challenge": SIGNED_IN,
    "challenges.comment_challenge": SIGNED_IN,
    "challenges.report_comment": SIGNED_IN,
    "challenges.moderate_comments": STAFF,
}


@pytest.mark.parametrize("perm", sorted(GLOBAL))
@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_role_permission_matrix(users_by_role, role, perm):
    user = users_by_role[role] or AnonymousUser()
    assert user.has_perm(perm) is (role in GLOBAL[perm])


@pytest.fixture
def public_and_internal(make_challenge):
    return {
        "public": make_challenge("¿Cómo mejorar la experiencia de viaje?", status=Status.PUBLISHED),
        "internal": make_challenge("¿Cómo coordinar cortes de ruta y emergencias?", status=Status.VALIDATED),
    }


# The official of users_by_role belongs to the owner institution of these challenges.
OBJECT = {
    ("challenges.view_challenge", "public"): set(ROLES_AND_ANONYMOUS),
    ("challenges.view_challenge", "internal"): STAFF,
    ("challenges.change_challenge", "public"): STAFF,
    ("challenges.change_challenge", "internal"): STAFF,
    ("challenges.transition_challenge", "public"): MANAGERS,
    ("challenges.transition_challenge", "internal"): MANAGERS,
    # Only public challenges take part, for every signed-in role (the team included); nobody in an internal one but
    # the admin, a superuser, who holds every permission (Django's rule): the pages and the API answer 404 for an
    # internal challenge to everyone (tests/challenges/test_participation.py).
    ("challenges.follow_challenge", "public"): SIGNED_IN,
    ("challenges.follow_challenge", "internal"): SUPERUSER,
    ("challenges.support_challenge", "public"): SIGNED_IN,
    ("challenges.support_challenge", "internal"): SUPERUSER,
    ("challenges.comment_challenge", "public"): SIGNED_IN,
    ("challenges.comment_challenge", "internal"): SUPERUSER,
    ("challenges.moderate_comments", "public"): STAFF,
    ("challenges.moderate_comments", "internal"): STAFF,
}


@pytest.mark.parametrize("perm, which", sorted(OBJECT))
@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_object_permission_matrix(users_by_role, public_and_internal, role, perm, which):
    user = users_by_role[role] or AnonymousUser()
    assert user.has_perm(perm, public_and_internal[which]) is (role in OBJECT[(perm, which)])


def test_official_of_another_institution_cannot_change(make_user, make_challenge, other_org):
    challenge = make_challenge()
    outsider = make_user(Role.OFFICIAL, organization=other_org)
    assert not outsider.has_perm("challenges.change_challenge", challenge)
    assert outsider.has_perm("challenges.view_challenge", challenge)
    assert not outsider.has_perm("challenges.moderate_comments", challenge)


# Reporting a comment (the object is the comment): "other" is someone else's published comment on a public
# challenge, "own" the reporter's own, "held" one waiting for moderation, "internal" one on a challenge that went
# back to internal review.
REPORT = {"other": SIGNED_IN, "own": SIGNED_IN - {Role.CITIZEN}, "held": SUPERUSER, "internal": SUPERUSER}


@pytest.mark.parametrize("which", sorted(REPORT))
@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_report_comment_matrix(users_by_role, make_user, make_challenge, manager, role, which):
    challenge = make_challenge(status=Status.PUBLISHED)
    author = users_by_role[Role.CITIZEN] if which == "own" else make_user(Role.CITIZEN)
    status = Comment.Status.PENDING if which == "held" else Comment.Status.PUBLISHED
    comment = Comment.objects.create(challenge=challenge, author=author, text="Una opinión.", status=status)
    if which == "internal":
        services.challenge_transition(actor=manager, challenge=challenge, to_status=Status.VALIDATED)
        comment.refresh_from_db()
    user = users_by_role[role] or AnonymousUser()
    assert user.has_perm("challenges.report_comment", comment) is (role in REPORT[which])


def test_nobody_takes_part_in_a_public_challenge_of_a_private_program(make_challenge, program, make_user):
    challenge = make_challenge(status=Status.PUBLISHED)
    program.is_public = False
    program.save()
    challenge.refresh_from_db()
    for role in set(Role.values) - SUPERUSER:
        user = make_user(role)
        for perm in ("follow_challenge", "support_challenge", "comment_challenge"):
            assert not user.has_perm(f"challenges.{perm}", challenge), (role, perm)


def test_public_challenge_of_a_private_program_is_hidden(make_challenge, program, make_user):
    challenge = make_challenge(status=Status.PUBLISHED)
    program.is_public = False
    program.save()
    challenge.refresh_from_db()
    assert not AnonymousUser().has_perm("challenges.view_challenge", challenge)
    # A program that is not public is the managers' alone: officials do not see into it either.
    assert not make_user(Role.OFFICIAL).has_perm("challenges.view_challenge", challenge)
    assert make_user(Role.MANAGER).has_perm("challenges.view_challenge", challenge)


# --- issue 17: officials act for their own institution only -------------------------------------

# Who may name the challenge's owner: "own" is the official's institution, "other" is not.
ASSIGN_OWNER = {"own": STAFF, "other": MANAGERS}


@pytest.mark.parametrize("which", sorted(ASSIGN_OWNER))
@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_assign_owner_matrix(users_by_role, organization, other_org, role, which):
    user = users_by_role[role] or AnonymousUser()
    target = organization if which == "own" else other_org
    assert user.has_perm("challenges.assign_owner", target) is (role in ASSIGN_OWNER[which])


def _api_create(client, program, owner):
    payload = {"program": program.slug, "title": "¿Cómo hacer más seguras las ciclovías?", "owner": owner.slug}
    return client.post(
        "/api/v1/challenges/", json.dumps({**payload, "kind": "concrete"}), content_type="application/json"
    )


# Anonymous: 401 (login needed); roles without add_challenge: 403; officials: a field error on
# `owner`; managers and admins: created.
API_CREATE_FOR_OTHER = {
    "anonymous": 401,
    Role.OFFICIAL: 400,
    Role.MANAGER: 201,
    Role.ADMIN: 201,
}


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_api_create_for_another_institution(client, users_by_role, program, other_org, role):
    if users_by_role[role] is not None:
        client.force_login(users_by_role[role])
    response = _api_create(client, program, other_org)
    assert response.status_code == API_CREATE_FOR_OTHER.get(role, 403)
    if response.status_code == 400:
        assert "propia institución" in response.json()["errors"]["owner"][0]
    assert Challenge.objects.filter(owner=other_org).exists() is (response.status_code == 201)


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_html_create_for_another_institution(client, users_by_role, program, other_org, role):
    if users_by_role[role] is not None:
        client.force_login(users_by_role[role])
    data = {"program": program.slug, "title": "¿Cómo hacer más seguras las ciclovías?", "owner": other_org.slug}
    response = client.post(reverse("challenges:create"), {**data, "kind": "concrete"})
    if role == "anonymous":
        assert response.status_code == 302 and "/cuentas/entrar/" in response["Location"]
    elif role in MANAGERS:
        assert response.status_code == 302
    elif role == Role.OFFICIAL:
        assert response.status_code == 200
        assert "propia institución" in response.content.decode()
    else:
        assert response.status_code == 403
    assert Challenge.objects.filter(owner=other_org).exists() is (role in MANAGERS)


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.MANAGER, Role.ADMIN])
def test_service_create_and_reassign_to_another_institution(users_by_role, program, organization, other_org, role):
    actor = users_by_role[role]
    title = "¿Cómo hacer más seguras las ciclovías?"
    if role == Role.OFFICIAL:
        with pytest.raises(ValidationError) as refused:
            services.challenge_create(actor=actor, program=program, title=title, owner=other_org, kind="concrete")
        assert "owner" in refused.value.message_dict
        assert not Challenge.objects.exists()
    own = services.challenge_create(actor=actor, program=program, title=title, owner=organization, kind="concrete")
    if role == Role.OFFICIAL:
        with pytest.raises(ValidationError) as refused:
            services.challenge_update(actor=actor, challenge=own, owner=other_org, description="Movido.")
        assert "owner" in refused.value.message_dict
        own.refresh_from_db()
        assert own.owner == organization and own.description == ""
    else:
        services.challenge_update(actor=actor, challenge=own, owner=other_org)
        own.refresh_from_db()
        assert own.owner == other_org


def test_official_cannot_hand_own_challenge_to_another_institution(client, official, make_challenge, other_org):
    own = make_challenge(status=Status.PUBLISHED)
    client.force_login(official)
    url = "/api/v1/challenges/" + own.slug
    response = client.patch(url, json.dumps({"owner": other_org.slug}), content_type="application/json")
    assert response.status_code == 400
    assert "propia institución" in response.json()["errors"]["owner"][0]
    html = client.post(
        reverse("challenges:edit", args=[own.slug]), {"title": own.title, "owner": other_org.slug, "kind": own.kind}
    )
    assert html.status_code == 200 and "propia institución" in html.content.decode()
    # The edit form offers the official's own institution only.
    form = client.get(reverse("challenges:edit", args=[own.slug])).content.decode()
    assert other_org.slug not in form
    own.refresh_from_db()
    assert own.owner_id == official.organization_id


# --- the scope axis (issue 20) --------------------------------------------------------------------------------------


@pytest.mark.parametrize("axis", SCOPE_AXIS)
@pytest.mark.parametrize("role", [Role.MANAGER, Role.OFFICIAL, Role.CITIZEN, Role.ADMIN])
def test_scope_axis(make_user, public_and_internal, program, role, axis):
    """A challenge is managed by its programme's managers (their scope includes it, or it names them); an official
    sees internal challenges, and changes and moderates those of their institution, only where they act for it (their
    scope covers the programme, or their institution is one of its actors)."""
    user = make_user(role)  # an official belongs to the challenges' owner institution
    place_in_scope(user, axis, program)
    manages = role == Role.ADMIN or (role == Role.MANAGER and axis in COVERING) or axis == "named"
    official_here = role == Role.OFFICIAL and (axis in COVERING or axis == "takes_part")
    public, internal = public_and_internal["public"], public_and_internal["internal"]
    assert user.has_perm("challenges.view_challenge", public)
    assert user.has_perm("challenges.view_challenge", internal) is (manages or official_here)
    for challenge in (public, internal):
        assert user.has_perm("challenges.change_challenge", challenge) is (manages or official_here)
        assert user.has_perm("challenges.moderate_comments", challenge) is (manages or official_here)
        assert user.has_perm("challenges.transition_challenge", challenge) is manages
    assert user.has_perm("challenges.add_challenge", program) is (manages or official_here)
    # The lists say the same as the rules.
    listed = set(selectors.challenge_list_for(user=user).values_list("pk", flat=True))
    assert (internal.pk in listed) is (manages or official_here) and public.pk in listed
    assert (program in selectors.program_choices(user=user)) is (manages or official_here)
