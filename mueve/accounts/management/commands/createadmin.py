import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mueve.accounts.models import Role
from mueve.accounts.services import user_create


class Command(BaseCommand):
    help = "Crea un administrador de la plataforma (usa MUEVE_ADMIN_PASSWORD si está definida)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")

    def handle(self, *args, **options):
        password = os.environ.get("MUEVE_ADMIN_PASSWORD")
        if not password:
            if not os.isatty(0):
                raise CommandError("Defina MUEVE_ADMIN_PASSWORD o ejecute el comando en una terminal.")
            password = getpass.getpass("Contraseña: ")
            if password != getpass.getpass("Repita la contraseña: "):
                raise CommandError("Las contraseñas no coinciden.")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        try:
            user = user_create(username=options["username"], email=options["email"], password=password, role=Role.ADMIN)
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        self.stdout.write(self.style.SUCCESS(f"Administrador {user.username} creado."))
