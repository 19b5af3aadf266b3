from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from mueve.accounts.rules import is_manager
from mueve.challenges.models import (
    ADDRESSED_VIA_SHORT_LABELS,
    PUBLIC_STATUSES,
    AddressedVia,
    Challenge,
    Interview,
    Status,
    StatusChange,
)
from mueve.programs.models import Component, Program
from mueve.programs.selectors import program_list_for
from mueve.stakeholders.models import Organization


def _base() -> QuerySet[Challenge]:
    return Challenge.objects.select_related("program", "owner", "component")


# What addressed_by() reads, with what the visibility rules of competitions and workshops look at.
ADDRESSERS_PREFETCH = ("competitions__program", "concepts__workshop__program")


def can_see_internal(user) -> bool:
    """Officials, managers and admins also see challenges that are not public yet."""
    return bool(user is not None and user.has_perm("challenges.view_internal_challenges"))


def visible_statuses(user) -> list[str]:
    return list(Status.values) if can_see_internal(user) else [str(s) for s in PUBLIC_STATUSES]


def _visible_to(user) -> QuerySet[Challenge]:
    # A program that is not public is the managers' alone; officials see the internal statuses of the rest.
    if is_manager(user):
        return _base()
    if can_see_internal(user):
        return _base().filter(program__is_public=True)
    return _base().filter(status__in=PUBLIC_STATUSES, program__is_public=True)


def challenge_public_list(*, program: Program | None = None, limit: int | None = None) -> QuerySet[Challenge]:
    """Public challenges (published, addressing, solved) of public programs, newest first."""
    qs = _visible_to(None).order_by("-created_at", "-id")
    if program is not None:
        qs = qs.filter(program=program)
    if limit is not None:
        qs = qs[:limit]
    return qs


def challenge_list_for(
    *,
    user,
    program: Program | str | None = None,
    status: str | None = None,
    kind: str | None = None,
    owner: Organization | str | None = None,
    q: str | None = None,
) -> QuerySet[Challenge]:
    """What `user` may see, filtered. `program` and `owner` may be objects or slugs."""
    qs = _visible_to(user)
    if isinstance(program, str):
        qs = qs.filter(program__slug=program)
    elif program is not None:
        qs = qs.filter(program=program)
    if isinstance(owner, str):
        qs = qs.filter(owner__slug=owner)
    elif owner is not None:
        qs = qs.filter(owner=owner)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q and q.strip():
        text = q.strip()
        # A competition's name is searchable once it is published (or by managers), like its page.
        competition = Q(competitions__name__icontains=text)
        if not is_manager(user):
            competition &= Q(competitions__is_published=True)
        matches = Q(title__icontains=text) | Q(description__icontains=text) | competition
        matches |= Q(concepts__name__icontains=text)
        qs = qs.filter(pk__in=Challenge.objects.filter(matches).values("pk"))
    return qs.prefetch_related(*ADDRESSERS_PREFETCH).order_by("-created_at", "-id")


def challenge_get_for(*, user, slug: str) -> Challenge:
    """One challenge with its status history (and its interviews); 404 when `user` may not see it."""
    challenge = (
        _visible_to(user)
        .prefetch_related(
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("actor")),
            Prefetch("interviews", queryset=Interview.objects.select_related("institution", "component")),
            *ADDRESSERS_PREFETCH,
        )
        .filter(slug=slug)
        .first()
    )
    if challenge is None:
        raise Http404
    if not can_see_internal(user):
        # Notes written on the way into internal review are the team's, not the public's.
        for change in challenge.status_changes.all():
            if change.to_status not in PUBLIC_STATUSES:
                change.note = ""
    return challenge


# --- what addresses a challenge -------------------------------------------------------------------


@dataclass(frozen=True)
class Addresser:
    """A competition that offers the challenge, or a workshop concept made for it."""

    kind: str  # an AddressedVia value
    name: str
    url: str
    workshop: str = ""  # where a concept was made

    @property
    def kind_label(self) -> str:
        return str(ADDRESSED_VIA_SHORT_LABELS[self.kind])


