import time

from django.core.management.base import BaseCommand, CommandError

from mueve.sensors.shelters.models import ModuleSensor
from mueve.sensors.shelters.simulator import simulate_shelters


class Command(BaseCommand):
    help = (
        "Datos SIMULADOS de los refugios inteligentes de la demostración (sesiones Wi-Fi, cargas USB, vibraciones y "
        "golpes), enviados por la misma ingesta que los dispositivos reales."
    )

    def add_arguments(self, parser):
        parser.add_argument("--golpe", action="append", default=[], metavar="UID", help="sensor que recibe un golpe")
        parser.add_argument("--minutes", type=int, default=1, help="minutos de lecturas por envío (hacia atrás)")
        parser.add_argument("--interval", type=float, default=60.0, help="segundos entre envíos")
        parser.add_argument("--once", action="store_true", help="un solo envío")

    def handle(self, *args, **opts):
        mounts = list(ModuleSensor.objects.select_related("module", "device"))
        if not mounts:
            raise CommandError("No hay sensores montados en refugios que simular.")
        unknown = sorted(set(opts["golpe"]) - {m.device.uid for m in mounts})
        if unknown:
            raise CommandError(f"Sensores de refugio desconocidos: {', '.join(unknown)}.")
        if not 1 <= opts["minutes"] <= 24 * 60:
            raise CommandError("--minutes debe estar entre 1 y 1440.")
        blows = set(opts["golpe"])
        while True:
            outcome = simulate_shelters(mounts=mounts, minutes=opts["minutes"], blows=blows)
            self.stdout.write(
                f"Datos simulados de refugios: {outcome.stored} lecturas de {len(mounts)} sensores "
                f"({outcome.duplicates} repetidas, {outcome.rejected} rechazadas)."
            )
            if blows:
                self.stdout.write(f"Golpe simulado en: {', '.join(sorted(blows))}.")
                blows = set()  # one blow, not one a minute
            if opts["once"]:
                return
            time.sleep(opts["interval"])
