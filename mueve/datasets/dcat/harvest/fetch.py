"""Fetching another catalog over HTTP: http(s) only, a deadline per request, and a cap on the bytes read."""

import time
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _

USER_AGENT = "Mueve-cosecha/1.0 (+DCAT-AP, CKAN)"


class HarvestError(Exception):
    """The source as a whole could not be read: the run changes nothing and records this message (Spanish)."""


def check_url(url: str) -> None:
    if urlsplit(url).scheme not in ("http", "https"):
        raise HarvestError(_("Solo se cosechan direcciones http o https: %(url)s") % {"url": url[:200]})


class CappedSession(requests.Session):
    """A requests session (what ckanapi.RemoteCKAN uses) whose every response is read whole within the deadline
    and the size cap, so that a slow or endless source stops the run instead of holding it."""

    def __init__(self, *, timeout: float | None = None, max_bytes: int | None = None) -> None:
        super().__init__()
        self.timeout = timeout if timeout is not None else settings.MUEVE_HARVEST_TIMEOUT
        self.max_bytes = max_bytes if max_bytes is not None else settings.MUEVE_HARVEST_MAX_BYTES
        self.headers["User-Agent"] = USER_AGENT

    def request(self, method, url, *args, **kwargs):
        check_url(url)
        kwargs["timeout"] = self.timeout
        kwargs["stream"] = True
        try:
            response = super().request(method, url, *args, **kwargs)
            response._content = self._read(response)
        except requests.Timeout as exc:
            raise HarvestError(
                _("La fuente no respondió a tiempo (%(s)s s): %(url)s") % {"s": self.timeout, "url": url[:200]}
            ) from exc
        except requests.RequestException as exc:
            raise HarvestError(
                _("No se pudo conectar con la fuente: %(url)s (%(error)s)")
                % {"url": url[:200], "error": type(exc).__name__}
            ) from exc
        return response

    def _read(self, response: requests.Response) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            response.close()
            raise HarvestError(self._too_big())
        deadline = time.monotonic() + self.timeout
        chunks, size = [], 0
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > self.max_bytes:
                response.close()
                raise HarvestError(self._too_big())
            if time.monotonic() > deadline:
                response.close()
                raise requests.Timeout()
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_big(self) -> str:
        return _("La respuesta de la fuente supera el máximo de %(mb)s MB.") % {
            "mb": round(self.max_bytes / 1_000_000, 1)
        }


def fetch(url: str, *, accept: str) -> tuple[bytes, str]:
    """The body and media type at `url` (an error status is a HarvestError)."""
    check_url(url)
    with CappedSession() as session:
        response = session.get(url, headers={"Accept": accept})
    if response.status_code != 200:
        raise HarvestError(
            _("La fuente respondió con el estado HTTP %(status)s: %(url)s")
            % {"status": response.status_code, "url": url[:200]}
        )
    return response.content, response.headers.get("Content-Type", "").split(";")[0].strip().lower()
