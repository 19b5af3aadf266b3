"""The Cairns sample feed: fetched from the pinned gtfs-kit sdist on PyPI, checksum-verified, cached; a clear error
when PyPI cannot be reached."""

import hashlib
import zipfile

import pytest

from mueve.transit import samples


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def offline(monkeypatch):
    """Route every download through a closed local port (urllib and pip both honour the proxy variables)."""
    for name in ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.setenv("PIP_TIMEOUT", "3")


def fetch():
    try:
        return samples.cairns_zip()
    except samples.SampleUnavailable as exc:
        pytest.fail(f"This test downloads the gtfs-kit sdist from PyPI and needs network access: {exc}")


def test_cairns_zip_is_verified_then_served_from_the_cache(tmp_path, monkeypatch, request):
    monkeypatch.setenv("MUEVE_DATA_DIR", str(tmp_path))
    path = fetch()
    assert path.parent == tmp_path / "cache"
    assert sha256(path) == samples.CAIRNS_SHA256
    with zipfile.ZipFile(path) as zf:
        assert {"stops.txt", "routes.txt", "trips.txt", "stop_times.txt", "shapes.txt"} <= set(zf.namelist())
        assert b"TransLink" in zf.read("agency.txt")
    request.getfixturevalue("offline")
    assert samples.cairns_zip() == path  # no network needed any more
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [path.name]  # no leftovers from the download


def test_a_damaged_cache_file_is_downloaded_again(tmp_path, monkeypatch):
    monkeypatch.setenv("MUEVE_DATA_DIR", str(tmp_path))
    target = tmp_path / "cache" / f"cairns_gtfs-gtfs_kit-{samples.GTFS_KIT_VERSION}.zip"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"not a zip")
    assert sha256(fetch()) == samples.CAIRNS_SHA256


def test_offline_gives_a_clear_error(tmp_path, monkeypatch, offline):
    monkeypatch.setenv("MUEVE_DATA_DIR", str(tmp_path))
    with pytest.raises(samples.SampleUnavailable) as exc:
        samples.cairns_zip()
    message = str(exc.value)
    assert "gtfs_kit-13.0.1.tar.gz" in message and "PyPI" in message and str(tmp_path / "cache") in message
    assert list((tmp_path / "cache").iterdir()) == []
