from django.core.management.base import BaseCommand

from mueve.sensors.services.rules import rules_evaluate_absence


class Command(BaseCommand):
    help = "Evalúa las reglas de ausencia de datos de los sensores (cada minuto, desde cron)."

    def handle(self, *args, **options):
        fired = rules_evaluate_absence()
        self.stdout.write(f"Reglas de ausencia evaluadas: {fired} activación(es) nueva(s).")
