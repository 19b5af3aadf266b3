"""Fetching a registered URL, safely: http or https only; the host's addresses are resolved once and must all be
public (no localhost, private networks, link-local cloud metadata) unless MUEVE_CATALOG_FETCH_ALLOW_PRIVATE, and the
connection goes to the address that was checked (a second DNS answer cannot redirect it); at most MAX_REDIRECTS
redirects, each checked the same way; one deadline (MUEVE_CATALOG_FETCH_TIMEOUT_SECONDS) for the whole download,
so a server that answers slowly, or drips its bytes, is given up on; and the size cap of uploads, while streaming."""

import http.client
import ipaddress
import socket
import time
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mueve.datasets.incoming.errors import Refused, max_upload_bytes
from mueve.datasets.incoming.receive import Received, Sink, too_large

MAX_REDIRECTS = 3
CHUNK = 256 * 1024
USER_AGENT = "Mueve-catalogo/1 (+datos entrantes)"


def url_problem(url: str) -> str | None:
    """Why the URL cannot be fetched, judged without connecting (scheme, host, credentials); None if it can."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        return _("La URL no es válida.")
    if parts.scheme not in {"http", "https"}:
        return _("Solo se descargan URL http:// o https:// (no «%(scheme)s:»).") % {"scheme": parts.scheme or "—"}
    if not parts.hostname:
        return _("La URL no tiene servidor.")
    if parts.username or parts.password:
        return _("La URL no puede llevar usuario ni clave.")
    return None


def _addresses(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused.one(_("No se encontró el servidor «%(host)s».") % {"host": host}) from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not settings.MUEVE_CATALOG_FETCH_ALLOW_PRIVATE:
        for address in addresses:
            if not ipaddress.ip_address(address.split("%")[0]).is_global:
                raise Refused.one(
                    _("«%(host)s» es una dirección privada o local (%(address)s): no se descarga desde ahí.")
                    % {"host": host, "address": address}
                )
    return addresses


def _connection(parts, address: str, timeout: float) -> http.client.HTTPConnection:
    port = parts.port or (443 if parts.scheme == "https" else 80)
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = cls(parts.hostname, port, timeout=timeout)

    def connect_checked(_address, timeout=None, source_address=None):
        # The host name stays for the Host header and TLS (SNI, certificate); the socket goes to the checked address.
        return socket.create_connection((address, port), timeout, source_address)

    conn._create_connection = connect_checked
    return conn


def fetch(url: str) -> Received:
    """Downloads `url` to a Sink; raises Refused (in Spanish) on every way it can fail."""
    timeout = float(settings.MUEVE_CATALOG_FETCH_TIMEOUT_SECONDS)
    deadline = time.monotonic() + timeout
    limit = max_upload_bytes()
    late = Refused.one(
        ngettext(
            "El servidor no entregó el archivo dentro de %(seconds)d segundo: se cortó la descarga.",
            "El servidor no entregó el archivo dentro de %(seconds)d segundos: se cortó la descarga.",
            int(timeout),
        )
        % {"seconds": int(timeout)},
        status=504,
    )
    for _hop in range(MAX_REDIRECTS + 1):
        problem = url_problem(url)
        if problem:
            raise Refused.one(problem)
        parts = urlsplit(url)
        address = _addresses(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))[0]
        conn = _connection(parts, address, max(deadline - time.monotonic(), 0.1))
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            conn.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
            response = conn.getresponse()
            if response.status in {301, 302, 303, 307, 308} and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            if response.status != 200:
                raise Refused.one(
                    _("El servidor respondió %(status)d %(reason)s.")
                    % {"status": response.status, "reason": response.reason},
                    status=502,
                )
            declared = response.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise too_large(limit)
            sink = Sink(unquote(PurePosixPath(parts.path).name) or "descarga", limit)
            try:
                while chunk := response.read1(CHUNK):
                    sink.write(chunk)
                    if time.monotonic() > deadline:
                        raise late
            except BaseException:
                sink.abort()
                raise
            return sink.finish()
        except TimeoutError as exc:
            raise late from exc
        except (OSError, http.client.HTTPException) as exc:
            raise Refused.one(
                _("No se pudo descargar la URL: %(detail)s") % {"detail": exc.__class__.__name__}, status=502
            ) from exc
        finally:
            conn.close()
    raise Refused.one(_("La URL redirige demasiadas veces."), status=502)
