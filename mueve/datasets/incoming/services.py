"""Writes of incoming data: a file received (uploaded or fetched) becomes a version; an accepted one is published in
one transaction (datastore swap, distribution's file and metadata, dataset's data_modified), a rejected one is kept
with its errors and changes nothing that was published."""

import logging
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.core.permissions import ensure_perm
from mueve.datasets import datastore
from mueve.datasets.incoming import checks, fetch, validation
from mueve.datasets.incoming.errors import Refused, error
from mueve.datasets.incoming.receive import Received
from mueve.datasets.models import Dataset, Distribution, IncomingSource, IncomingVersion

log = logging.getLogger(__name__)
PERM = "datasets.upload_incoming"
DELIMITER_NAMES = {"\t": "tab"}


def source_for(*, actor, dataset: Dataset, distribution: Distribution | None = None, title: str = "") -> IncomingSource:
    """The incoming entry of an existing distribution of `dataset`, or a new entry titled `title` (its distribution
    is created with its first accepted version)."""
    ensure_perm(actor, PERM, dataset)
    if distribution is not None:
        if distribution.dataset_id != dataset.pk:
            raise ValidationError({"distribution": [_("La distribución no es de este conjunto de datos.")]})
        source, _created = IncomingSource.objects.get_or_create(
            distribution=distribution, defaults={"dataset": dataset, "title": distribution.title}
        )
        return source
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Indique el título de la nueva distribución.")]})
    return IncomingSource.objects.create(dataset=dataset, title=title[:200])


def schema_set(*, actor, source: IncomingSource, descriptor: dict) -> None:
    """The steward's own Table Schema: later versions are checked against it."""
    ensure_perm(actor, PERM, source.dataset)
    try:
        kept = validation.check_schema(descriptor)
    except Refused as exc:
        raise ValidationError({"schema": [e["message"] for e in exc.errors]}) from exc
    source.table_schema = kept
    source.schema_origin = IncomingSource.SchemaOrigin.PROVIDED
    source.save(update_fields=["table_schema", "schema_origin", "updated_at"])


def url_register(*, actor, source: IncomingSource, url: str, every_hours: int) -> None:
    ensure_perm(actor, PERM, source.dataset)
    problem = fetch.url_problem(url)
    errors = {}
    if problem:
        errors["url"] = [problem]
    if not isinstance(every_hours, int) or not 1 <= every_hours <= 24 * 31:
        errors["every_hours"] = [_("Indique cada cuántas horas descargar (de 1 a 744).")]
    if errors:
        raise ValidationError(errors)
    source.url = url
    source.every_hours = every_hours
    source.next_fetch_at = timezone.now()
    source.save(update_fields=["url", "every_hours", "next_fetch_at", "updated_at"])


def _next_number(source: IncomingSource) -> int:
    return (source.versions.aggregate(top=Max("number"))["top"] or 0) + 1


def _publish(
    source: IncomingSource, version: IncomingVersion, checked: checks.Checked, written: list[str]
) -> list[str]:
    """Inside the caller's transaction: the datastore swap, the distribution's file and metadata, the dataset's
    data_modified. Returns the storage names of files replaced (deleted after commit)."""
    dataset = source.dataset
    distribution = source.distribution
    if distribution is None:
        distribution = Distribution.objects.create(
            dataset=dataset,
            title=source.title,
            kind=Distribution.Kind.FILE,
            position=dataset.distributions.count(),
        )
        source.distribution = distribution
    replaced = [distribution.file.name] if distribution.file else []
    if checked.tabular:
        count = datastore.load(
            distribution,
            validation.datastore_fields(checked.schema),
            validation.rows(checked.csv_path, checked.delimiter, checked.schema),
        )
        version.row_count = count
    elif distribution.datastore_table:
        datastore.drop(distribution)
    with checked.publish_path.open("rb") as f:
        distribution.file.save(checked.publish_name, File(f), save=False)
    written.append(distribution.file.name)
    distribution.format = checked.format
    distribution.media_type = checked.media_type
    distribution.byte_size = distribution.file.size
    distribution.checksum_sha256 = _sha256(checked.publish_path)
    distribution.save()
    if checked.tabular and checked.schema_inferred and not source.table_schema:
        source.table_schema = checked.schema
        source.schema_origin = IncomingSource.SchemaOrigin.INFERRED
    source.save()
    Dataset.objects.filter(pk=dataset.pk).update(data_modified=timezone.now(), updated_at=timezone.now())
    return replaced


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def receive(
    *,
    actor,
    source: IncomingSource,
    received: Received | None,
    refused: Refused | None = None,
    origin: str = IncomingVersion.Origin.UPLOAD,
    url: str = "",
    name: str = "",
) -> IncomingVersion:
    """Records a version of `source` from a received file (or from a refusal that came before the file was whole)
    and publishes it if every check passes. `actor` is None for a scheduled fetch. The received file is consumed."""
    if actor is not None or origin == IncomingVersion.Origin.UPLOAD:
        ensure_perm(actor, PERM, source.dataset)
    checked = None
    try:
        if received is not None and refused is None:
            try:
                checked = checks.run(received, schema=source.table_schema)
            except Refused as exc:
                refused = exc
        return _record(source, actor, received, checked, refused, origin, url, name)
    finally:
        if checked is not None:
            checked.discard()
        if received is not None:
            received.discard()


