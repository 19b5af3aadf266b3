"""Real server processes for the live tests and benchmarks: a fresh database, seeded, served by uvicorn.

with LiveSite(database_url=..., redis_url=...) as site:   # migrates and seeds
    site.start(2)                                          # two `mueve serve` processes
    site.urls[0], site.operator_token, site.api_key
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
SERVICE_CODE = "accidente-vivo"
OPERATOR_PASSWORD = "operadora-en-vivo-2014"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_reachable(url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(_admin_url(url), connect_timeout=2):
            return True
    except Exception:
        return False


def redis_reachable(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


def _admin_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres", query=""))


def recreate_postgres(url: str, drop_only: bool = False) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    assert name.startswith("mueve_c"), "only helper C's own databases"
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def seed() -> None:
    """Runs inside a configured Django: a jurisdiction, one service, an Open311 key, an operator and a token."""
    import django

    django.setup()
    from mueve.accounts.models import Role, User
    from mueve.accounts.services import user_create
    from mueve.api import services as api_services
    from mueve.api.models import ApiKey
    from mueve.reports import services
    from mueve.territory.models import Jurisdiction
    from mueve.territory.services import jurisdiction_upsert

    metro = jurisdiction_upsert(
        slug="gran-concepcion", name="Gran Concepción", kind=Jurisdiction.Kind.METROPOLITAN_AREA
    )
    services.service_upsert(
        jurisdiction=metro,
        code=SERVICE_CODE,
        name="Accidente de tránsito",
        group="Tránsito",
        alert_category="traffic",
        alert_subcategory="carAccident",
        default_severity="high",
        attributes=[],
    )
    manager = User.objects.filter(username="gestora-viva").first() or user_create(
        username="gestora-viva", password=OPERATOR_PASSWORD, role=Role.MANAGER
    )
    operator = User.objects.filter(username="operadora-viva").first() or user_create(
        username="operadora-viva", password=OPERATOR_PASSWORD, role=Role.OPERATOR, first_name="Olga"
    )
    user_create(username="ciudadana-viva", password=OPERATOR_PASSWORD, role=Role.CITIZEN)
    # Benchmarks post thousands of reports a minute with one key: its quota is set far above that.
    application = api_services.application_add(actor=manager, name="Prueba en vivo", contact_email="dev@example.org")
    open311_key, api_key = api_services.key_create(application=application, actor=manager)
    api_services.key_quota_set(api_key=open311_key, actor=manager, per_minute=10**8, per_day=10**9)
    _app, screen_key, token = api_services.application_register(
        owner=operator, name="Pantalla del centro de control", contact_email="olga@example.org", description="pantalla"
    )
    api_services.key_approve(api_key=screen_key, actor=manager)
    assert ApiKey.objects.filter(status=ApiKey.Status.APPROVED).count() == 2
    print(json.dumps({"api_key": api_key, "operator_token": token}))


class LiveSite:
    def __init__(self, *, database_url: str = "", redis_url: str = "", extra_env: dict | None = None, seed_with=None):
        self.database_url = database_url
        self.redis_url = redis_url
        self.tmp = tempfile.mkdtemp(prefix="mueve-live-")
        self.env = {
            **os.environ,
            "MUEVE_DATA_DIR": self.tmp,
            "MUEVE_DATABASE_URL": database_url,
            "MUEVE_REDIS_URL": redis_url,
            "MUEVE_REALTIME_KEEPALIVE": "2",
            "MUEVE_REALTIME_POLL": "1",
            "DJANGO_SETTINGS_MODULE": "mueve.config.settings",
            "PYTHONPATH": str(ROOT),
            # The site's processes share one key (sessions made by one are read by another); not demo mode.
            "MUEVE_SECRET_KEY": os.environ.get("MUEVE_SECRET_KEY") or secrets.token_urlsafe(40),
            **(extra_env or {}),
        }
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.seed_with = seed_with or "from tests.realtime.servers import seed; seed()"
        self.processes: list[subprocess.Popen] = []
        self.ports: list[int] = []
        self.api_key = ""
        self.operator_token = ""

    def __enter__(self) -> "LiveSite":
        if self.database_url:
            recreate_postgres(self.database_url)
            self.manage("migrate", "--noinput", "-v", "0")
        else:
            # The migrated schema, built once per code version and shared with the in-process tests (16 s saved
            # per site); tests/core/test_migrations.py runs the real migrations.
            shutil.copyfile(sqlite_schema_template(), Path(self.tmp) / "mueve.sqlite3")
        out = subprocess.run(
            [PYTHON, "-c", self.seed_with], env=self.env, cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
        secrets = json.loads(out.strip().splitlines()[-1])
        self.api_key, self.operator_token = secrets["api_key"], secrets["operator_token"]
        return self

    def manage(self, *args: str) -> None:
        subprocess.run([PYTHON, "-m", "mueve.cli", *args], env=self.env, cwd=ROOT, check=True)

    def start(self, count: int = 1, ports: list[int] | None = None) -> None:
        for index in range(count):
            port = ports[index] if ports else free_port()
            self.processes.append(
                subprocess.Popen(
                    [PYTHON, "-m", "mueve.cli", "serve", "--no-migrate", "--port", str(port)],
                    env=self.env,
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
            self.ports.append(port)
        for port in self.ports[-count:]:
            wait_until_serving(f"http://127.0.0.1:{port}/")

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    def kill(self, index: int = 0) -> int:
        """Kills server `index` at once (SIGKILL: no graceful shutdown); returns its port for a restart."""
        process = self.processes[index]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
        return self.ports[index]

    def restart(self, index: int = 0) -> None:
        port = self.ports[index]
        self.processes[index] = subprocess.Popen(
            [PYTHON, "-m", "mueve.cli", "serve", "--no-migrate", "--port", str(port)],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until_serving(f"http://127.0.0.1:{port}/")

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        if self.database_url:
            recreate_postgres(self.database_url, drop_only=True)
        shutil.rmtree(self.tmp, ignore_errors=True)


def sqlite_schema_template() -> Path:
    """The migrated SQLite schema for this code version: copied from the cache, or migrated once and cached."""
    import sqlite3

    from tests.dbcontents import cache_dir, file_lock, schema_key

    path = cache_dir() / f"schema-{schema_key()}.sqlite3"
    with file_lock(path):
        if not path.exists():
            scratch = tempfile.mkdtemp(prefix="mueve-schema-")
            env = {**os.environ, "MUEVE_DATA_DIR": scratch, "MUEVE_DATABASE_URL": "", "PYTHONPATH": str(ROOT)}
            env.setdefault("MUEVE_SECRET_KEY", secrets.token_urlsafe(40))
            migrate = [PYTHON, "-m", "mueve.cli", "migrate", "--noinput", "-v", "0"]
            subprocess.run(migrate, env=env, cwd=ROOT, check=True)
            source, target = sqlite3.connect(Path(scratch) / "mueve.sqlite3"), sqlite3.connect(f"{path}.partial")
            source.backup(target)  # reads through the WAL, whatever the migrating process left in it
            source.close()
            target.close()
            os.replace(f"{path}.partial", path)
            shutil.rmtree(scratch, ignore_errors=True)
    return path


def wait_until_serving(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "open311/v2/discovery.json", timeout=5):
                return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def post_report(
    base: str,
    api_key: str,
    *,
    lat: float = -36.8270,
    lon: float = -73.0503,
    description: str = "",
    email: str = "privada@example.org",
) -> dict:
    data = urllib.parse.urlencode(
        {
            "api_key": api_key,
            "service_code": SERVICE_CODE,
            "lat": f"{lat:.6f}",
            "long": f"{lon:.6f}",
            "description": description or "Choque en el cruce",
            "email": email,
            "first_name": "Privada",
            "device_id": uuid.uuid4().hex,  # every report its own sender: none looks like a spam burst
        }
    ).encode()
    with urllib.request.urlopen(base + "/open311/v2/requests.json", data=data, timeout=10) as response:
        return json.loads(response.read())[0]


class StreamReader:
    """Reads a live stream over plain HTTP (http.client), block by block."""

    def __init__(self, base: str, *, token: str = "", cookie: str = "", last_event_id: str = "", topics="control"):
        import http.client

        parts = urlsplit(base)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
        headers = {"Accept": "text/event-stream"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if cookie:
            headers["Cookie"] = cookie
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        self.conn.request("GET", f"/tiempo-real/stream/?topics={topics}", headers=headers)
        self.response = self.conn.getresponse()
        self.status = self.response.status

    def next_block(self) -> dict:
        lines: dict[str, str] = {}
        while True:
            raw = self.response.readline()
            if not raw:
                raise EOFError("stream closed")
            line = raw.decode().rstrip("\r\n")
            if not line:
                if lines:
                    return lines
                continue
            name, _, value = line.partition(":")
            lines[name or "comment"] = value[1:] if value.startswith(" ") else value

    def next_data(self) -> tuple[int, str, dict]:
        while True:
            block = self.next_block()
            if "data" in block:
                return int(block["id"]), block.get("event", "message"), json.loads(block["data"])

    def close(self) -> None:
        self.conn.close()
