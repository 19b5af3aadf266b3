from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from mueve.transit import services
from mueve.transit.models import Feed, FeedImport


class Command(BaseCommand):
    help = "Importa un zip GTFS en un feed (lo crea si no existe), con informe de validación."

    def add_arguments(self, parser):
        parser.add_argument("zip", type=Path)
        parser.add_argument("--feed", required=True, help="identificador (slug) del feed")
        parser.add_argument("--name", default="", help="nombre del feed si hay que crearlo")
        parser.add_argument("--licence", default="")

    def handle(self, *args, **opts):
        path: Path = opts["zip"]
        if not path.is_file():
            raise CommandError(f"No existe el archivo {path}")
        feed = Feed.objects.filter(slug=opts["feed"]).first()
        if feed is None:
            feed = services.feed_create(
                actor=None, name=opts["name"] or opts["feed"], slug=opts["feed"], licence=opts["licence"]
            )
        record = services.feed_import(actor=None, feed=feed, file=path, filename=path.name)
        for issue in record.issues.all():
            where = ":".join(str(p) for p in (issue.file, issue.row, issue.field) if p not in ("", None))
            self.stdout.write(f"{issue.severity.upper():8} {where:40} {issue.message}")
        if record.status == FeedImport.Status.FAILED:
            n = len(record.issues.all())
            raise CommandError(
                ngettext(
                    "Importación rechazada: %(n)d problema; el feed no cambió.",
                    "Importación rechazada: %(n)d problemas; el feed no cambió.",
                    n,
                )
                % {"n": n}
            )
        self.stdout.write(self.style.SUCCESS(f"Feed «{feed.slug}» importado: {record.counts}"))
