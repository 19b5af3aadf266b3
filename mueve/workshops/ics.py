"""iCalendar (RFC 5545) for a workshop: CRLF line ends, TEXT escaping, 75-octet folding, UTC times."""

from datetime import UTC, datetime

from mueve.workshops.models import Workshop


def escape_text(value: str) -> str:
    """RFC 5545 §3.3.11: backslash, semicolon, comma and newlines are escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF + one space (never splitting UTF-8)."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with a space
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def workshop_ics(workshop: Workshop, *, url: str = "", now: datetime | None = None) -> str:
    if workshop.starts_at is None:
        raise ValueError("workshop has no date")
    now = now or datetime.now(UTC)
    location = ", ".join(
        part
        for part in (workshop.venue_organization.name if workshop.venue_organization else "", workshop.venue_address)
        if part
    )
    description = workshop.agenda
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Mueve//Talleres//ES",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:workshop-{workshop.pk}@mueve",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(workshop.starts_at)}",
    ]
    if workshop.ends_at:
        lines.append(f"DTEND:{_utc(workshop.ends_at)}")
    lines.append(f"SUMMARY:{escape_text(workshop.title)}")
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if url:
        lines.append(f"URL:{url}")
    lines.append("STATUS:CANCELLED" if workshop.status == "cancelled" else "STATUS:CONFIRMED")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
