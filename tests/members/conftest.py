"""The real SMTP server fixture (tests/mail.py) for this directory's e-mail tests."""

from tests.mail import smtp_server  # noqa: F401
