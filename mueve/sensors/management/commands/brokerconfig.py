from pathlib import Path

from django.core.management.base import BaseCommand

from mueve.sensors import broker


class Command(BaseCommand):
    help = "Escribe la configuración de Mosquitto (usuarios, ACL) generada desde el registro de dispositivos."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="carpeta donde escribir mosquitto.conf, passwords y acl")
        parser.add_argument("--port", type=int, default=1883)

    def handle(self, *args, **options):
        conf = broker.write_files(Path(options["directory"]), port=options["port"])
        self.stdout.write(f"Configuración escrita: {conf}  (mosquitto -c {conf})")
