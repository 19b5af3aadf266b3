"""GENERATED citizen reports over the last week (source "generated", descriptions marked "[Generado]",
seed 2014), fused into incidents, and the operator's work on the older ones."""

import random
from datetime import timedelta

from django.utils import timezone

from mueve.accounts.models import User
from mueve.core.geo import M_PER_DEG_LAT
from mueve.reports import services
from mueve.reports.models import Incident, Report, Service
from mueve.territory.models import Jurisdiction

# Places where generated reports happen (commune, place, lat, lon, services most reported there).
HOTSPOTS = [
    (
        "Concepción",
        "Los Carrera con Paicaví",
        -36.8215,
        -73.0445,
        ["congestion", "accidente-transito", "semaforo-falla"],
    ),
    (
        "Concepción",
        "Chacabuco con Tucapel",
        -36.8305,
        -73.0455,
        ["semaforo-falla", "congestion", "paradero-vandalizado"],
    ),
    ("Concepción", "Plaza de la Independencia", -36.8270, -73.0503, ["luminaria-apagada", "bache", "senal-danada"]),
    ("Concepción", "Parque Ecuador", -36.8317, -73.0507, ["luminaria-apagada", "anegamiento", "bache"]),
    (
        "Concepción",
        "Acceso Puente Llacolén",
        -36.8340,
        -73.0620,
        ["congestion", "accidente-transito", "obstruccion-via"],
    ),
    ("Concepción", "Terminal Collao", -36.8020, -73.0350, ["congestion", "paradero-vandalizado", "bache"]),
    ("Concepción", "Avenida Los Carrera con Prat", -36.8235, -73.0570, ["anegamiento", "semaforo-falla", "congestion"]),
    ("Talcahuano", "Colón con Cruz", -36.7250, -73.1160, ["congestion", "accidente-transito", "luminaria-apagada"]),
    ("Talcahuano", "Plaza de Armas", -36.7140, -73.1135, ["luminaria-apagada", "bache", "senal-danada"]),
    (
        "Talcahuano",
        "Autopista Concepción–Talcahuano, Las Higueras",
        -36.7560,
        -73.0850,
        ["accidente-transito", "congestion"],
    ),
    ("San Pedro de la Paz", "Pedro Aguirre Cerda", -36.8430, -73.1000, ["congestion", "paradero-vandalizado", "bache"]),
    ("San Pedro de la Paz", "Los Batros", -36.8600, -73.1090, ["anegamiento", "bache", "luminaria-apagada"]),
    (
        "Hualpén",
        "Colón con Las Golondrinas",
        -36.7860,
        -73.0900,
        ["congestion", "semaforo-falla", "accidente-transito"],
    ),
    (
        "Chiguayante",
        "Manuel Rodríguez centro",
        -36.9170,
        -73.0290,
        ["luminaria-apagada", "congestion", "obstruccion-via"],
    ),
    ("Chiguayante", "Estación Chiguayante", -36.9250, -73.0260, ["anegamiento", "paradero-vandalizado", "bache"]),
]

DESCRIPTIONS = {
    "accidente-transito": ["Choque entre dos autos", "Colisión por alcance", "Moto caída en la pista", "Atropello"],
    "congestion": ["Taco enorme, no avanza", "Tránsito detenido hace 20 minutos", "Muy lento en ambos sentidos"],
    "semaforo-falla": ["Semáforo apagado", "Está en amarillo intermitente", "Cambia muy rápido, no alcanzan a cruzar"],
    "obstruccion-via": ["Camión en panne", "Árbol caído en la calzada", "Escombros en la pista derecha"],
    "anegamiento": ["Calle inundada", "El paso bajo nivel está con agua", "Agua hasta media rueda"],
    "luminaria-apagada": ["Poste apagado hace días", "La luz parpadea toda la noche", "Foco roto"],
    "paradero-vandalizado": ["Vidrio del paradero roto", "Rayaron el panel de recorridos", "Le falta el asiento"],
    "senal-danada": ["Señal PARE caída", "Señal girada, no se ve", "Falta la señal de ceda el paso"],
    "bache": ["Hoyo grande en la pista", "Bache profundo, peligroso para motos", "Hundimiento del pavimento"],
}
GENERATED_EVENTS = 110
GENERATED_SEED = 2014


