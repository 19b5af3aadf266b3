"""Transit feeds: one dataset per imported GTFS feed, with the static GTFS (a zip written each day from the
feed's tables, as `/transporte/<feed>/gtfs.zip` exports it) and the three GTFS-Realtime feeds the platform serves
live (trip updates, vehicle positions, service alerts)."""

import io
import zipfile
from datetime import datetime

from django.db.models import Max, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mueve.datasets.models import Distribution, Periodicity, Theme
from mueve.datasets.models.vocab import license_from_text
from mueve.datasets.own_data.base import LICENSE, GeneratedFile, Link, Spec, lead_organization, site_url
from mueve.transit import selectors as transit_selectors
from mueve.transit.models import Feed

PREFIX = "gtfs"

REALTIME = [
    (
        "transit:trip_updates_feed",
        gettext_lazy("GTFS-Realtime: actualizaciones de viajes"),
        gettext_lazy(
            "Llegadas previstas de cada viaje en curso (TripUpdates, protocol buffers; añada ?format=json para JSON)."
        ),
    ),
    (
        "transit:vehicles_feed",
        gettext_lazy("GTFS-Realtime: posiciones de vehículos"),
        gettext_lazy("Dónde va cada bus en este momento (VehiclePositions, protocol buffers; ?format=json para JSON)."),
    ),
    (
        "transit:alerts_feed",
        gettext_lazy("GTFS-Realtime: alertas de servicio"),
        gettext_lazy("Desvíos y cortes por incidentes confirmados en el recorrido (Alerts, protocol buffers)."),
    ),
]


def generator_of(feed: Feed) -> str:
    return f"{PREFIX}:{feed.pk}"


def _feed_of(generator: str) -> Feed | None:
    prefix, _sep, pk = generator.partition(":")
    if prefix != PREFIX or not pk.isdigit():
        return None
    return transit_selectors.feeds_with_data().filter(pk=int(pk)).first()


def spec(generator: str) -> Spec | None:
    feed = _feed_of(generator)
    return _spec(feed) if feed is not None else None


def keys() -> list[str]:
    return [generator_of(feed) for feed in transit_selectors.feeds_with_data()]


def changed_since(generator: str, moment: datetime) -> bool:
    feed = _feed_of(generator)
    return feed is not None and (feed.imported_at > moment or feed.updated_at > moment)


def _spec(feed: Feed) -> Spec | None:
    publisher = feed.agency or lead_organization()
    if publisher is None:
        return None
    licence = license_from_text(feed.licence) or LICENSE
    description = _(
        "La red de transporte público «%(name)s» en GTFS (rutas, paradas, horarios, recorridos) y sus flujos "
        "GTFS-Realtime en vivo. El archivo GTFS se regenera cada día desde los datos de la plataforma."
    ) % {"name": feed.name}
    if feed.licence and license_from_text(feed.licence) == "":
        description += " " + _("Licencia declarada por el origen: %(licence)s.") % {"licence": feed.licence}
    if feed.illustrative:
        description += " " + _("Red de ejemplo: no es un servicio real.")
    distributions: list = [
        GeneratedFile(
            position=0,
            title=_("GTFS (horarios programados)"),
            description=_("Archivo zip según la referencia GTFS Schedule."),
            format="GTFS",
            filename=f"{feed.slug}-gtfs.zip",
            content=stable_zip(transit_selectors.export_zip(feed)),
        )
    ]
    for position, (route, title, text) in enumerate(REALTIME, start=1):
        distributions.append(
            Link(
                position=position,
                title=str(title),
                description=str(text),
                kind=Distribution.Kind.FEED,
                format="BIN",
                url=site_url(reverse(route, args=[feed.slug])),
            )
        )
    return Spec(
        generator=generator_of(feed),
        title=_("Transporte público: %(name)s (GTFS y GTFS-Realtime)") % {"name": feed.name},
        slug=f"gtfs-{feed.slug}",
        description=description,
        publisher=publisher,
        keyword=_("GTFS, GTFS-Realtime, transporte público, buses, horarios, paradas"),
        themes=",".join([Theme.TRAN, Theme.REGI]),
        periodicity=Periodicity.DAILY,
        jurisdiction=feed.jurisdiction,
        bbox=_bbox(feed),
        landing_page=site_url(reverse("transit:home")),
        version=feed.version[:40],
        license=licence,
        keep_publisher=feed.agency is None,
        distributions=distributions,
    )


def _bbox(feed: Feed) -> tuple[float, float, float, float] | None:
    box = feed.stops.filter(Q(lat__isnull=False) & Q(lon__isnull=False)).aggregate(
        w=Min("lon"), s=Min("lat"), e=Max("lon"), n=Max("lat")
    )
    return None if box["w"] is None else (box["w"], box["s"], box["e"], box["n"])


def stable_zip(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01: the export stamps entries with the time of writing, and an
    unchanged feed must give the same bytes (and checksum), or each run would write a new file."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry))
    return out.getvalue()
