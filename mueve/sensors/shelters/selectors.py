"""Reads of Refugio Inteligente: the shelters a person sees, a shelter's daily use of its Wi-Fi and USB chargers,
what its display shows (next arrivals and alerts at its stop), and vandalism per month before and after it
became smart."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mueve.accounts.scopes import jurisdiction_filter
from mueve.sensors.models import Rollup
from mueve.sensors.shelters.models import ModuleConditionChange, Shelter, ShelterHit, ShelterModule

USAGE_METRICS = {"wifiSessions": "wifi", "usbCharges": "usb"}
NEAR_DEG = 0.0004  # ~40 m: a report this close to a shelter, of its vandalism service, is about the shelter
DISPLAY_ARRIVALS = 8


def shelters_for(user) -> QuerySet[Shelter]:
    qs = Shelter.objects.select_related("jurisdiction", "maintainer", "feed", "service")
    if not user.has_perm("sensors.view_shelters"):
        return qs.none()
    ids = jurisdiction_filter(user)
    if ids is not None:
        qs = qs.filter(jurisdiction_id__in=ids)
    return qs.order_by("jurisdiction__name", "name")


def shelter_stop(shelter: Shelter):
    from mueve.transit.models import Stop

    if shelter.feed_id is None or not shelter.stop_id:
        return None
    return Stop.objects.select_related("feed").filter(feed_id=shelter.feed_id, stop_id=shelter.stop_id).first()


def modules_of(shelter: Shelter) -> list[ShelterModule]:
    modules = list(shelter.modules.prefetch_related("sensors__device").order_by("code"))
    for module in modules:
        module.devices = [s.device for s in module.sensors.all()]
    return modules


def condition_history(shelter: Shelter, limit: int = 30) -> list[ModuleConditionChange]:
    return list(
        ModuleConditionChange.objects.filter(module__shelter=shelter)
        .select_related("module", "actor", "hit")
        .order_by("-at", "-id")[:limit]
    )


def hits_of(shelter: Shelter, limit: int = 30) -> list[ShelterHit]:
    return list(
        ShelterHit.objects.filter(shelter=shelter)
        .select_related("module", "device", "incident")
        .order_by("-time")[:limit]
    )


# --- use per day -----------------------------------------------------------------------------------------------------


@dataclass
class DayUse:
    day: date
    wifi: int = 0
    usb: int = 0


def usage_by_day(shelter: Shelter, *, days: int = 14, today: date | None = None) -> list[DayUse]:
    """Wi-Fi sessions and USB charges per local day over the last `days` (most recent first): the sum of the
    readings of the sensors mounted on the shelter's modules (each reading counts the sessions or charges since the
    device's previous one), read from the hourly summaries."""
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    start = timezone.make_aware(datetime(first.year, first.month, first.day))
    end = timezone.make_aware(datetime(today.year, today.month, today.day)) + timedelta(days=1)
    rows = (
        Rollup.objects.filter(
            grain=Rollup.Grain.HOUR,
            metric__in=list(USAGE_METRICS),
            device__shelter_mount__module__shelter=shelter,
            start__gte=start,
            start__lt=end,
        )
        .values("metric", "start")
        .annotate(total=Sum("total"))
    )
    by_day = {first + timedelta(days=i): DayUse(first + timedelta(days=i)) for i in range(days)}
    for row in rows:
        use = by_day.get(timezone.localtime(row["start"]).date())
        if use is not None:
            attr = USAGE_METRICS[row["metric"]]
            setattr(use, attr, getattr(use, attr) + round(row["total"]))
    return sorted(by_day.values(), key=lambda u: u.day, reverse=True)


# --- the display -----------------------------------------------------------------------------------------------------


def _spoken_arrival(d, time_text: str) -> str:
    line = d.route.short_name or d.route.route_id
    to = d.headsign or d.route.long_name
    if d.minutes_away == 0:
        when = _("llegando")
    else:
        when = ngettext("en %(n)d minuto", "en %(n)d minutos", d.minutes_away) % {"n": d.minutes_away}
    how = _("en tiempo real") if d.realtime else _("según el horario, a las %(t)s") % {"t": time_text}
    return _("Línea %(line)s hacia %(to)s: %(when)s, %(how)s.") % {"line": line, "to": to, "when": when, "how": how}


