"""Reading a CKAN portal through its action API with ckanapi: `package_search` page by page (`rows`, `start`), each
package dict mapped to a HarvestedDataset.

DCAT fields that CKAN has no column for are read from the package's extras under ckanext-dcat's names (theme,
frequency, access_rights, spatial, temporal_start/end, contact_name/email, issued, modified), and from top-level
keys of the same names, which a Mueve instance's API also gives.
"""

import json

import ckanapi
from django.utils.translation import gettext as _

from mueve.datasets.dcat.harvest import records as r
from mueve.datasets.dcat.harvest.fetch import CappedSession, HarvestError
from mueve.datasets.models import Distribution

PAGE = 100
# A source that claims more than this is refused rather than read for hours.
MAX_DATASETS = 20_000


def read(url: str) -> tuple[list[r.HarvestedDataset], list[str]]:
    """Every public package of the portal, and one message per package that could not be read."""
    packages = _search_all(url)
    found, errors = [], []
    for package in packages:
        try:
            found.append(dataset(package))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            name = package.get("name") if isinstance(package, dict) else None
            errors.append(_("Paquete %(name)s ilegible: %(error)s") % {"name": name or "?", "error": exc})
    return found, errors


def _search_all(url: str) -> list[dict]:
    session = CappedSession()
    portal = ckanapi.RemoteCKAN(
        url.rstrip("/"), user_agent=session.headers["User-Agent"], get_only=True, session=session
    )
    # The versioned path every CKAN since 2.0 serves (ckanapi's default, /api/action/, is the older alias).
    portal.base_url = "api/3/action/"
    packages: dict[str, dict] = {}
    start, count = 0, None
    try:
        while count is None or start < count:
            page = portal.action.package_search(q="*:*", rows=PAGE, start=start)
            if not isinstance(page, dict) or not isinstance(page.get("results"), list):
                raise HarvestError(_("La fuente no respondió como un portal CKAN (package_search)."))
            count = int(page.get("count") or 0)
            if count > MAX_DATASETS:
                raise HarvestError(
                    _("La fuente declara %(n)s conjuntos; el máximo por cosecha es %(max)s.")
                    % {"n": count, "max": MAX_DATASETS}
                )
            if not page["results"]:
                break
            for package in page["results"]:
                if isinstance(package, dict) and (package.get("id") or package.get("name")):
                    packages[str(package.get("id") or package.get("name"))] = package
            start += len(page["results"])
    except ckanapi.errors.CKANAPIError as exc:
        raise HarvestError(
            _("La fuente no respondió como un portal CKAN: %(error)s") % {"error": str(exc)[:200]}
        ) from exc
    except (ValueError, TypeError) as exc:
        raise HarvestError(_("La fuente no respondió como un portal CKAN (JSON inesperado).")) from exc
    finally:
        portal.close()
    if count and len(packages) < count:
        # Paging over a changing source can skip a package; withdrawing it on that basis would be wrong.
        raise HarvestError(
            _("La fuente cambió durante la cosecha (%(got)s de %(count)s conjuntos leídos); se reintentará.")
            % {"got": len(packages), "count": count}
        )
    return list(packages.values())


def _extras(package: dict) -> dict:
    extras = {}
    for extra in package.get("extras") or []:
        if isinstance(extra, dict) and extra.get("key"):
            extras[str(extra["key"])] = extra.get("value")
    return extras


def _text(value) -> str:
    return str(value).strip() if value not in (None, "") else ""


def dataset(package: dict) -> r.HarvestedDataset:
    extras = _extras(package)

    def field(*names):
        for name in names:
            if _text(package.get(name)):
                return package[name]
            if _text(extras.get(name)):
                return extras[name]
        return ""

    title = _text(package.get("title")) or _text(package.get("name"))
    if not title:
        raise ValueError(_("sin título"))
    organization = package.get("organization") or {}
    themes = field("theme", "themes")
    if isinstance(themes, str):
        themes = json.loads(themes) if themes.startswith("[") else themes.split(",")
    themes = list(themes) + [g.get("name", "") for g in package.get("groups") or [] if isinstance(g, dict)]
    spatial = field("spatial")
    if isinstance(spatial, str) and spatial:
        spatial = json.loads(spatial)
    bbox = None
    if isinstance(spatial, dict):
        bbox = r.bbox_from_geojson(spatial)
    elif isinstance(bbox_field := field("bbox"), list | tuple) and len(bbox_field) == 4:
        bbox = r._box([float(bbox_field[0]), float(bbox_field[2])], [float(bbox_field[1]), float(bbox_field[3])])
    return r.HarvestedDataset(
        identifier=str(package.get("id") or package["name"]),
        name=_text(package.get("name")),
        title=title[:200],
        description=_text(package.get("notes")),
        publisher_name=_text(organization.get("title") or organization.get("name")),
        keywords=[t["name"] if isinstance(t, dict) else str(t) for t in package.get("tags") or []],
        themes=r.theme_codes(themes),
        license=r.license_id(_text(package.get("license_id")) or _text(package.get("license_url"))),
        landing_page=_text(field("landing_page", "url")),
        version=_text(package.get("version"))[:40],
        accrual_periodicity=r.frequency(_text(field("frequency", "accrual_periodicity"))),
        access_rights=r.access_rights(_text(field("access_rights"))),
        contact_name=_text(field("contact_name", "maintainer", "author"))[:120],
        contact_email=_text(field("contact_email", "maintainer_email", "author_email")),
        bbox=bbox,
        temporal_start=r.day(field("temporal_start")),
        temporal_end=r.day(field("temporal_end")),
        issued=r.when(field("issued", "metadata_created")),
        modified=r.when(field("modified", "data_modified", "metadata_modified")),
        distributions=[_distribution(res) for res in package.get("resources") or [] if isinstance(res, dict)],
    )


def _distribution(resource: dict) -> r.HarvestedDistribution:
    kind = _text(resource.get("resource_type") or resource.get("kind")).lower()
    size = resource.get("size")
    checksum = _text(resource.get("hash")).lower().removeprefix("sha256:")
    return r.HarvestedDistribution(
        identifier=str(resource.get("id") or resource.get("url") or ""),
        title=(_text(resource.get("name")) or _text(resource.get("url")) or _("Recurso"))[:200],
        description=_text(resource.get("description")),
        access_url=_text(resource.get("url")),
        kind=Distribution.Kind.API if kind == "api" else Distribution.Kind.FEED if kind == "feed" else "file",
        format=r.file_type(_text(resource.get("format"))),
        media_type=r.media_type(_text(resource.get("mimetype"))),
        byte_size=int(size) if isinstance(size, int) or (isinstance(size, str) and size.isdigit()) else None,
        checksum_sha256=checksum if len(checksum) == 64 else "",
    )
