"""What the platform holds about one person, gathered from every app (the profile page and the data download)."""

from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mueve.accounts.models import User
from mueve.api import selectors as api_selectors
from mueve.challenges import selectors as challenge_selectors
from mueve.competitions.models import Participant
from mueve.members.models import MemberSettings
from mueve.neighbourhood.models import RewardGrant
from mueve.notifications import selectors as notification_selectors
from mueve.notifications.models import Notification
from mueve.reports.models import Adoption, Report, ReportStatusChange, RewardPoint
from mueve.workshops.models import Registration


def settings_for(*, user: User) -> MemberSettings:
    return MemberSettings.objects.filter(user=user).first() or MemberSettings(user=user)


def my_reports(*, user: User):
    return Report.objects.filter(reporter=user).select_related("service", "incident").order_by("-requested_datetime")


def my_workshops(*, user: User):
    return (
        Registration.objects.filter(user=user)
        .select_related("workshop", "workshop__program")
        .order_by("-workshop__starts_at", "-id")
    )


def my_teams(*, user: User):
    return (
        Participant.objects.filter(user=user)
        .select_related("competition", "team")
        .order_by("-competition__created_at", "-id")
    )


def reports_with_email(*, user: User):
    """The person's reports that still carry an e-mail address for updates (a consent they can withdraw)."""
    return my_reports(user=user).exclude(email="")


@dataclass
class Overview:
    reports: list
    workshops: list
    teams: list
    adoptions: list
    points: int
    unread: int
    followed_challenges: list


def overview(*, user: User) -> Overview:
    return Overview(
        reports=list(my_reports(user=user)[:50]),
        workshops=list(my_workshops(user=user)[:50]),
        teams=list(my_teams(user=user)[:50]),
        adoptions=list(Adoption.objects.filter(user=user).select_related("asset")[:50]),
        points=sum(RewardPoint.objects.filter(user=user).values_list("points", flat=True)),
        unread=notification_selectors.unread_count(user=user),
        followed_challenges=list(challenge_selectors.followed_challenges(user=user)[:50]),
    )


def _iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def own_data(*, user: User) -> dict[str, Any]:
    """Everything the platform holds about the person, as JSON-ready data (right of access and portability)."""
    site = settings.MUEVE_SITE_URL.rstrip("/")
    member = settings_for(user=user)
    reports = []
    for report in my_reports(user=user).prefetch_related("photos"):
        reports.append(
            {
                "public_id": report.public_id,
                "tracking_url": site + reverse("reports:track", args=[report.token]),
                "service": report.service.name,
                "description": report.description,
                "address": report.address_string,
                "lat": report.lat,
                "lon": report.lon,
                "requested_at": _iso(report.requested_datetime),
                "status": report.status,
                "status_notes": report.status_notes,
                "contact": {
                    "first_name": report.first_name,
                    "last_name": report.last_name,
                    "email": report.email,
                    "phone": report.phone,
                    "device_id": report.device_id,
                },
                "photos": [
                    {"uploaded_at": _iso(photo.created_at), "width": photo.width, "height": photo.height}
                    for photo in report.photos.all()
                ],
                "history": [
                    {"at": _iso(change.changed_at), "to": change.to_value, "notes": change.notes}
                    for change in ReportStatusChange.objects.filter(report=report, public=True)
                ],
            }
        )
    return {
        "generated_at": _iso(timezone.now()),
        "account": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "phone": user.phone,
            "role": user.role,
            "organization": user.organization.name if user.organization_id else None,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user)
        ],
        "consents": {
            "notifications": [
                {
                    "kind": row.kind,
                    "kind_label": row.kind_label,
                    "channel": row.channel,
                    "channel_label": row.channel_label,
                    "enabled": row.enabled,
                    "chosen_by_you": row.explicit,
                    "changed_at": _iso(row.updated_at),
                }
                for row in notification_selectors.preferences_for(user=user)
            ],
            "public_ranking_opt_out": member.public_ranking_opt_out,
            "public_alias": member.public_alias,
            "report_updates_by_email": [r.public_id for r in reports_with_email(user=user)],
        },
        "reports": reports,
        "workshops": [
            {
                "workshop": registration.workshop.title,
                "name_registered": registration.full_name,
                "role": registration.role,
                "status": registration.status,
                "status_label": str(registration.get_status_display()),
                "registered_at": _iso(registration.created_at),
                "attended": registration.attended,
            }
            for registration in my_workshops(user=user)
        ],
        "competitions": [
            {
                "competition": participant.competition.name,
                "team": participant.team.name if participant.team_id else None,
            }
            for participant in my_teams(user=user)
        ],
        "adoptions": [
            {
                "asset": adoption.asset.code,
                "adopted_at": _iso(adoption.created_at),
                "name": adoption.given_name.name if hasattr(adoption, "given_name") else "",
            }
            for adoption in Adoption.objects.filter(user=user).select_related("asset", "given_name")
        ],
        "rewards_received": [
            {"reward": grant.reward.name, "granted_on": grant.granted_on.isoformat(), "note": grant.note}
            for grant in RewardGrant.objects.filter(user=user).select_related("reward")
        ],
        "reward_points": [
            {"points": point.points, "reason": point.reason, "report": point.report.public_id}
            for point in RewardPoint.objects.filter(user=user).select_related("report")
        ],
        # Follows, supports, comments and abuse reports on public challenges.
        **challenge_selectors.participation_own_data(user=user),
        "notifications": [
            {"at": _iso(n.created_at), "title": n.title, "body": n.body, "read": n.read_at is not None}
            for n in Notification.objects.filter(user=user)
        ],
        # The browsers where the person turned push on: the address of each one's push service and the keys it gave.
        "push_subscriptions": [
            {
                "browser": subscription.user_agent,
                "push_service": subscription.endpoint_host,
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                "created_at": _iso(subscription.created_at),
                "last_success_at": _iso(subscription.last_success_at),
                "failures": subscription.failures,
            }
            for subscription in notification_selectors.push_subscriptions_for(user=user)
        ],
        "api_keys": [
            {
                "application": api_key.application.name,
                "name": api_key.name,
                "prefix": api_key.prefix,
                "status": api_key.status,
                "created_at": _iso(api_key.created_at),
                "last_used_at": _iso(api_key.last_used_at),
            }
            for api_key in api_selectors.keys_of(user=user)
        ],
    }
