"""The catalog as CKAN 2.10's dictionaries: package (dataset), resource (distribution), organization (publisher),
group (DCAT theme) and tag (keyword).

Identifiers: a package's and a resource's `id` are the dataset's and distribution's UUIDs, a package's `name` its
slug; an organization's `id` is a UUID derived from its primary key (stable when it is renamed) and its `name` its
slug; a group is an EU data theme, named by its code in lower case. DCAT fields CKAN has no column for travel as
`extras`, under the keys ckanext-dcat uses.
"""

import json
import uuid
from datetime import UTC, date, datetime
from pathlib import PurePosixPath

from django.urls import reverse

from mueve.datasets.models import Dataset, Distribution, Theme
from mueve.datasets.models.vocab import (
    FILE_TYPES,
    LICENSES,
    access_right_uri,
    frequency_uri,
    license_url,
    theme_uri,
)

ORGANIZATION_NAMESPACE = uuid.UUID("6f1d2a52-3c57-4c1e-9a0e-2f4b1f0c7e11")
CLOSED_LICENSES = {"", "other-closed"}


def ckan_time(value: datetime | None) -> str | None:
    """CKAN's timestamps: ISO 8601 in UTC without an offset."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None).isoformat()


def organization_id(organization) -> str:
    return str(uuid.uuid5(ORGANIZATION_NAMESPACE, f"organization:{organization.pk}"))


def organization_dict(organization, *, package_count: int | None = None) -> dict:
    result = {
        "id": organization_id(organization),
        "name": organization.slug,
        "title": organization.name,
        "display_name": organization.name,
        "description": organization.description,
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "image_display_url": "",
        "created": ckan_time(organization.created_at),
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def group_name(code: str) -> str:
    return code.lower()


def group_dict(code: str, *, package_count: int | None = None) -> dict:
    label = str(Theme(code).label) if code in Theme.values else code
    result = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, theme_uri(code))),
        "name": group_name(code),
        "title": label,
        "display_name": label,
        "description": theme_uri(code),
        "image_display_url": "",
        "type": "group",
        "is_organization": False,
        "state": "active",
        "approval_status": "approved",
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def tag_dict(name: str) -> dict:
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:mueve:tag:{name}")),
        "name": name,
        "display_name": name,
        "state": "active",
        "vocabulary_id": None,
    }


def format_label(code: str) -> str:
    """What CKAN calls a resource's format (CSV, GeoJSON, ...): the EU file type's usual name."""
    entry = FILE_TYPES.get(code)
    return entry[0] if entry else code


def download_path(distribution: Distribution, dataset: Dataset) -> str:
    filename = PurePosixPath(distribution.file.name).name or "datos"
    return reverse(
        "ckan:download",
        kwargs={"package": dataset.uuid, "resource": distribution.uuid, "filename": filename},
    )


def resource_url(distribution: Distribution, dataset: Dataset, base_url: str) -> str:
    if distribution.file:
        return base_url + download_path(distribution, dataset)
    return distribution.access_url


def resource_dict(distribution: Distribution, dataset: Dataset, base_url: str) -> dict:
    media_type = distribution.media_type or (FILE_TYPES.get(distribution.format, ("", None))[1])
    return {
        "id": str(distribution.uuid),
        "package_id": str(dataset.uuid),
        "name": distribution.title,
        "description": distribution.description,
        "format": format_label(distribution.format),
        "mimetype": media_type or None,
        "mimetype_inner": None,
        "url": resource_url(distribution, dataset, base_url),
        "url_type": "upload" if distribution.file else None,
        "resource_type": distribution.kind,
        "size": distribution.byte_size,
        "hash": distribution.checksum_sha256,
        "datastore_active": distribution.datastore_active,
        "created": ckan_time(distribution.created_at),
        "last_modified": ckan_time(distribution.updated_at),
        "metadata_modified": ckan_time(distribution.updated_at),
        "position": distribution.position,
        "state": "active",
        "cache_url": None,
        "cache_last_updated": None,
    }


def _bbox_geojson(dataset: Dataset) -> str | None:
    if dataset.bbox is None:
        return None
    west, south, east, north = dataset.bbox
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return ckan_time(value)
    return value.isoformat()


def extras(dataset: Dataset) -> list[dict]:
    """DCAT-AP fields with no CKAN column, as ckanext-dcat names them; empty ones are left out."""
    jurisdiction = dataset.spatial_jurisdiction
    values = {
        "frequency": frequency_uri(dataset.accrual_periodicity),
        "access_rights": access_right_uri(dataset.access_rights),
        # The EU table folds "with a key" and "under an agreement" into RESTRICTED: the platform's own level.
        "access_level": dataset.access_rights,
        "spatial": _bbox_geojson(dataset),
        "spatial_text": jurisdiction.name if jurisdiction else None,
        "temporal_start": _iso(dataset.temporal_start),
        "temporal_end": _iso(dataset.temporal_end),
        "contact_name": dataset.contact_name,
        "contact_email": dataset.contact_email,
        "theme": json.dumps([theme_uri(code) for code in dataset.themes_list]) if dataset.themes_list else None,
        "issued": _iso(dataset.issued),
        "modified": _iso(dataset.data_modified),
    }
    return [{"key": key, "value": value} for key, value in sorted(values.items()) if value]


def package_dict(dataset: Dataset, base_url: str) -> dict:
    """Expects the dataset's publisher and jurisdiction selected and its distributions prefetched in order."""
    resources = [resource_dict(d, dataset, base_url) for d in dataset.distributions.all()]
    tags = [tag_dict(name) for name in dataset.keywords]
    licence = LICENSES.get(dataset.license)
    return {
        "id": str(dataset.uuid),
        "name": dataset.slug,
        "title": dataset.title,
        "notes": dataset.description,
        "type": "dataset",
        "state": "active",
        "private": False,
        "url": dataset.landing_page,
        "version": dataset.version or None,
        "license_id": dataset.license or None,
        "license_title": licence[0] if licence else None,
        "license_url": license_url(dataset.license) or None,
        "isopen": dataset.license not in CLOSED_LICENSES,
        "author": None,
        "author_email": None,
        "maintainer": dataset.contact_name or None,
        "maintainer_email": dataset.contact_email or None,
        "metadata_created": ckan_time(dataset.created_at),
        "metadata_modified": ckan_time(dataset.updated_at),
        "owner_org": organization_id(dataset.publisher),
        "organization": organization_dict(dataset.publisher),
        "groups": [group_dict(code) for code in dataset.themes_list],
        "tags": tags,
        "num_tags": len(tags),
        "extras": extras(dataset),
        "resources": resources,
        "num_resources": len(resources),
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }
