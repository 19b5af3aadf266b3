"""Citizens taking part in public challenges: follow, support (once per account), comment (moderated), report a
comment as abusive; moderators publish or hide comments; followers hear about changes.

Decisions worth knowing:
- Only public challenges of public programs take part (rules: `challenges.*_challenge`). Leaving is always allowed.
- A comment shows at once unless it needs a look first: its author has no confirmed e-mail address, it carries a
  link, or it repeats one of the author's earlier comments. Held comments ("pendiente") are shown to their author
  only, until a moderator publishes them. The team of the challenge (who may moderate it) publishes at once.
- A published comment that REPORTS_TO_HIDE different people reported is hidden automatically until a moderator
  decides; each decision (who, when; no one for the automatic one) is kept and closes the open reports.
- Followers hear (notification kind "challenge_update") when the challenge moves to a public status and when the
  challenge's team publishes a comment on it. A move back into internal review is not told: it is no longer public.
"""

import re

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mueve.accounts.models import User
from mueve.challenges import events
from mueve.challenges.models import (
    PUBLIC_STATUSES,
    Challenge,
    Comment,
    CommentDecision,
    CommentReport,
    Follow,
    Status,
    StatusChange,
    Support,
)
from mueve.core import ratelimit
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.core.text import fold, too_long
from mueve.notifications import kinds
from mueve.notifications import services as notifications
from mueve.reports.selectors import public_name

COMMENT_MAX = 2000
REASON_MAX = CommentReport._meta.get_field("reason").max_length
REPORTS_TO_HIDE = 3
# How many of the author's latest comments a new one is compared with.
REPEAT_WINDOW = 50
COMMENT_RATE_PREFIX = "challenge-comments:"
# http://, https://, www., a domain with a path ("ejemplo.com/oferta") and a bare domain of a common top level.
LINK = re.compile(
    r"(?i)\b(?:https?://|www\.)"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/\S"
    r"|\b[a-z0-9-]+\.(?:com|net|org|cl|info|biz|io|ly|me|xyz|ru|top|site|online|shop|link|click)\b"
)
NOTICE_BODY_MAX = 300


def _signed_in(user) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied


# --- follow ------------------------------------------------------------------------------------------------------


@transaction.atomic
def challenge_follow(*, user: User, challenge: Challenge) -> Follow:
    """Following twice keeps the first follow (the button may be pressed twice)."""
    ensure_perm(user, "challenges.follow_challenge", challenge)
    follow, _created = Follow.objects.get_or_create(challenge=challenge, user=user)
    return follow


@transaction.atomic
def challenge_unfollow(*, user: User, challenge: Challenge) -> bool:
    """True when there was a follow to end."""
    _signed_in(user)
    deleted, _details = Follow.objects.filter(challenge=challenge, user=user).delete()
    return bool(deleted)


# --- support -----------------------------------------------------------------------------------------------------


def already_supported_message() -> str:
    return _("Usted ya apoya este desafío: cada cuenta lo apoya una sola vez.")


@transaction.atomic
def challenge_support(*, user: User, challenge: Challenge) -> Support:
    """One support per account: a second one is refused (ValidationError on `support`) and stores nothing."""
    ensure_perm(user, "challenges.support_challenge", challenge)
    if Support.objects.filter(challenge=challenge, user=user).exists():
        raise ValidationError({"support": [already_supported_message()]}, code="duplicate")
    try:
        with transaction.atomic():
            return Support.objects.create(challenge=challenge, user=user)
    except IntegrityError:
        # Two clicks racing: the constraint kept the count honest.
        raise ValidationError({"support": [already_supported_message()]}, code="duplicate") from None


@transaction.atomic
def challenge_support_withdraw(*, user: User, challenge: Challenge) -> None:
    _signed_in(user)
    deleted, _details = Support.objects.filter(challenge=challenge, user=user).delete()
    if not deleted:
        raise ValidationError({"support": [_("Usted no apoya este desafío.")]}, code="missing")


# --- comments ----------------------------------------------------------------------------------------------------


