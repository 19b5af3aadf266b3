"""Tunables of the live stream, read from settings with embedded defaults (MUEVE_REALTIME_* in settings)."""

import os

from django.conf import settings


def _setting(name: str, default):
    # Settings first; the MUEVE_* environment variable of the same name is the fallback, so a server
    # process can be tuned (e.g. a short keep-alive in tests) without a settings change.
    return getattr(settings, name, None) or os.environ.get(name) or default


def retention_hours() -> float:
    return float(_setting("MUEVE_REALTIME_RETENTION_HOURS", 24))


def max_events() -> int:
    """Rows kept at most; older ones are pruned (a client that missed them gets a `reset`)."""
    return int(_setting("MUEVE_REALTIME_MAX_EVENTS", 200_000))


def max_replay() -> int:
    """A reconnecting client that missed more events than this reloads its state instead of replaying."""
    return int(_setting("MUEVE_REALTIME_MAX_REPLAY", 5_000))


def keepalive_seconds() -> float:
    return float(_setting("MUEVE_REALTIME_KEEPALIVE", 15))


def poll_seconds() -> float:
    """How often a process re-reads the log even without a wake-up (a lost Redis message, other workers)."""
    return float(_setting("MUEVE_REALTIME_POLL", 2))


def redis_url() -> str:
    return getattr(settings, "REDIS_URL", "") or ""


def redis_channel() -> str:
    # One channel per database: processes that share the log share wake-ups, other deployments
    # (or test databases) on the same Redis never wake each other.
    name = str(settings.DATABASES["default"]["NAME"]).replace("/", ":")
    return _setting("MUEVE_REALTIME_CHANNEL", "") or f"mueve:realtime:{name}"
