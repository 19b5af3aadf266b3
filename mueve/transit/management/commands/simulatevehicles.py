import time

from django.core.management.base import BaseCommand, CommandError

from mueve.transit.models import Feed
from mueve.transit.simulator import simulate_once


class Command(BaseCommand):
    help = "Mueve buses simulados por los recorridos del feed según su horario (posiciones GTFS-Realtime)."

    def add_arguments(self, parser):
        parser.add_argument("--feed", required=True)
        parser.add_argument("--interval", type=float, default=5.0, help="segundos entre actualizaciones")
        parser.add_argument("--once", action="store_true", help="una sola actualización")

    def handle(self, *args, **opts):
        feed = Feed.objects.filter(slug=opts["feed"], imported_at__isnull=False).first()
        if feed is None:
            raise CommandError(f"No hay un feed importado «{opts['feed']}».")
        while True:
            stored = simulate_once(feed)
            self.stdout.write(f"{stored} vehículos simulados en «{feed.slug}»")
            if opts["once"]:
                return
            time.sleep(opts["interval"])
