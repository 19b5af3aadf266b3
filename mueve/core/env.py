"""Reading MUEVE_* environment variables into Django settings values."""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "si", "sí"}


def env_int(name: str, default: int, *, minimum: int = 1) -> int:
    """An integer setting; a value that is not one, or below `minimum`, stops the process with the variable named."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a whole number") from None
    if number < minimum:
        raise ValueError(f"{name}: {number} is below the minimum, {minimum}")
    return number


def request_threads() -> int:
    """Threads per server process for the synchronous part of requests (MUEVE_REQUEST_THREADS; mueve.core.asgi)."""
    return env_int("MUEVE_REQUEST_THREADS", 8)


def map_tiles() -> tuple[str, str]:
    """The base map's tile URL template and its attribution (MUEVE_TILE_URL, MUEVE_TILE_ATTRIBUTION).

    An empty URL means a closed network: no tiles at all, maps draw only Mueve's own vector base layer. The
    older names MUEVE_MAP_TILES_URL / MUEVE_MAP_ATTRIBUTION are still read, so existing deployments keep working."""
    url = os.environ.get("MUEVE_TILE_URL", os.environ.get("MUEVE_MAP_TILES_URL", OSM_TILES))
    attribution = os.environ.get("MUEVE_TILE_ATTRIBUTION", os.environ.get("MUEVE_MAP_ATTRIBUTION", ""))
    if not attribution and url == OSM_TILES:
        attribution = "© OpenStreetMap"
    return url.strip(), attribution.strip()


OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str | None, sqlite_path: Path) -> dict:
    """A Django DATABASES entry: PostgreSQL from a postgres:// URL, else SQLite in WAL mode."""
    if not url:
        return {
            # Django's SQLite backend with a small pool of open connections (see mueve/core/sqlite/base.py).
            "ENGINE": "mueve.core.sqlite",
            "NAME": str(sqlite_path),
            "OPTIONS": {
                # WAL lets readers proceed while one writer commits; IMMEDIATE avoids
                # "database is locked" on lock upgrades under concurrent writers. The intake worker checkpoints the
                # WAL in the background (mueve.core.sqlite.checkpoint): a commit that checkpoints itself waits for
                # the disk's fsync while holding the write lock. SQLite's own checkpoint at 10,000 pages (~40 MB)
                # stays as the safety net for processes without a worker (management commands).
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
                    "PRAGMA wal_autocheckpoint=10000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    parts = urlsplit(url)
    if parts.scheme in {"sqlite", "sqlite3"}:
        path = unquote(parts.path)
        return database_from_url(None, Path(path[1:] if path.startswith("//") else path))
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ValueError(f"MUEVE_DATABASE_URL: unsupported scheme {parts.scheme!r} (use postgres:// or sqlite://)")
    options = dict(parse_qsl(parts.query))
    # Connections are closed after each request by default; ?pool=true (psycopg_pool) reuses them instead. The pool
    # keeps 4 open and grows to the server process's request threads (MUEVE_REQUEST_THREADS, see mueve.core.asgi)
    # plus 8 for the streams' readers and the intake: with psycopg's default of 4 they queued for a connection
    # (bench/live.py, PostgreSQL: p99 213-271 ms in three runs, 215-443 ms in four with 4).
    pool = options.pop("pool", "").lower() in {"1", "true", "yes", "on"}
    if pool:
        options["pool"] = {"min_size": 4, "max_size": request_threads() + 8}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "mueve",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 0 if pool else int(options.pop("conn_max_age", "0")),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": options,
    }


def email_from_env(*, demo: bool, data_dir: Path) -> dict:
    """Django's e-mail settings from MUEVE_EMAIL_URL, or else MUEVE_SMTP_HOST/PORT/USER/PASSWORD/TLS.

    MUEVE_EMAIL_URL: smtp://user:password@host:port (STARTTLS with ?tls=1), smtps://... (implicit TLS),
    file:///directory, console:// or locmem://. Without either: in demo mode, files under the data directory (the
    demo's mailbox page reads them); otherwise the console. MUEVE_EMAIL_BACKEND still overrides the backend."""
    url = os.environ.get("MUEVE_EMAIL_URL", "").strip()
    host = os.environ.get("MUEVE_SMTP_HOST", "").strip()
    config: dict = {}
    if url:
        parts = urlsplit(url)
        options = dict(parse_qsl(parts.query))
        if parts.scheme in {"smtp", "smtps", "submission"}:
            config.update(
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST=parts.hostname or "localhost",
                EMAIL_PORT=parts.port
                or (465 if parts.scheme == "smtps" else 587 if parts.scheme == "submission" else 25),
                EMAIL_HOST_USER=unquote(parts.username or ""),
                EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
                EMAIL_USE_SSL=parts.scheme == "smtps",
                EMAIL_USE_TLS=parts.scheme != "smtps"
                and (parts.scheme == "submission" or options.get("tls", "").lower() in {"1", "true", "yes", "on"}),
            )
        elif parts.scheme == "file":
            config.update(
                EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
                EMAIL_FILE_PATH=unquote(parts.path) or str(data_dir / "mail"),
            )
        elif parts.scheme in {"console", "locmem", "dummy"}:
            config["EMAIL_BACKEND"] = f"django.core.mail.backends.{parts.scheme}.EmailBackend"
        else:
            raise ValueError(f"MUEVE_EMAIL_URL: unsupported scheme {parts.scheme!r} (smtp, smtps, file, console)")
    elif host:
        config.update(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST=host,
            EMAIL_PORT=env_int("MUEVE_SMTP_PORT", 587),
            EMAIL_HOST_USER=env_str("MUEVE_SMTP_USER", ""),
            EMAIL_HOST_PASSWORD=env_str("MUEVE_SMTP_PASSWORD", ""),
            EMAIL_USE_TLS=env_bool("MUEVE_SMTP_TLS", True),
            EMAIL_USE_SSL=False,
        )
    elif demo:
        config.update(
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=str(data_dir / "mail")
        )
    else:
        config["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
    config.setdefault("EMAIL_FILE_PATH", str(data_dir / "mail"))
    config["EMAIL_TIMEOUT"] = env_int("MUEVE_SMTP_TIMEOUT", 10)
    if os.environ.get("MUEVE_EMAIL_BACKEND"):
        config["EMAIL_BACKEND"] = os.environ["MUEVE_EMAIL_BACKEND"]
    config["DEFAULT_FROM_EMAIL"] = env_str(
        "MUEVE_EMAIL_FROM", env_str("MUEVE_FROM_EMAIL", "Mueve <no-reply@localhost>")
    )
    config["SERVER_EMAIL"] = config["DEFAULT_FROM_EMAIL"]
    return config
