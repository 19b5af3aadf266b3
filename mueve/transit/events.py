"""What the transit app publishes through mueve.core.events: each event's name and payload, in one place."""

from mueve.transit.models import Feed

FEED_IMPORTED = "transit.feed_imported"


def feed_imported(*, feed: Feed, counts: dict[str, int]) -> dict:
    return {"feed": feed.slug, "version": feed.version, "counts": counts}
