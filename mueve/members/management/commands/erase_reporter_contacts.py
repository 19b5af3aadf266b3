from django.conf import settings
from django.core.management.base import BaseCommand

from mueve.reports.services import reporter_contacts_expire


class Command(BaseCommand):
    help = (
        "Borra los datos de contacto (nombre, correo, teléfono, dispositivo) de los reportes cerrados hace más de "
        "MUEVE_REPORTER_CONTACT_RETENTION_DAYS días. Conviene ejecutarlo una vez al día."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Días de retención (por omisión, el ajuste).")

    def handle(self, *args, days=None, **options):
        days = settings.MUEVE_REPORTER_CONTACT_RETENTION_DAYS if days is None else days
        if days < 1:
            self.stderr.write("--days debe ser 1 o más.")
            return
        count = reporter_contacts_expire(days=days)
        self.stdout.write(f"reportes con datos de contacto borrados: {count} (retención: {days} días)")
