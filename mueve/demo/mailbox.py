"""The demo's mailbox: the messages Django's file e-mail backend wrote (one file per connection, messages separated
by a line of 79 dashes), read back as text."""

import email
import email.policy
from dataclasses import dataclass
from pathlib import Path

SEPARATOR = "\n" + "-" * 79 + "\n"


@dataclass
class Message:
    subject: str
    sender: str
    to: str
    date: str
    body: str
    file: str


def _body(message) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        return part.get_content()
    except (LookupError, UnicodeDecodeError):
        return part.get_payload(decode=True).decode("utf-8", "replace")


def messages(directory: str | Path, *, limit: int = 50) -> list[Message]:
    """The newest `limit` messages, newest first."""
    folder = Path(directory)
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True)
    found: list[Message] = []
    for path in files:
        chunks = [c for c in path.read_text(encoding="utf-8", errors="replace").split(SEPARATOR) if c.strip()]
        for chunk in reversed(chunks):
            parsed = email.message_from_string(chunk.lstrip("\n"), policy=email.policy.default)
            found.append(
                Message(
                    subject=str(parsed.get("Subject", "")),
                    sender=str(parsed.get("From", "")),
                    to=str(parsed.get("To", "")),
                    date=str(parsed.get("Date", "")),
                    body=_body(parsed),
                    file=path.name,
                )
            )
            if len(found) >= limit:
                return found
    return found
