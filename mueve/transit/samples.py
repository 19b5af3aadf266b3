"""Sample GTFS data for tests, demo and benchmarks, fetched at set-up time (never committed).

The Cairns (Queensland, Australia) bus feed is a real hail-and-ride network. It ships inside the *source*
distribution of gtfs-kit on PyPI as `data/cairns_gtfs.zip`. We pin the version and check the sha256 of both the
sdist and the extracted zip, so a changed upload can never slip in silently.

Licences: gtfs-kit is MIT (LICENSE.txt, the only licence file in the sdist). The feed was published by the Queensland
Department of Transport and Main Roads (TransLink division, "qconnect" regional services, see agency.txt); gtfs-kit
redistributes it with no separate notice. TMR publishes its GTFS feeds on the Queensland Government open data portal
under Creative Commons Attribution (CC BY 4.0 today; the 2014 release may have been CC BY 3.0 AU): credit
"Department of Transport and Main Roads - TransLink, Queensland Government" wherever the data is shown.

No Django here: the benchmark and the planner tests use it without settings. The cache lives in
`$MUEVE_DATA_DIR/cache` (default `<repo>/var/cache`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

GTFS_KIT_VERSION = "13.0.1"
SDIST_NAME = f"gtfs_kit-{GTFS_KIT_VERSION}.tar.gz"
SDIST_SHA256 = "9c4a58e6f11971d262dbaec08e4f85f727b6609479d07e39a54f2ca4f84eb65a"
CAIRNS_MEMBER = f"gtfs_kit-{GTFS_KIT_VERSION}/data/cairns_gtfs.zip"
CAIRNS_SHA256 = "ff39d3763a105ae9cdb7a819d3c3350195d2e34ee95e322652e516a1d3d037cc"
# The feed's own calendar runs 2014-05-26 .. 2014-12-26; a Wednesday is a plain weekday.
CAIRNS_SERVICE_DATE = "20140604"
CAIRNS_LICENCE = (
    "Datos: Department of Transport and Main Roads - TransLink (Queensland Government), CC BY 4.0; "
    "distribuidos en gtfs-kit (MIT)."
)

REPO_ROOT = Path(__file__).resolve().parents[2]


class SampleUnavailable(RuntimeError):
    """The sample could not be fetched (offline, registry unreachable, checksum mismatch)."""


def data_dir() -> Path:
    return Path(os.environ.get("MUEVE_DATA_DIR") or REPO_ROOT / "var")


def cache_dir() -> Path:
    path = data_dir() / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _download_json_api(dest: Path) -> str | None:
    """The PyPI JSON API gives the sdist's URL; returns an error text instead of raising."""
    # A fresh opener reads the proxy variables now (urlopen's global one keeps those of its first use).
    opener = urllib.request.build_opener()
    try:
        with opener.open(f"https://pypi.org/pypi/gtfs-kit/{GTFS_KIT_VERSION}/json", timeout=30) as resp:
            meta = json.load(resp)
        url = next(u["url"] for u in meta["urls"] if u["filename"] == SDIST_NAME)
    except (urllib.error.URLError, OSError, ValueError, StopIteration, KeyError) as exc:
        try:
            # Some mirrors only serve the project-wide document.
            with opener.open("https://pypi.org/pypi/gtfs-kit/json", timeout=30) as resp:
                meta = json.load(resp)
            url = next(u["url"] for u in meta["releases"][GTFS_KIT_VERSION] if u["filename"] == SDIST_NAME)
        except (urllib.error.URLError, OSError, ValueError, StopIteration, KeyError):
            return f"PyPI JSON API: {exc}"
    try:
        with opener.open(url, timeout=120) as resp, open(dest, "wb") as out:
            shutil.copyfileobj(resp, out)
    except (urllib.error.URLError, OSError) as exc:
        return f"{url}: {exc}"
    return None


def _download_pip(dest_dir: Path) -> str | None:
    """Fallback through pip (honours the machine's index configuration and proxies)."""
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        f"gtfs-kit=={GTFS_KIT_VERSION}",
        "--no-deps",
        "--no-binary",
        ":all:",
    ]
    cmd += ["-d", str(dest_dir), "--quiet"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"pip download: {exc}"
    if proc.returncode != 0 and not (dest_dir / SDIST_NAME).exists():
        return "pip download: " + (proc.stderr.strip().splitlines() or ["failed"])[-1]
    return None


def _fetch_sdist(workdir: Path) -> Path:
    sdist = workdir / SDIST_NAME
    errors = []
    for attempt in (lambda: _download_json_api(sdist), lambda: _download_pip(workdir)):
        error = attempt()
        if error is None and sdist.exists():
            if _sha256(sdist) == SDIST_SHA256:
                return sdist
            error = f"sha256 mismatch for {SDIST_NAME}"
            sdist.unlink()
        errors.append(error or "no file")
    raise SampleUnavailable(
        f"Could not fetch {SDIST_NAME} from PyPI (the Cairns sample GTFS feed lives inside it). "
        "The tests and benchmarks that use the Cairns feed need network access to PyPI once; "
        f"the file is then cached in {cache_dir()}. Details: " + "; ".join(errors)
    )


def cairns_zip() -> Path:
    """Path of the cached, checksum-verified Cairns GTFS zip, downloading it from PyPI the first time."""
    target = cache_dir() / f"cairns_gtfs-gtfs_kit-{GTFS_KIT_VERSION}.zip"
    if target.exists() and _sha256(target) == CAIRNS_SHA256:
        return target
    with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp:
        sdist = _fetch_sdist(Path(tmp))
        with tarfile.open(sdist, "r:gz") as tar:
            member = tar.extractfile(CAIRNS_MEMBER)
            if member is None:
                raise SampleUnavailable(f"{CAIRNS_MEMBER} missing from {SDIST_NAME}")
            part = Path(tmp) / "cairns.zip"
            with open(part, "wb") as out:
                shutil.copyfileobj(member, out)
        if _sha256(part) != CAIRNS_SHA256:
            raise SampleUnavailable(f"sha256 mismatch for {CAIRNS_MEMBER} in {SDIST_NAME}")
        os.replace(part, target)  # atomic: concurrent callers never see half a file
    return target


if __name__ == "__main__":
    print(cairns_zip())