def _record(source, actor, received, checked, refused, origin, url, name) -> IncomingVersion:
    kept: list[str] = []  # the version's own copy of the file (incoming storage)
    published: list[str] = []  # the distribution's new file (default storage)
    try:
        return _record_in_transaction(source, actor, received, checked, refused, origin, url, name, kept, published)
    except BaseException:
        # Nothing was recorded: no file may outlive the rolled-back rows.
        _delete_files(published)
        if kept:
            IncomingVersion.source_file.field.storage.delete(kept[0])
        raise


def _record_in_transaction(source, actor, received, checked, refused, origin, url, name, kept, published):
    with transaction.atomic():
        source = (
            IncomingSource.objects.select_for_update(of=("self",))
            .select_related("dataset", "distribution")
            .get(pk=source.pk)
        )
        version = IncomingVersion(
            source=source,
            number=_next_number(source),
            origin=origin,
            uploaded_by=actor,
            original_name=(received.name if received else name)[:255],
            url=url,
            byte_size=received.size if received else None,
            checksum_sha256=received.sha256 if received else "",
        )
        if received is not None:
            with received.path.open("rb") as f:
                version.source_file.save(received.name, File(f), save=False)
            kept.append(version.source_file.name)
        if checked is not None:
            version.format = checked.format
            version.encoding = checked.encoding
            version.delimiter = DELIMITER_NAMES.get(checked.delimiter, checked.delimiter)
            version.row_count = checked.row_count
            version.warnings = checked.warnings
            try:
                with transaction.atomic():
                    replaced = _publish(source, version, checked, published)
            except (DatabaseError, ValueError, OSError) as exc:
                _delete_files(published)
                published.clear()
                log.exception("incoming: version %s of source %s could not be published", version.number, source.pk)
                refused = Refused.one(
                    _("No se pudo cargar la versión en el almacén de datos: %(detail)s") % {"detail": exc}
                )
                source.refresh_from_db()
            else:
                transaction.on_commit(lambda: _delete_files(replaced))
        if refused is not None:
            if checked is None:
                version.format = refused.facts.get("format", "")
                version.encoding = refused.facts.get("encoding", "")
                version.delimiter = DELIMITER_NAMES.get(
                    refused.facts.get("delimiter", ""), refused.facts.get("delimiter", "")
                )
            version.status = IncomingVersion.Status.REJECTED
            version.errors = refused.errors
            version.error_count = refused.count
        else:
            version.status = IncomingVersion.Status.ACCEPTED
        if origin == IncomingVersion.Origin.URL:
            now = timezone.now()
            source.last_fetch_at = now
            source.next_fetch_at = now + timedelta(hours=source.every_hours or 24)
            source.save(update_fields=["last_fetch_at", "next_fetch_at", "updated_at"])
        version.save()
    return version


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name:
            default_storage.delete(name)


def fetch_now(*, actor, source: IncomingSource) -> IncomingVersion:
    """Downloads the source's URL now (the scheduled run, or a steward's "download now")."""
    received, refused = None, None
    try:
        received = fetch.fetch(source.url)
    except Refused as exc:
        refused = exc
    return receive(
        actor=actor,
        source=source,
        received=received,
        refused=refused,
        origin=IncomingVersion.Origin.URL,
        url=source.url,
    )


def fetch_due(*, now=None) -> list[IncomingVersion]:
    """Fetches every source whose next download is due (`manage.py fetch_incoming`, from cron or a systemd timer)."""
    now = now or timezone.now()
    due = IncomingSource.objects.filter(next_fetch_at__lte=now).exclude(url="").select_related("dataset")
    return [fetch_now(actor=None, source=source) for source in due.order_by("next_fetch_at")]


def refused_upload(*, actor, source: IncomingSource, refused: Refused, name: str = "") -> IncomingVersion:
    """Records an upload refused before it was whole (too large): a rejected version with no file."""
    return receive(actor=actor, source=source, received=None, refused=refused, name=name)


__all__ = ["error", "fetch_due", "fetch_now", "receive", "refused_upload", "schema_set", "source_for", "url_register"]
