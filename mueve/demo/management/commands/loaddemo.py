from django.core.management.base import BaseCommand

from mueve.demo.loader import load_demo
from mueve.demo.reports import DEMO_API_KEY


class Command(BaseCommand):
    help = "Carga (o actualiza) los datos de demostración de Gran Concepción."

    def handle(self, *args, **options):
        demo_accounts = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo de Gran Concepción cargada."))
        self.stdout.write("")
        self.stdout.write("Cuentas de demostración (usuario / contraseña — rol):")
        for account in demo_accounts:
            hint = f" ({account.hint})" if account.hint else ""
            self.stdout.write(f"  {account.username:<14} / {account.password:<10} — {account.role_label}{hint}")
        self.stdout.write("")
        self.stdout.write("Clave de API Open311 de demostración (api_key), para /open311/v2/:")
        self.stdout.write(f"  {DEMO_API_KEY}")
        self.stdout.write("")