def display_data(shelter: Shelter, *, now: datetime | None = None) -> dict:
    """What the shelter's screen shows, as plain data (the page renders it, and its script refreshes it from the
    same data as JSON): next arrivals at its stop, predicted where a bus runs the trip (the GTFS-Realtime trip
    update) and scheduled otherwise, the service alerts on its lines, modules riders rely on that are out of order,
    and the text the «Escuchar» button reads."""
    from mueve.transit import predictions
    from mueve.transit import selectors as transit

    now = now or timezone.now()
    stop = shelter_stop(shelter)
    arrivals, alerts = [], []
    tz = timezone.get_current_timezone()
    if stop is not None:
        tz = predictions.feed_tz(stop.feed)
        for d in predictions.stop_departures(stop, now=now, limit=DISPLAY_ARRIVALS):
            shown = timezone.localtime(d.shown_at, tz).strftime("%H:%M")
            scheduled = timezone.localtime(d.scheduled_at, tz).strftime("%H:%M")
            arrivals.append(
                {
                    "line": d.route.short_name or d.route.route_id,
                    "headsign": d.headsign or d.route.long_name,
                    "time": shown,
                    "scheduled": scheduled,
                    "minutes": d.minutes_away,
                    "when": _("llegando") if d.minutes_away == 0 else _("%(n)d min") % {"n": d.minutes_away},
                    "realtime": d.realtime,
                    "status": _("en tiempo real") if d.realtime else _("programado"),
                    "delay": (d.delay_text if not d.frequency_based else "")
                    if d.realtime
                    else (_("según frecuencia") if d.frequency_based else ""),
                    "spoken": _spoken_arrival(d, scheduled),
                }
            )
        seen = set()
        for route in transit.routes_at_stop(stop):
            for alert in transit.route_alerts(route):
                if alert.incident_id in seen:
                    continue
                seen.add(alert.incident_id)
                alerts.append({"header": alert.header, "description": alert.description, "spoken": alert.tts_header})
    notices = []
    for module in shelter.modules.filter(
        kind__in=[ShelterModule.Kind.WIFI, ShelterModule.Kind.USB, ShelterModule.Kind.SCREEN],
    ).exclude(condition=ShelterModule.Condition.OK):
        text = _("%(module)s de este refugio: %(condition)s. Ya se avisó a su mantenedor.") % {
            "module": module.name,
            "condition": module.get_condition_display().lower(),
        }
        notices.append(text)
    updated = timezone.localtime(now, tz).strftime("%H:%M")
    stop_name = (stop.name or stop.stop_id) if stop is not None else ""
    if arrivals:
        summary = _("Actualizado a las %(t)s. Próxima: línea %(line)s, %(when)s.") % {
            "t": updated,
            "line": arrivals[0]["line"],
            "when": _("llegando")
            if arrivals[0]["minutes"] == 0
            else ngettext("en %(n)d minuto", "en %(n)d minutos", arrivals[0]["minutes"])
            % {"n": arrivals[0]["minutes"]},
        }
    else:
        summary = _("Actualizado a las %(t)s. No hay llegadas en las próximas horas.") % {"t": updated}
    spoken_stop = (stop.tts_stop_name or stop_name) if stop is not None else "—"
    intro = _("%(shelter)s, parada %(stop)s.") % {"shelter": shelter.name, "stop": spoken_stop}
    spoken = [intro]
    spoken += [a["spoken"] for a in arrivals] or [_("No hay llegadas en las próximas horas.")]
    spoken += [a["spoken"] for a in alerts] + notices
    return {
        "shelter": shelter.name,
        "stop": stop_name,
        "updated": updated,
        "summary": summary,
        "arrivals": arrivals,
        "alerts": alerts,
        "notices": notices,
        "spoken": spoken,
    }


# --- vandalism before and after ------------------------------------------------------------------------------------


def shelter_incidents(shelter: Shelter):
    """The vandalism incidents of a shelter, from its sensors or from citizens: of its service, and with a hit of
    the shelter, a report on its bus stop, or located at it. Rejected, duplicate and merged ones are left out."""
    from mueve.reports.models import Incident

    near = Q(
        lat__gte=shelter.lat - NEAR_DEG,
        lat__lte=shelter.lat + NEAR_DEG,
        lon__gte=shelter.lon - NEAR_DEG,
        lon__lte=shelter.lon + NEAR_DEG,
    )
    about = near | Q(shelter_hits__shelter=shelter)
    if shelter.asset_id:
        about |= Q(reports__asset_id=shelter.asset_id)
    return (
        Incident.objects.filter(about, service_id=shelter.service_id)
        .exclude(status=Incident.Status.REJECTED)
        .exclude(resolution__in=[Incident.Resolution.DUPLICATE, Incident.Resolution.MERGED])
        .distinct()
    )


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> float:
    """Calendar months from `start` to `end` (exclusive), with the last partial month as a fraction."""
    if end <= start:
        return 0.0
    whole = (end.year - start.year) * 12 + end.month - start.month
    while whole > 0 and add_months(start, whole) > end:
        whole -= 1
    anchor = add_months(start, whole)
    days_in = (add_months(anchor, 1) - anchor).days
    return whole + (end - anchor).days / days_in


