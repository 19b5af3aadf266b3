"""A real SMTP server for the e-mail tests (aiosmtpd), with Django's SMTP backend pointed at it.

Use the fixture by importing it into a test module: `from tests.mail import smtp_server  # noqa: F401`."""

import email
import email.policy
import re
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://[^\s]+")


class Inbox:
    """What the SMTP server received: each message parsed, with its envelope recipients."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self._changed = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self._changed:
            self.messages.append(message)
            self._changed.notify_all()
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if address.lower() in m["X-Envelope-To"].lower()]

    def wait_for(self, address: str, count: int = 1, within: float = 15.0) -> list[email.message.EmailMessage]:
        """The messages to `address` once there are `count` of them (fails if they never come)."""
        deadline = time.monotonic() + within
        with self._changed:
            while len(self.to(address)) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{count} message(s) to {address} never arrived; got {self.summary()}")
                self._changed.wait(left)
        return self.to(address)

    def summary(self) -> list[tuple[str, str]]:
        return [(m["X-Envelope-To"], str(m["Subject"])) for m in self.messages]


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def links(message) -> list[str]:
    return LINK.findall(body(message))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.MUEVE_NOTIFICATIONS_DELIVERY = "inline"
    yield inbox
    controller.stop()
