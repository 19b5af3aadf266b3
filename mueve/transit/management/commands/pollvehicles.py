import time
import urllib.error
import urllib.request

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mueve.transit import services
from mueve.transit.models import Feed

MAX_BYTES = 20 * 1024 * 1024


class Command(BaseCommand):
    help = "Lee periódicamente un feed GTFS-Realtime VehiclePositions desde una URL y guarda las posiciones."

    def add_arguments(self, parser):
        parser.add_argument("--feed", required=True)
        parser.add_argument("--url", required=True)
        parser.add_argument("--interval", type=float, default=15.0)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, **opts):
        feed = Feed.objects.filter(slug=opts["feed"], imported_at__isnull=False).first()
        if feed is None:
            raise CommandError(f"No hay un feed importado «{opts['feed']}».")
        if not opts["url"].startswith(("http://", "https://")):
            raise CommandError("La URL debe empezar con http:// o https://")
        while True:
            try:
                with urllib.request.urlopen(opts["url"], timeout=30) as resp:
                    data = resp.read(MAX_BYTES + 1)
                if len(data) > MAX_BYTES:
                    raise ValidationError({"body": ["El feed supera 20 MB."]})
                stored = services.vehicle_positions_ingest(actor=None, feed=feed, data=data)
                self.stdout.write(f"{stored} vehículos")
            except (urllib.error.URLError, OSError, ValidationError) as exc:
                # A poller must survive a bad minute of the source: report and try again.
                self.stderr.write(f"Error al leer {opts['url']}: {exc}")
                if opts["once"]:
                    raise CommandError(str(exc)) from exc
            if opts["once"]:
                return
            time.sleep(opts["interval"])