def clean_comment_text(text: str) -> str:
    """The text as stored, or ValidationError on `text` (empty, too long)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Escriba su comentario.")]})
    if len(text) > COMMENT_MAX:
        raise ValidationError({"text": [too_long(COMMENT_MAX, len(text))]})
    return text


def rate_limited_message(retry_after: int) -> str:
    minutes = max(1, -(-retry_after // 60))
    return ngettext(
        "Envió muchos comentarios seguidos. Podrá comentar de nuevo en %(n)s minuto.",
        "Envió muchos comentarios seguidos. Podrá comentar de nuevo en %(n)s minutos.",
        minutes,
    ) % {"n": minutes}


def _count_comment(user: User) -> None:
    rate = ratelimit.parse_rate(settings.MUEVE_CHALLENGE_COMMENTS_RATE, setting="MUEVE_CHALLENGE_COMMENTS_RATE")
    ratelimit.hit((f"user:{user.pk}", rate), prefix=COMMENT_RATE_PREFIX)


def hold_reason(*, author: User, challenge: Challenge, text: str) -> str:
    """Why the comment waits for a moderator (a Comment.HoldReason), or "" to publish it at once."""
    if author.has_perm("challenges.moderate_comments", challenge):
        return Comment.HoldReason.NONE
    if not EmailAddress.objects.filter(user=author, verified=True).exists():
        return Comment.HoldReason.UNVERIFIED
    if LINK.search(text):
        return Comment.HoldReason.LINKS
    key = fold(text)
    earlier = Comment.objects.filter(author=author).order_by("-id").values_list("text", flat=True)[:REPEAT_WINDOW]
    if key and any(fold(other) == key for other in earlier):
        return Comment.HoldReason.REPEATED
    return Comment.HoldReason.NONE


@transaction.atomic
def comment_create(*, author: User, challenge: Challenge, text: str) -> Comment:
    """A comment on a public challenge, published or held for moderation (see the module's docstring). Bad text is a
    ValidationError on `text`; past the author's rate limit, ratelimit.RateLimited. Nothing is stored then."""
    ensure_perm(author, "challenges.comment_challenge", challenge)
    text = clean_comment_text(text)
    reason = hold_reason(author=author, challenge=challenge, text=text)
    _count_comment(author)  # last before writing: refused text does not use up the allowance
    comment = Comment.objects.create(
        challenge=challenge,
        author=author,
        text=text,
        status=Comment.Status.PENDING if reason else Comment.Status.PUBLISHED,
        hold_reason=reason,
    )
    if comment.status == Comment.Status.PUBLISHED:
        publish(events.COMMENT_PUBLISHED, events.comment_published_payload(comment))
    return comment


@transaction.atomic
def comment_report(*, reporter: User, comment: Comment, reason: str = "") -> CommentReport:
    """One report per person and comment. The REPORTS_TO_HIDE-th open report hides the comment until a moderator
    decides."""
    ensure_perm(reporter, "challenges.report_comment", comment)
    reason = " ".join((reason or "").split())
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [too_long(REASON_MAX, len(reason))]})
    # Lock the comment so that simultaneous reports count each other.
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    already = ValidationError({"comment": [_("Usted ya denunció este comentario. Gracias por avisar.")]})
    if CommentReport.objects.filter(comment=comment, reporter=reporter).exists():
        raise already
    try:
        with transaction.atomic():
            report = CommentReport.objects.create(comment=comment, reporter=reporter, reason=reason)
    except IntegrityError:
        raise already from None
    open_reports = CommentReport.objects.filter(comment=comment, resolved=False).count()
    if open_reports >= REPORTS_TO_HIDE and comment.status == Comment.Status.PUBLISHED:
        comment.status = Comment.Status.HIDDEN
        comment.hold_reason = Comment.HoldReason.REPORTS
        comment.save(update_fields=["status", "hold_reason"])
        CommentDecision.objects.create(comment=comment, action=CommentDecision.Action.HIDE, actor=None)
    return report


