import time

from django.core.management.base import BaseCommand, CommandError

from mueve.sensors.models import Device
from mueve.sensors.simulator import SIMULATED_KINDS, simulate


class Command(BaseCommand):
    help = (
        "Datos SIMULADOS de las luminarias y contadores de tránsito de la demostración, enviados por la misma "
        "ingesta que los dispositivos reales (las reglas se evalúan sobre ellos)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--device", action="append", default=[], help="solo este dispositivo (repetible)")
        parser.add_argument("--night-outage", action="append", default=[], metavar="UID", help="luminaria apagada")
        parser.add_argument("--jam", action="append", default=[], metavar="UID", help="contador con congestión")
        parser.add_argument("--minutes", type=int, default=1, help="minutos de lecturas por envío (hacia atrás)")
        parser.add_argument("--interval", type=float, default=60.0, help="segundos entre envíos")
        parser.add_argument("--once", action="store_true", help="un solo envío")

    def handle(self, *args, **opts):
        devices = Device.objects.filter(kind__in=SIMULATED_KINDS, status=Device.Status.ACTIVE)
        if opts["device"]:
            devices = devices.filter(uid__in=opts["device"])
        devices = list(devices)
        known = {d.uid for d in devices}
        unknown = sorted(set(opts["night_outage"] + opts["jam"]) - known)
        if unknown:
            raise CommandError(f"Dispositivos desconocidos o inactivos: {', '.join(unknown)}.")
        if not devices:
            raise CommandError("No hay luminarias ni contadores activos que simular.")
        if not 1 <= opts["minutes"] <= 24 * 60:
            raise CommandError("--minutes debe estar entre 1 y 1440.")
        while True:
            outcome = simulate(
                devices=devices, minutes=opts["minutes"], outages=set(opts["night_outage"]), jams=set(opts["jam"])
            )
            self.stdout.write(
                f"Datos simulados: {outcome.stored} lecturas de {len(devices)} dispositivos "
                f"({outcome.duplicates} repetidas, {outcome.rejected} rechazadas)."
            )
            if opts["night_outage"]:
                self.stdout.write(f"Apagón simulado de noche en: {', '.join(opts['night_outage'])}.")
            if opts["once"]:
                return
            time.sleep(opts["interval"])
