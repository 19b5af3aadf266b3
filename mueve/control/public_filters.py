"""The public incident map's filters (its GET form and its GeoJSON share them) and its legend's choices."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.control.selectors import ACTIVE
from mueve.reports import selectors as report_selectors
from mueve.reports.models import Incident, Service
from mueve.territory.models import Area

PUBLIC_PERIODS = {"24h": 24, "7d": 24 * 7, "30d": 24 * 30}
PUBLIC_STATUSES = tuple(value for value in Incident.Status.values if value != Incident.Status.REJECTED)


@dataclass
class PublicFilters:
    """The public map's filters, from its GET form (the same names in the page and in its GeoJSON)."""

    category: str = ""  # a service code
    municipality: int | None = None  # a territory Area id
    status: str = "active"  # "active", "all" or one public status
    period: str = ""  # a PUBLIC_PERIODS key; empty: any time

    @classmethod
    def from_query(cls, data) -> tuple["PublicFilters", dict[str, list[str]]]:
        errors: dict[str, list[str]] = {}
        filters = cls(category=(data.get("category") or "").strip()[:40])
        raw = (data.get("municipality") or "").strip()
        if raw:
            if raw.isascii() and raw.isdigit() and len(raw) < 12:
                filters.municipality = int(raw)
            else:
                errors["municipality"] = [_("Elija una comuna de la lista.")]
        status = (data.get("status") or "active").strip()
        if status not in {"active", "all", *PUBLIC_STATUSES}:
            errors["status"] = [_("Elija un estado de la lista.")]
            status = "active"
        filters.status = status
        period = (data.get("period") or "").strip()
        if period and period not in PUBLIC_PERIODS:
            errors["period"] = [_("Elija un periodo de la lista.")]
            period = ""
        filters.period = period
        return filters, errors

    def query(self, *, now: datetime | None = None) -> dict:
        """Keyword arguments of `public_features` / `public_incidents`."""
        found: dict = {}
        if self.category:
            found["category"] = self.category
        if self.municipality is not None:
            found["area_id"] = self.municipality
        if self.status == "active":
            found["statuses"] = ACTIVE
        elif self.status != "all":
            found["statuses"] = (self.status,)
        if self.period:
            found["since"] = (now or timezone.now()) - timedelta(hours=PUBLIC_PERIODS[self.period])
        return found

    def params(self) -> dict[str, str]:
        """The filters as GET parameters (for the GeoJSON the page's script follows), empty ones left out."""
        values = {
            "category": self.category,
            "municipality": "" if self.municipality is None else str(self.municipality),
            "status": self.status,  # always: the GeoJSON's own default is every status
            "period": self.period,
        }
        return {key: value for key, value in values.items() if value}


def public_filter_choices() -> dict:
    """The public map's filter options and legend: categories with their pictogram, areas, statuses, periods."""
    seen: dict[str, dict] = {}
    for code, name, alert_category in (
        Service.objects.filter(active=True).order_by("name").values_list("code", "name", "alert_category")
    ):
        seen.setdefault(
            code,
            {
                "code": code,
                "name": name,
                "icon": report_selectors.service_icon(code=code, alert_category=alert_category),
            },
        )
    return {
        "categories": list(seen.values()),
        "municipalities": list(Area.objects.order_by("name").values_list("id", "name")),
        "statuses": [("active", _("En curso")), ("all", _("Todos"))]
        + [(value, label) for value, label in Incident.Status.choices if value in PUBLIC_STATUSES],
        "periods": [
            ("", _("Cualquier fecha")),
            ("24h", _("Últimas 24 horas")),
            ("7d", _("Últimos 7 días")),
            ("30d", _("Últimos 30 días")),
        ],
    }
