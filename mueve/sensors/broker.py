"""The MQTT broker's credentials and ACLs, generated from the device registry (Mosquitto's own file formats).

Each device connects with its uid as the username and its secret as the password, and may publish only on its
own topic, `mueve/<jurisdiction>/<uid>/attrs`; the platform's subscriber reads `mueve/#`. Nothing else is allowed
(no anonymous clients). Revoking a device rewrites the files and asks the broker to reload them (SIGHUP to the pid
in MUEVE_MQTT_BROKER_PID_FILE): Mosquitto then refuses the device's next connection and drops what it publishes.
The ingest also refuses a revoked device's readings, so the cut-off holds even before the broker reloads.
"""

import base64
import hashlib
import logging
import os
import pwd
import secrets
import signal
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)
PBKDF2_ITERATIONS = 101  # mosquitto_passwd's default for its $7$ (PBKDF2-SHA512) lines


def broker_hash(password: str, *, salt: bytes | None = None, iterations: int = PBKDF2_ITERATIONS) -> str:
    """The password-file hash Mosquitto 2 checks: $7$<iterations>$<salt>$<PBKDF2-SHA512>, both base64."""
    salt = salt or secrets.token_bytes(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, iterations, 64)
    return f"$7${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def platform_credentials() -> tuple[str, str]:
    """The subscriber's own user: MUEVE_MQTT_USERNAME / MUEVE_MQTT_PASSWORD, or a secret generated once into
    the data directory."""
    username = getattr(settings, "MUEVE_MQTT_USERNAME", "") or "mueve-platform"
    password = getattr(settings, "MUEVE_MQTT_PASSWORD", "")
    if not password:
        path = Path(settings.DATA_DIR) / "mqtt_platform_secret"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(24))
            path.chmod(0o600)
        password = path.read_text().strip()
    return username, password


def password_lines() -> list[str]:
    from mueve.sensors.models import Device

    username, password = platform_credentials()
    lines = [f"{username}:{broker_hash(password)}"]
    for uid, hashed in Device.objects.filter(status=Device.Status.ACTIVE).values_list("uid", "broker_hash"):
        lines.append(f"{uid}:{hashed}")
    return lines


def acl_lines() -> list[str]:
    from mueve.sensors.models import Device

    username, _password = platform_credentials()
    lines = [f"user {username}", "topic read mueve/#", ""]
    for uid, jurisdiction in Device.objects.filter(status=Device.Status.ACTIVE).values_list(
        "uid", "jurisdiction__slug"
    ):
        lines += [f"user {uid}", f"topic write mueve/{jurisdiction}/{uid}/attrs", ""]
    return lines


def write_files(directory: Path, *, port: int = 1883, persistence: bool = True) -> Path:
    """Writes passwords, acl and mosquitto.conf into `directory` (atomically, each file) and returns the conf."""
    directory.mkdir(parents=True, exist_ok=True)
    _write(directory / "passwords", "\n".join(password_lines()) + "\n")
    _write(directory / "acl", "\n".join(acl_lines()) + "\n")
    conf = directory / "mosquitto.conf"
    body = [
        # Run as whoever runs it (as root, Mosquitto would otherwise switch to its own user, who cannot read these
        # files or write the persistence next to them).
        f"user {pwd.getpwuid(os.geteuid()).pw_name}",
        f"listener {port} 127.0.0.1",
        "allow_anonymous false",
        f"password_file {directory / 'passwords'}",
        f"acl_file {directory / 'acl'}",
        f"pid_file {directory / 'mosquitto.pid'}",
        "max_queued_messages 100000",
    ]
    if persistence:
        body += ["persistence true", f"persistence_location {directory}/", "autosave_interval 1"]
    _write(conf, "\n".join(body) + "\n")
    return conf


def _write(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    tmp.chmod(0o600)
    os.replace(tmp, path)


def refresh() -> bool:
    """After a device is provisioned or revoked: rewrites the files in MUEVE_MQTT_CONFIG_DIR and reloads the
    broker. False when no broker is managed by this platform (the embedded default: HTTP ingest only)."""
    directory = getattr(settings, "MUEVE_MQTT_CONFIG_DIR", "")
    if not directory:
        return False
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _write(directory / "passwords", "\n".join(password_lines()) + "\n")
        _write(directory / "acl", "\n".join(acl_lines()) + "\n")
    except OSError:
        log.exception("could not write the broker's files in %s", directory)
        return False
    pid_file = directory / "mosquitto.pid"
    if pid_file.exists():
        try:
            os.kill(int(pid_file.read_text().strip()), signal.SIGHUP)
        except (ValueError, ProcessLookupError, PermissionError):
            return False
    return True
