"""Citizen reports ("Ciudadano te Informa"): the Open311 GeoReport v2 service catalogue, service requests
and the incidents that fuse nearby reports of one category.

Open311 vocabulary maps onto these models: a *service* is a `Service` (one per jurisdiction and code), a
*service request* is a `Report`, `jurisdiction_id` is a `territory.Jurisdiction` slug and
`service_request_id` is `Report.public_id`.

Reporter contact fields (names, email, phone, device id) are private: no public output reads them.

The models live in sub-domain modules; this package re-exports them so `from mueve.reports.models import X` and the
migrations' references (`mueve.reports.models.new_photo_token`) keep working.
"""

from .adoption import Adoption, Asset, RewardPoint
from .catalog import (
    DEFAULT_FUSION_RADIUS_M,
    DEFAULT_FUSION_WINDOW_MINUTES,
    MAX_FUSION_RADIUS_M,
    AttributeValue,
    Service,
    ServiceAttribute,
)
from .choices import AlertCategory, CapSeverity, CapUrgency, Review, Severity
from .feedback import ReportFeedback
from .incidents import Incident, IncidentAssignment, IncidentChange, RoutingRule
from .requests import BannedContact, Report, ReportPhoto, ReportStatusChange, new_photo_token

__all__ = [
    "DEFAULT_FUSION_RADIUS_M",
    "DEFAULT_FUSION_WINDOW_MINUTES",
    "MAX_FUSION_RADIUS_M",
    "Adoption",
    "AlertCategory",
    "Asset",
    "AttributeValue",
    "BannedContact",
    "CapSeverity",
    "CapUrgency",
    "Incident",
    "IncidentAssignment",
    "IncidentChange",
    "Report",
    "ReportFeedback",
    "ReportPhoto",
    "ReportStatusChange",
    "Review",
    "RewardPoint",
    "RoutingRule",
    "Service",
    "ServiceAttribute",
    "Severity",
    "new_photo_token",
]