@transaction.atomic
def comment_moderate(*, actor: User, comment: Comment, action: str) -> Comment:
    """Publishes or hides a comment (a CommentDecision.Action), closes its open reports and records who and when."""
    ensure_perm(actor, "challenges.moderate_comments", comment.challenge)
    if action not in CommentDecision.Action.values:
        raise ValidationError({"action": [_("Acción desconocida: use «publicar» u «ocultar».")]})
    comment = Comment.objects.select_for_update().select_related("challenge__program").get(pk=comment.pk)
    before = comment.status
    after = Comment.Status.PUBLISHED if action == CommentDecision.Action.PUBLISH else Comment.Status.HIDDEN
    open_reports = CommentReport.objects.filter(comment=comment, resolved=False)
    if before == after and not open_reports.exists():
        raise ValidationError(
            {"comment": [_("Este comentario ya está «%(status)s».") % {"status": Comment.Status(after).label}]}
        )
    comment.status = after
    comment.save(update_fields=["status"])
    open_reports.update(resolved=True)
    CommentDecision.objects.create(comment=comment, action=action, actor=actor)
    if before == Comment.Status.PENDING and after == Comment.Status.PUBLISHED:
        publish(events.COMMENT_PUBLISHED, events.comment_published_payload(comment))
    return comment


# --- what followers hear -----------------------------------------------------------------------------------------


def _site_url(challenge: Challenge) -> str:
    return settings.MUEVE_SITE_URL.rstrip("/") + reverse("challenges:detail", kwargs={"slug": challenge.slug})


def _followers(challenge: Challenge, *, besides: int | None = None) -> list[User]:
    follows = Follow.objects.filter(challenge=challenge, user__is_active=True).select_related("user")
    if besides is not None:
        follows = follows.exclude(user_id=besides)
    return [follow.user for follow in follows]


def followers_notify_status(*, challenge_id: int, to_status: str) -> int:
    """Each follower hears that the challenge moved to a public status (with the change's note, which the page
    shows too). Returns how many notices were made."""
    challenge = Challenge.objects.select_related("program").filter(pk=challenge_id).first()
    if challenge is None or to_status not in PUBLIC_STATUSES or not challenge.program.is_public:
        return 0
    followers = _followers(challenge)
    if not followers:
        return 0
    change = (
        StatusChange.objects.filter(challenge=challenge, to_status=to_status).order_by("-created_at", "-id").first()
    )
    note = change.note if change else ""
    label = Status(to_status).label
    body = _("El desafío «%(title)s» ahora está «%(status)s».") % {"title": challenge.title, "status": label}
    if note:
        body = f"{body}\n\n{note}"
    made = notifications.notify_many(
        users=followers,
        kind=kinds.CHALLENGE_UPDATE,
        context={
            "title": _("Pasó a «%(status)s»: %(title)s") % {"status": label, "title": challenge.title},
            "body": body,
            "url": _site_url(challenge),
        },
        ref=f"challenge-change:{change.pk}" if change else "",
    )
    return len(made)


def followers_notify_comment(*, comment_id: int) -> int:
    """When the challenge's team (who may moderate it) publishes a comment, each other follower hears of it."""
    comment = (
        Comment.objects.select_related("challenge__program", "author")
        .filter(pk=comment_id, status=Comment.Status.PUBLISHED)
        .first()
    )
    if comment is None or comment.author is None or not comment.challenge.program.is_public:
        return 0
    challenge = comment.challenge
    if challenge.status not in PUBLIC_STATUSES or not comment.author.has_perm(
        "challenges.moderate_comments", challenge
    ):
        return 0
    followers = _followers(challenge, besides=comment.author_id)
    if not followers:
        return 0
    text = comment.text if len(comment.text) <= NOTICE_BODY_MAX else comment.text[: NOTICE_BODY_MAX - 1] + "…"
    made = notifications.notify_many(
        users=followers,
        kind=kinds.CHALLENGE_UPDATE,
        context={
            "title": _("El equipo comentó en «%(title)s»") % {"title": challenge.title},
            "body": f"{public_name(comment.author)}: {text}",
            "url": _site_url(challenge) + "#comentarios",
        },
        ref=f"challenge-comment:{comment.pk}",
    )
    return len(made)


# --- the person's own data -----------------------------------------------------------------------------------------


@transaction.atomic
def participant_data_erase(*, user: User) -> None:
    """The account is being deleted: its comments stay without its name ("Cuenta eliminada"); its follows, supports
    (the counts drop) and abuse reports go."""
    Comment.objects.filter(author=user).update(author=None)
    Follow.objects.filter(user=user).delete()
    Support.objects.filter(user=user).delete()
    CommentReport.objects.filter(reporter=user).delete()
