from django.core.management.base import BaseCommand

from mueve.visual_checks import services


class Command(BaseCommand):
    help = "Borra el material de verificación visual vencido según la retención de cada jurisdicción."

    def handle(self, *args, **options):
        removed = services.footage_prune()
        self.stdout.write(f"{removed} archivo(s) de material eliminados.")
