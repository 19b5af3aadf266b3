from django.core.management.base import BaseCommand

from mueve.datasets.services.agreements import agreements_expire


class Command(BaseCommand):
    help = (
        "Guarda como vencidos los convenios de datos vigentes cuya fecha de término ya pasó (ejecútelo a diario; "
        "mientras tanto el catálogo ya los trata como vencidos)."
    )

    def handle(self, *args, **options):
        count = agreements_expire()
        self.stdout.write(f"convenios vencidos: {count}")
