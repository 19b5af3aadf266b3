from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts.rules import is_manager, is_official
from mueve.challenges.models import (
    ADDRESSED_VIA_SHORT_LABELS,
    PUBLIC_STATUSES,
    AddressedVia,
    Challenge,
    Comment,
    CommentDecision,
    CommentReport,
    Follow,
    Interview,
    Status,
    StatusChange,
    Support,
)
from mueve.programs import selectors as program_selectors
from mueve.programs.models import Component, Program
from mueve.reports.selectors import public_name
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
    # A program that is not public is its managers' alone; officials see the internal statuses of the rest, in the
    # programmes where they act for their institution (rule challenges.view_challenge).
    managed = program_selectors.programs_managed_by(user)
    if managed is None:
        return _base()
    visible = Q(status__in=PUBLIC_STATUSES, program__is_public=True)
    if user is None or not user.is_authenticated:
        return _base().filter(visible)
    visible |= Q(program__in=managed.values("pk"))
    if is_official(user):
        reached = program_selectors.programs_reached_by(user)
        internal = Q(program__is_public=True)
        if reached is not None:
            internal &= Q(program__in=reached.values("pk"))
        visible |= internal
    return _base().filter(visible)


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
        managed = program_selectors.programs_managed_by(user)
        if managed is not None:
            competition &= Q(competitions__is_published=True) | Q(competitions__program__in=managed.values("pk"))
        matches = Q(title__icontains=text) | Q(description__icontains=text) | competition
        matches |= Q(concepts__name__icontains=text)
        qs = qs.filter(pk__in=Challenge.objects.filter(matches).values("pk"))
    return with_support_counts(qs.prefetch_related(*ADDRESSERS_PREFETCH)).order_by("-created_at", "-id")


