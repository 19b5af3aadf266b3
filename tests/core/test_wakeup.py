"""Wake-ups between the processes of one machine (the intake process, the streams' hubs)."""

import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

from mueve.core import wakeup


@pytest.fixture
def data_dir(settings):
    # A short folder of its own: pytest's tmp_path (longer still under xdist) can exceed what a socket path holds.
    path = Path(tempfile.mkdtemp(prefix="mw-"))
    settings.DATA_DIR = path
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_a_notification_wakes_every_listener_of_the_topic(data_dir):
    first, second, other = wakeup.Listener("intake"), wakeup.Listener("intake"), wakeup.Listener("events")
    try:
        assert wakeup.notify("intake") == 2
        assert first.wait(5) and second.wait(5)
        assert not other.wait(0.05)  # another topic
        assert not first.wait(0.05)  # one wake-up read once
        assert wakeup.notify("intake", others_only=True) == 0  # both are this process's own
    finally:
        for listener in (first, second, other):
            listener.close()
    assert wakeup.notify("intake") == 0
    assert not list((data_dir / "run").glob("*.sock"))


def test_a_socket_left_by_a_dead_process_is_cleared(data_dir):
    (data_dir / "run").mkdir()
    stale = data_dir / "run" / "intake-999999-1.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(stale))
    sock.close()  # the file stays, nobody listens
    assert wakeup.notify("intake") == 0
    assert not stale.exists()


def test_many_unread_wake_ups_do_not_block_the_sender(data_dir):
    listener = wakeup.Listener("intake")
    try:
        for _ in range(2000):  # more than the socket buffers
            assert wakeup.notify("intake") == 1
        assert listener.wait(5)
    finally:
        listener.close()


def test_a_data_folder_too_long_for_a_socket_means_polling(settings, tmp_path):
    settings.DATA_DIR = tmp_path / ("x" * 120)
    os.makedirs(settings.DATA_DIR / "run")
    listener = wakeup.Listener("intake")
    assert listener.fileno() == -1
    assert wakeup.notify("intake") == 0
    assert not listener.wait(0.01)
    listener.close()


def test_notify_never_fails_the_caller(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    (tmp_path / "run").write_text("not a folder")  # called after a report's commit: must not turn it into a 500
    assert wakeup.notify("intake") == 0
    listener = wakeup.Listener("intake")  # and a waiter falls back to polling
    assert listener.fileno() == -1
    listener.close()