def _addressers(challenge: Challenge) -> list[tuple[Addresser, str, object]]:
    """(addresser, the permission that shows it, the object that permission is checked on).

    Read through the reverse relations only: competitions and workshops import challenges, so
    challenges must not import them.
    """
    found = []
    for competition in sorted(challenge.competitions.all(), key=attrgetter("pk")):
        url = reverse("competitions:detail", kwargs={"slug": competition.slug})
        found.append(
            (Addresser(AddressedVia.COMPETITION, competition.name, url), "competitions.view_competition", competition)
        )
    for concept in sorted(challenge.concepts.all(), key=attrgetter("pk")):
        workshop = concept.workshop
        url = reverse("workshops:detail", kwargs={"slug": workshop.slug})
        found.append(
            (Addresser(AddressedVia.CONCEPT, concept.name, url, workshop.title), "workshops.view_workshop", workshop)
        )
    return found


def addressed_by(challenge: Challenge, *, user=None) -> list[Addresser]:
    """What addresses `challenge` that `user` may see (None: anyone, e.g. the public activity log):
    the competitions offering it, then the concepts made for it, oldest first."""
    viewer = user if user is not None else AnonymousUser()
    return [addresser for addresser, perm, obj in _addressers(challenge) if viewer.has_perm(perm, obj)]


def addressed_by_unfiltered(challenge: Challenge) -> list[Addresser]:
    """Everything that addresses `challenge`, published or not: for the back office."""
    return [addresser for addresser, _perm, _obj in _addressers(challenge)]


def with_addressers(challenges: Iterable[Challenge], *, user) -> list[Challenge]:
    """The challenges, each with `.addressers` (what addresses it that `user` may see), for lists."""
    challenges = list(challenges)
    for challenge in challenges:
        challenge.addressers = addressed_by(challenge, user=user)
    return challenges


def interview_list(*, user, program: Program | None = None) -> QuerySet[Interview]:
    qs = (
        Interview.objects.filter(program__in=program_choices(user=user))
        .select_related("program", "institution", "component")
        .prefetch_related(Prefetch("challenges", queryset=Challenge.objects.only("id", "slug", "title", "status")))
    )
    if program is not None:
        qs = qs.filter(program=program)
    return qs.order_by("-date", "institution__name")


@dataclass(frozen=True)
class FilterChoices:
    programs: list[tuple[str, str]]
    owners: list[tuple[str, str]]
    statuses: list[tuple[str, str]]
    kinds: list[tuple[str, str]]


def challenge_filter_choices(*, user) -> FilterChoices:
    """Programs and owner institutions that have challenges this user can see, plus statuses and kinds."""
    visible = _visible_to(user)
    programs = (
        Program.objects.filter(challenges__in=visible.values("id"))
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )
    owners = (
        Organization.objects.filter(owned_challenges__in=visible.values("id"))
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )
    shown = set(visible_statuses(user))
    return FilterChoices(
        programs=list(programs),
        owners=list(owners),
        statuses=[(value, label) for value, label in Status.choices if value in shown],
        kinds=list(Challenge._meta.get_field("kind").choices),
    )


def program_choices(*, user) -> QuerySet[Program]:
    """Programs `user` may file a challenge or an interview under: the ones they can see."""
    return program_list_for(user).order_by("name")


def component_choices(*, user) -> QuerySet[Component]:
    return (
        Component.objects.filter(program__in=program_choices(user=user))
        .select_related("program")
        .order_by("program__name", "order")
    )


def organization_choices() -> QuerySet[Organization]:
    return Organization.objects.order_by("name")


def owner_choices(*, user) -> QuerySet[Organization]:
    """The institutions `user` may name as a challenge's owner (rule challenges.assign_owner)."""
    if is_manager(user):
        return organization_choices()
    return organization_choices().filter(pk=user.organization_id)


def interview_choices(*, user, program: Program | None = None) -> QuerySet[Interview]:
    qs = Interview.objects.filter(program__in=program_choices(user=user)).select_related("institution", "program")
    if program is not None:
        qs = qs.filter(program=program)
    return qs.order_by("-date", "institution__name")