@dataclass
class MonthCount:
    month: date
    incidents: int
    after: bool


@dataclass
class ShelterFigures:
    shelter: Shelter
    before_start: date
    until: date
    before_incidents: int = 0
    after_incidents: int = 0
    before_months: float = 0.0
    after_months: float = 0.0
    months: list[MonthCount] = field(default_factory=list)

    @property
    def before_rate(self) -> float | None:
        return round(self.before_incidents / self.before_months, 2) if self.before_months else None

    @property
    def after_rate(self) -> float | None:
        return round(self.after_incidents / self.after_months, 2) if self.after_months else None

    @property
    def change_pct(self) -> float | None:
        if self.before_rate is None or self.after_rate is None or not self.before_rate:
            return None
        return round((self.after_rate - self.before_rate) / self.before_rate * 100, 1)


def vandalism_figures(shelters, *, until: date | None = None, months_before: int = 12) -> list[ShelterFigures]:
    """Per shelter: vandalism incidents per month over the `months_before` months before it became smart and from
    then to `until` (included), with the mean per month of each period."""
    until = until or timezone.localdate()
    out = []
    for shelter in shelters:
        start = add_months(shelter.smart_since, -months_before)
        end = until + timedelta(days=1)
        figures = ShelterFigures(shelter=shelter, before_start=start, until=until)
        figures.before_months = months_between(start, min(shelter.smart_since, end))
        figures.after_months = months_between(shelter.smart_since, end)
        opened = shelter_incidents(shelter).values_list("pk", "opened_at")
        per_month: dict[date, int] = {}
        lo = timezone.make_aware(datetime(start.year, start.month, start.day))
        hi = timezone.make_aware(datetime(end.year, end.month, end.day))
        for _pk, moment in opened.filter(opened_at__gte=lo, opened_at__lt=hi):
            day = timezone.localtime(moment).date()
            per_month[day.replace(day=1)] = per_month.get(day.replace(day=1), 0) + 1
            if day < shelter.smart_since:
                figures.before_incidents += 1
            else:
                figures.after_incidents += 1
        month = start.replace(day=1)
        while month <= until:
            # A month counts as «after» once the shelter was smart for all of it (the month it became smart is
            # split between both periods in the totals).
            figures.months.append(MonthCount(month, per_month.get(month, 0), month >= shelter.smart_since))
            month = add_months(month, 1)
        out.append(figures)
    return out


def vandalism_rows(figures: list[ShelterFigures]) -> list[dict]:
    """The per-month figures as rows (the CSV)."""
    rows = []
    for f in figures:
        for m in f.months:
            rows.append(
                {
                    "refugio": f.shelter.code,
                    "nombre": f.shelter.name,
                    "inteligente_desde": f.shelter.smart_since.isoformat(),
                    "mes": m.month.strftime("%Y-%m"),
                    "periodo": _("después") if m.after else _("antes"),
                    "incidentes": m.incidents,
                }
            )
    return rows


def incident_hit_evidence(incident) -> list[dict]:
    """The blows shelter sensors measured for an incident, one entry per sensor and metric with its readings, in
    the form of the rules' firings (the control centre's incident panel shows both)."""
    from mueve.sensors.metrics import METRICS

    groups: dict[tuple[int, str], list[ShelterHit]] = {}
    hits = ShelterHit.objects.filter(incident=incident).select_related("device", "module", "shelter")
    for hit in hits.order_by("time", "id"):
        groups.setdefault((hit.device_id, hit.metric), []).append(hit)
    rows = []
    for (_device, metric), group in groups.items():
        first = group[0]
        label = METRICS[metric].label if metric in METRICS else metric
        rows.append(
            {
                "device": first.device.uid,
                "device_name": first.device.name,
                "rule": _("Refugio Inteligente: %(shelter)s") % {"shelter": first.shelter.name},
                "condition": _("golpes en el módulo «%(module)s»") % {"module": first.module.name},
                "metric_label": label,
                "started_at": first.time.isoformat(),
                "ended_at": group[-1].time.isoformat(),
                "readings": [{"time": h.time.isoformat(), "value": h.value, "unit": h.unit} for h in group[-30:]],
            }
        )
    return rows
