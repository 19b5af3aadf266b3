"""A GTFS feed checked before it is published: the zip's caps (zips.check), then the transit app's own reader,
which names missing required files (agency, stops, routes, trips, stop_times, and calendar or calendar_dates),
missing columns and broken references. Its errors refuse the feed; its warnings are kept with the version."""

from pathlib import Path

from mueve.datasets.incoming import zips
from mueve.datasets.incoming.errors import MAX_ERRORS, Refused, error


def _as_error(issue) -> dict:
    where = f"{issue.file}: " if issue.file else ""
    return error(f"{where}{issue.message}", row=issue.row, column=issue.field)


def check(path: Path) -> list[dict]:
    """Returns the feed's warnings; raises Refused with its errors."""
    from mueve.transit.gtfs import read_feed

    zips.check(path)
    feed = read_feed(path)
    errors = feed.errors
    if errors:
        raise Refused([_as_error(i) for i in errors[:MAX_ERRORS]], count=len(errors))
    return [_as_error(i) for i in feed.warnings[:MAX_ERRORS]]