def _attributes_for(code: str, rng: random.Random) -> dict:
    if code == "accidente-transito":
        return {
            "heridos": rng.choices(["si", "no", "no-se"], weights=[2, 6, 2])[0],
            "pistas-bloqueadas": str(rng.randint(0, 2)),
        }
    if code == "semaforo-falla":
        return {"falla": rng.choice(["apagado", "intermitente", "luz-quemada", "descoordinado"])}
    if code == "congestion":
        return {"nivel": rng.choice(["lento", "detenido"])}
    if code == "anegamiento":
        return {"profundidad": rng.choice(["charco", "rueda", "intransitable"])}
    return {}


def _generated_reports(jurisdiction: Jurisdiction) -> None:
    """A few hundred GENERATED reports over the last week (source=generated, marked in the description), fused
    into incidents as they arrive, and the operator's work on the older ones. Deterministic (seed 2014); loaded
    once: a second load finds them and changes nothing."""
    if Report.objects.filter(jurisdiction=jurisdiction, source=Report.Source.GENERATED).exists():
        return
    rng = random.Random(GENERATED_SEED)
    catalogue = Service.objects.filter(jurisdiction=jurisdiction).select_related("jurisdiction")
    by_code = {s.code: s for s in catalogue.prefetch_related("attributes__values")}
    citizen = User.objects.filter(username="ciudadana").first()
    operator = User.objects.filter(username="operadora").first()
    now = timezone.now().replace(second=0, microsecond=0)
    planned = []
    for event in range(GENERATED_EVENTS):
        _commune, place, lat, lon, codes = rng.choice(HOTSPOTS)
        code = rng.choice(codes)
        service = by_code[code]
        start = now - timedelta(minutes=rng.randint(30, 7 * 24 * 60))
        # A few reports per event, close in space and within the service's window: they fuse.
        for k in range(rng.choices([1, 2, 3, 4, 6, 8], weights=[4, 4, 3, 2, 1, 1])[0]):
            minutes = rng.uniform(0, min(service.fusion_window_minutes * 0.6, 90))
            spread = service.fusion_radius_m * 0.3 / M_PER_DEG_LAT
            planned.append(
                (
                    start + timedelta(minutes=minutes),
                    service,
                    lat + rng.uniform(-spread, spread),
                    lon + rng.uniform(-spread, spread),
                    place,
                    f"demo-{event}-{k}",
                )
            )
    planned.sort(key=lambda row: row[0])
    for i, (moment, service, lat, lon, place, device) in enumerate(planned):
        if moment > now:
            continue
        services.report_submit(
            service=service,
            lat=round(lat, 6),
            lon=round(lon, 6),
            address_string=place,
            description=f"[Generado] {rng.choice(DESCRIPTIONS[service.code])}.",
            attributes=_attributes_for(service.code, rng),
            device_id=device,
            reporter=citizen if citizen is not None and i % 23 == 0 else None,
            source=Report.Source.GENERATED,
            requested_at=moment,
        )
    if operator is None:
        return
    # The operator has worked the older incidents: most acknowledged, many resolved, a few discarded.
    for incident in Incident.objects.filter(jurisdiction=jurisdiction).order_by("opened_at", "pk"):
        age = now - incident.last_report_at
        roll = rng.random()
        if age < timedelta(hours=2) or roll < 0.15:
            continue
        if roll < 0.2:
            services.incident_reject(incident=incident, actor=operator, reason="invalid", note="No se encontró nada.")
            continue
        incident = services.incident_acknowledge(incident=incident, actor=operator)
        if age > timedelta(hours=12) and roll < 0.85:
            services.incident_resolve(incident=incident, actor=operator, note="Atendido por el organismo.")
        elif roll < 0.5:
            services.incident_dispatch(incident=incident, actor=operator)
