import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mueve.accounts.models import Role
from mueve.visual_checks import services
from tests.control.conftest import (  # noqa: F401 (fixtures shared with the control centre's tests)
    CONCEPCION,
    _fresh_cache,
    accident,
    incident,
    metro,
    operator,
    submit,
)

TALCAHUANO_BASE = (-36.7240, -73.1160)
CONCEPCION_BASE = (-36.8201, -73.0444)


@pytest.fixture
def pilot(make_user):
    return make_user(Role.OFFICIAL)


@pytest.fixture
def drone(metro, pilot):  # noqa: F811 (the imported fixture)
    return services.drone_upsert(
        jurisdiction=metro,
        name="Dron de prueba",
        base_lat=CONCEPCION_BASE[0],
        base_lon=CONCEPCION_BASE[1],
        speed_mps=15,
        endurance_min=30,
        pilot=pilot,
    )


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def video_server(tmp_path, settings):
    """A real HTTP server on 127.0.0.1 serving `tmp_path/www`, allowed as a video server; yields (origin, folder)."""
    root = tmp_path / "www"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    settings.MUEVE_VISUAL_STREAM_ORIGINS = [origin]
    yield origin, root
    server.shutdown()
    server.server_close()
