from django.core.management.base import BaseCommand, CommandError

from mueve.datasets.dcat import harvest
from mueve.datasets.models import HarvestSource


class Command(BaseCommand):
    help = (
        "Cosecha las fuentes activas cuyo intervalo (cada N horas) ya pasó; con --fuente, esa fuente ahora. "
        "Ejecútelo cada hora (cron o un temporizador de systemd)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fuente", help="id o nombre de una fuente: se cosecha ahora, aunque no le toque")

    def handle(self, *args, **options):
        if options["fuente"]:
            wanted = options["fuente"]
            query = HarvestSource.objects.filter(pk=int(wanted)) if wanted.isdigit() else None
            source = (query.first() if query is not None else None) or HarvestSource.objects.filter(name=wanted).first()
            if source is None:
                raise CommandError(f"No hay una fuente de cosecha «{wanted}».")
            runs = {source: harvest.harvest(source)}
        else:
            runs = harvest.harvest_due()
        if not runs:
            self.stdout.write("Ninguna fuente por cosechar.")
        failed = False
        for source, result in runs.items():
            if result["ok"]:
                self.stdout.write(
                    f"{source.name}: {result['created']} nuevos, {result['updated']} actualizados, "
                    f"{result['withdrawn']} retirados, {result['errors']} con errores ({result['seconds']} s)"
                )
            else:
                failed = True
                self.stderr.write(f"{source.name}: no se cosechó: {result['error']}")
        if failed:
            raise CommandError("Una o más fuentes no se pudieron cosechar.")
