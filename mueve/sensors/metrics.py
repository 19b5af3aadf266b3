"""The metrics devices may report: each with its unit (UCUM/SenML symbol), its valid range, and how long its
raw readings are kept (`retention_days`: `mueve prunesensors` deletes older ones). A reading in another unit, or
outside the range, is refused and kept apart (RejectedReading).

Names follow the Smart Data Models' attribute names, so the NGSI-LD entities carry them unchanged:
Streetlight (powerState as power and illuminance), TrafficFlowObserved (intensity, averageVehicleSpeed,
occupancy), the bicycle rack's slots (weight, locked), the shelter's modules (impact, glassBreak, wifiSessions,
usbCharges).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    name: str
    unit: str  # the SenML / UCUM symbol a reading must carry, when it carries one
    low: float
    high: float
    retention_days: int
    label: str


METRICS = {
    m.name: m
    for m in [
        Metric("power", "W", 0, 10_000, 400, "Potencia"),
        Metric("illuminance", "lx", 0, 200_000, 400, "Iluminancia"),
        Metric("intensity", "1/h", 0, 20_000, 400, "Flujo vehicular (vehículos por hora)"),
        Metric("averageVehicleSpeed", "km/h", 0, 250, 400, "Velocidad media"),
        Metric("occupancy", "%", 0, 100, 400, "Ocupación"),
        Metric("weight", "kg", 0, 500, 90, "Peso"),
        Metric("locked", "1", 0, 1, 90, "Candado cerrado"),
        Metric("impact", "m/s2", 0, 1_000, 730, "Impacto"),
        Metric("glassBreak", "1", 0, 1, 730, "Rotura de vidrio"),
        Metric("wifiSessions", "1", 0, 100_000, 730, "Sesiones Wi-Fi"),
        Metric("usbCharges", "1", 0, 100_000, 730, "Cargas USB"),
        Metric("temperature", "Cel", -60, 80, 400, "Temperatura"),
    ]
}

# Summaries outlive the raw readings: the minute rollups are kept ROLLUP_MINUTE_FACTOR times the metric's
# retention, the hourly ones ROLLUP_HOUR_DAYS (ten years: a before/after comparison of a shelter or a street
# needs years of history, at 24 rows a day per device and metric).
ROLLUP_MINUTE_FACTOR = 2
ROLLUP_HOUR_DAYS = 3650
# A metric no longer defined here keeps its readings as long as the longest-kept metric.
LONGEST_RETENTION_DAYS = max(m.retention_days for m in METRICS.values())


def retention_days(metric: str) -> int:
    known = METRICS.get(metric)
    return known.retention_days if known else LONGEST_RETENTION_DAYS


def retention_table() -> list[dict]:
    """Each metric with how long its raw readings, minute summaries and hourly summaries are kept (days)."""
    return [
        {
            "name": m.name,
            "label": m.label,
            "unit": m.unit,
            "raw_days": m.retention_days,
            "minute_days": m.retention_days * ROLLUP_MINUTE_FACTOR,
            "hour_days": ROLLUP_HOUR_DAYS,
        }
        for m in sorted(METRICS.values(), key=lambda m: m.label)
    ]
