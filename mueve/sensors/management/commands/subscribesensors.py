from django.core.management.base import BaseCommand

from mueve.sensors import mqtt


class Command(BaseCommand):
    help = "Lee las lecturas de los dispositivos desde el broker MQTT (MUEVE_MQTT_URL) y las guarda."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="", help="mqtt://host:puerto (por omisión MUEVE_MQTT_URL)")

    def handle(self, *args, **options):
        mqtt.run_forever(options["url"] or None)
