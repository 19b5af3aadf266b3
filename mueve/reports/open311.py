"""The Open311 GeoReport v2 wire format: element names, JSON and XML bodies, error bodies, input parsing.

Spec: http://wiki.open311.org/GeoReport_v2 — JSON lists and `<root><item>…</item></root>` XML with the same
element names; datetimes ISO 8601 with the offset of America/Santiago; errors as
`[{"code": .., "description": ..}]` / `<errors><error><code/><description/></error></errors>`.
"""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any

from django.http import HttpResponse, QueryDict
from django.utils import timezone

from mueve.reports import selectors
from mueve.reports.models import Report, Service

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
ATTRIBUTE_FIELD = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")

# The element that wraps each item of a list, by the list's element name.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
    "keywords": "keyword",
}


def iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _xml_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(parent: ET.Element, tag: str, value: Any) -> None:
    element = ET.SubElement(parent, tag)
    if isinstance(value, list):
        item_tag = ITEM_TAGS[tag]
        for item in value:
            if isinstance(item, dict):
                child = ET.SubElement(element, item_tag)
                for key, inner in item.items():
                    _fill(child, key, inner)
            else:
                ET.SubElement(element, item_tag).text = _xml_text(item)
    elif isinstance(value, dict):
        for key, inner in value.items():
            _fill(element, key, inner)
    else:
        element.text = _xml_text(value)


def render(fmt: str, root: str, body: list | dict, status: int = 200) -> HttpResponse:
    """`body` as JSON, or as XML under `<root>` (a list gives one item element per entry)."""
    if fmt == "json":
        text = json.dumps(body, ensure_ascii=False)
    else:
        element = ET.Element(root)
        if isinstance(body, list):
            for item in body:
                child = ET.SubElement(element, ITEM_TAGS[root])
                for key, value in item.items():
                    _fill(child, key, value)
        else:
            for key, value in body.items():
                _fill(element, key, value)
        text = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="unicode")
    return HttpResponse(text.encode("utf-8"), status=status, content_type=FORMATS[fmt])


def error(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    return render(fmt, "errors", [{"code": status, "description": text} for text in descriptions], status=status)


def validation_descriptions(message_dict: dict[str, list[str]]) -> list[str]:
    """One `field: message` description per message (Open311 has no field slot in its errors)."""
    return [
        f"{field}: {message}" if field != "__all__" else str(message)
        for field, messages in message_dict.items()
        for message in messages
    ]


# --- bodies ---------------------------------------------------------------------------------------------------


def service_body(service: Service) -> dict:
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.description,
        "metadata": service.metadata,
        "type": service.type,
        "keywords": ", ".join(service.keyword_list),
        "group": service.group,
    }


def definition_body(service: Service) -> dict:
    return {
        "service_code": service.code,
        "attributes": [
            {
                "variable": attribute.variable,
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "datatype_description": attribute.datatype_description,
                "order": attribute.order,
                "description": attribute.description,
                "values": [{"key": value.key, "name": value.name} for value in attribute.values.all()],
            }
            for attribute in service.attributes.all()
        ],
    }


def media_url_of(report: Report, build_absolute_uri=None) -> str:
    """The report's media_url, or else its first photo an operator approved (needs `photos` prefetched)."""
    if report.media_url or build_absolute_uri is None:
        return report.media_url
    photos = selectors.report_public_photos(report)
    if not photos:
        return ""
    return build_absolute_uri(selectors.photo_url(photos[0]))


def request_body(report: Report, build_absolute_uri=None) -> dict:
    """A service request as `GET requests` answers it: public fields only, never the reporter."""
    return {
        "service_request_id": report.public_id,
        "status": report.status,
        "status_notes": report.status_notes,
        "service_name": report.service.name,
        "service_code": report.service.code,
        "description": selectors.report_public_description(report),
        "agency_responsible": report.agency_responsible.name if report.agency_responsible else "",
        "service_notice": report.service_notice,
        "requested_datetime": iso(report.requested_datetime),
        "updated_datetime": iso(report.updated_datetime),
        "expected_datetime": iso(report.expected_datetime),
        "address": report.address_string,
        "address_id": report.address_id,
        "zipcode": report.zipcode,
        "lat": report.lat,
        "long": report.lon,
        "media_url": media_url_of(report, build_absolute_uri),
    }


def created_body(report: Report) -> dict:
    """The answer to `POST requests`: the id (realtime), or a token to follow (batch); blackbox gives neither."""
    body: dict[str, Any] = {}
    if report.service.type == Service.Type.REALTIME:
        body["service_request_id"] = report.public_id
    if report.service.type != Service.Type.BLACKBOX:
        body["token"] = report.token
    body["service_notice"] = report.service_notice
    body["account_id"] = report.account_id or None
    return body


# --- input ----------------------------------------------------------------------------------------------------


def attributes_from(data: QueryDict) -> dict[str, list[str]]:
    """`attribute[code]=v` and `attribute[code][]=v1&attribute[code][]=v2` as {code: [values]}."""
    found: dict[str, list[str]] = {}
    for name in data:
        match = ATTRIBUTE_FIELD.match(name)
        if match:
            found.setdefault(match.group(1), []).extend(data.getlist(name))
    return found


def comma_list(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]
