from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from mueve.accounts.models import User
from mueve.notifications import kinds
from mueve.notifications.models import Notification, Preference, PushSubscription


def enabled_channels_for(*, users: list[User], kind: str) -> dict[int, set[str]]:
    """Each person's channels for `kind`: their recorded choices over the kind's defaults."""
    default = set(kinds.KINDS[kind].default_channels)
    channels = {user.pk: set(default) for user in users}
    for user_id, channel, enabled in Preference.objects.filter(user_id__in=list(channels), kind=kind).values_list(
        "user_id", "channel", "enabled"
    ):
        (channels[user_id].add if enabled else channels[user_id].discard)(channel)
    return channels


@dataclass
class PreferenceRow:
    kind: str
    kind_label: str
    kind_help: str
    channel: str
    channel_label: str
    enabled: bool
    explicit: bool  # the person chose it (False: the default)
    updated_at: datetime | None


def preferences_for(*, user: User) -> list[PreferenceRow]:
    """Every (kind, channel) consent of a person, with its state and when they last changed it."""
    recorded = {(p.kind, p.channel): p for p in Preference.objects.filter(user=user)}
    rows = []
    for kind in kinds.KINDS.values():
        for channel, channel_label in kinds.CHANNELS.items():
            preference = recorded.get((kind.key, channel))
            rows.append(
                PreferenceRow(
                    kind=kind.key,
                    kind_label=str(kind.label),
                    kind_help=str(kind.help),
                    channel=channel,
                    channel_label=str(channel_label),
                    enabled=preference.enabled if preference else channel in kind.default_channels,
                    explicit=preference is not None,
                    updated_at=preference.updated_at if preference else None,
                )
            )
    return rows


def notifications_for(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, listed=True)


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, listed=True, read_at__isnull=True).count()


def push_subscriptions_for(*, user: User) -> QuerySet[PushSubscription]:
    """The person's browsers with push on, newest first."""
    return PushSubscription.objects.filter(user=user).order_by("-created_at", "-id")
