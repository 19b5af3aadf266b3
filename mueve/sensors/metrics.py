"""The metrics devices may report: each with its unit (UCUM/SenML symbol), its valid range, and how long its
readings are kept. A reading in another unit, or outside the range, is refused and kept apart (RejectedReading).

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
