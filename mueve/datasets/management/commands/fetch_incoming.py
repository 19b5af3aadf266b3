from django.core.management.base import BaseCommand

from mueve.datasets.incoming import services


class Command(BaseCommand):
    help = (
        "Descarga las URL de datos entrantes cuya próxima descarga ya venció y publica cada versión que pase las "
        "revisiones (correr cada pocos minutos, desde cron o un temporizador de systemd)."
    )

    def handle(self, *args, **options):
        versions = services.fetch_due()
        for version in versions:
            self.stdout.write(
                f"{version.source.title}: versión {version.number} {version.get_status_display().lower()}"
            )
            for e in version.errors[:3]:
                self.stdout.write(f"  {e['message']}")
        accepted = sum(1 for v in versions if v.accepted)
        self.stdout.write(
            f"descargadas: {len(versions)}, aceptadas: {accepted}, rechazadas: {len(versions) - accepted}"
        )