def challenge_get_for(*, user, slug: str) -> Challenge:
    """One challenge with its status history (and its interviews); 404 when `user` may not see it."""
    challenge = (
        with_support_counts(_visible_to(user))
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
    if not (user is not None and user.has_perm("challenges.view_internal_challenges", challenge)):
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
    """Programs `user` may file a challenge or an interview under: those they manage, and, for an official, the
    public ones where they act for their institution."""
    programs = Program.objects.select_related("jurisdiction", "template").order_by("name")
    managed = program_selectors.programs_managed_by(user)
    if managed is None:
        return programs
    allowed = Q(pk__in=managed.values("pk"))
    if is_official(user):
        reached = program_selectors.programs_reached_by(user)
        public = Q(is_public=True) if reached is None else Q(is_public=True, pk__in=reached.values("pk"))
        allowed |= public
    return programs.filter(allowed)


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


# --- taking part: follows, supports, comments ----------------------------------------------------------------------


def public_challenge_get(*, slug: str) -> Challenge:
    """A public challenge of a public program, for anyone's follow, support or comment; else 404 (for everyone, so a
    hidden challenge answers as if it did not exist)."""
    challenge = challenge_public_list().filter(slug=slug).first()
    if challenge is None:
        raise Http404
    return challenge


def with_support_counts(qs: QuerySet[Challenge]) -> QuerySet[Challenge]:
    """Each challenge with `support_count` (a subquery: it stays right whatever the list joins)."""
    counts = Support.objects.filter(challenge=OuterRef("pk")).order_by().values("challenge").annotate(n=Count("*"))
    return qs.annotate(support_count=Coalesce(Subquery(counts.values("n")), 0))


def support_count(challenge: Challenge) -> int:
    counted = getattr(challenge, "support_count", None)
    return counted if counted is not None else Support.objects.filter(challenge=challenge).count()


@dataclass(frozen=True)
class Participation:
    """What the challenge's page shows and offers to `user` about taking part."""

    open: bool  # a public challenge of a public program
    signed_in: bool
    following: bool
    supporting: bool
    support_count: int
    can_moderate: bool


def participation_for(*, user, challenge: Challenge) -> Participation:
    signed_in = bool(user is not None and user.is_authenticated)
    open_ = (
        user.has_perm("challenges.view_challenge", challenge) and challenge.is_public and challenge.program.is_public
    )
    return Participation(
        open=open_,
        signed_in=signed_in,
        following=signed_in and Follow.objects.filter(challenge=challenge, user=user).exists(),
        supporting=signed_in and Support.objects.filter(challenge=challenge, user=user).exists(),
        support_count=support_count(challenge),
        can_moderate=signed_in and user.has_perm("challenges.moderate_comments", challenge),
    )


def comment_author_name(comment: Comment) -> str:
    """First name and initial, never the e-mail or the username; "Cuenta eliminada" once the account is gone."""
    if comment.author is None:
        return _("Cuenta eliminada")
    return public_name(comment.author)


def _is_team(user, challenge: Challenge) -> bool:
    return bool(user is not None and user.has_perm("challenges.moderate_comments", challenge))


def _decorated(comments, challenge: Challenge, *, reported: set[int] = frozenset()) -> list[Comment]:
    comments = list(comments)
    for comment in comments:
        comment.challenge = challenge
        comment.author_name = comment_author_name(comment)
        comment.by_team = comment.author is not None and _is_team(comment.author, challenge)
        comment.reported_by_me = comment.pk in reported
    return comments


def published_comments(*, challenge: Challenge) -> QuerySet[Comment]:
    return Comment.objects.filter(challenge=challenge, status=Comment.Status.PUBLISHED).select_related("author")


def comments_for(*, user, challenge: Challenge) -> list[Comment]:
    """The published comments, with the viewer's own held or hidden ones (only they see those), oldest first. Each
    carries `author_name`, `by_team`, `reported_by_me` and `in_review`."""
    visible = Q(status=Comment.Status.PUBLISHED)
    reported: set[int] = set()
    if user is not None and user.is_authenticated:
        visible |= Q(author=user)
        reported = set(
            CommentReport.objects.filter(reporter=user, comment__challenge=challenge).values_list(
                "comment_id", flat=True
            )
        )
    open_reports = CommentReport.objects.filter(comment=OuterRef("pk"), resolved=False)
    comments = (
        Comment.objects.filter(visible, challenge=challenge)
        .annotate(reported_open=Exists(open_reports))
        .select_related("author")
        .order_by("created_at", "id")
    )
    comments = _decorated(comments, challenge, reported=reported)
    for comment in comments:
        # Held, or hidden by abuse reports until a moderator decides (a moderator's "Ocultar" closes the reports).
        comment.in_review = comment.status == Comment.Status.PENDING or (
            comment.status == Comment.Status.HIDDEN and comment.reported_open
        )
    return comments


def comment_reportable_get(*, pk: int, challenge: Challenge) -> Comment:
    """A published comment of `challenge` (a public one), or 404."""
    comment = (
        Comment.objects.filter(pk=pk, challenge=challenge, status=Comment.Status.PUBLISHED)
        .select_related("author")
        .first()
    )
    if comment is None:
        raise Http404
    comment.challenge = challenge
    return comment


def _moderated_by(user) -> QuerySet[Challenge]:
    """The challenges whose comments `user` moderates (rule challenges.moderate_comments): those of the programmes
    they manage, and an official's institution's own in the programmes where they act for it."""
    managed = program_selectors.programs_managed_by(user)
    if managed is None:
        return Challenge.objects.all()
    moderated = Q(program__in=managed.values("pk"))
    if is_official(user) and user.organization_id:
        own = Q(owner_id=user.organization_id)
        reached = program_selectors.programs_reached_by(user)
        if reached is not None:
            own &= Q(program__in=reached.values("pk"))
        moderated |= own
    return Challenge.objects.filter(moderated)


def moderation_queue(*, user, limit: int = 100) -> list[Comment]:
    """Comments waiting for a moderator, oldest first: held ones, and any with open abuse reports (hidden
    automatically or not). Each carries `author_name`, `open_reports` (with their reasons) and `by_team`."""
    open_reports = Prefetch(
        "abuse_reports", queryset=CommentReport.objects.filter(resolved=False), to_attr="open_reports"
    )
    comments = list(
        Comment.objects.filter(challenge__in=_moderated_by(user))
        .filter(Q(status=Comment.Status.PENDING) | Q(abuse_reports__resolved=False))
        .distinct()
        .select_related("author", "challenge__program", "challenge__owner")
        .prefetch_related(open_reports)
        .order_by("created_at", "id")[:limit]
    )
    for comment in comments:
        comment.author_name = comment_author_name(comment)
    return comments


def moderation_comment_get(*, user, pk: int) -> Comment:
    """A comment `user` moderates, or 404."""
    comment = (
        Comment.objects.filter(pk=pk, challenge__in=_moderated_by(user))
        .select_related("challenge__program", "challenge__owner")
        .first()
    )
    if comment is None:
        raise Http404
    return comment


def moderation_decisions(*, user, limit: int = 20) -> QuerySet[CommentDecision]:
    return (
        CommentDecision.objects.filter(comment__challenge__in=_moderated_by(user))
        .select_related("actor", "comment__challenge")
        .order_by("-created_at", "-id")[:limit]
    )


def followed_challenges(*, user) -> QuerySet[Challenge]:
    """The challenges `user` follows that are still public, most recently followed first."""
    return challenge_public_list().filter(follows__user=user).order_by("-follows__created_at", "-id")


def participation_own_data(*, user) -> dict[str, list[dict]]:
    """What this app holds about `user` as a participant (the members app's data download)."""

    def iso(moment) -> str:
        return timezone.localtime(moment).isoformat(timespec="seconds")

    def link(challenge: Challenge) -> str:
        return settings.MUEVE_SITE_URL.rstrip("/") + reverse("challenges:detail", kwargs={"slug": challenge.slug})

    return {
        "challenges_followed": [
            {"challenge": f.challenge.title, "url": link(f.challenge), "since": iso(f.created_at)}
            for f in Follow.objects.filter(user=user).select_related("challenge").order_by("created_at", "id")
        ],
        "challenges_supported": [
            {"challenge": s.challenge.title, "url": link(s.challenge), "at": iso(s.created_at)}
            for s in Support.objects.filter(user=user).select_related("challenge").order_by("created_at", "id")
        ],
        "challenge_comments": [
            {
                "challenge": c.challenge.title,
                "url": link(c.challenge),
                "at": iso(c.created_at),
                "text": c.text,
                "status": c.status,
                "status_label": str(c.get_status_display()),
            }
            for c in Comment.objects.filter(author=user).select_related("challenge").order_by("created_at", "id")
        ],
        "comment_abuse_reports": [
            {
                "challenge": r.comment.challenge.title,
                "comment": r.comment.text,
                "reason": r.reason,
                "at": iso(r.created_at),
            }
            for r in CommentReport.objects.filter(reporter=user)
            .select_related("comment__challenge")
            .order_by("created_at", "id")
        ],
    }
