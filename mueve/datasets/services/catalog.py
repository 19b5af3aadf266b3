"""The stewards' writes: a dataset's metadata, publishing and withdrawing it, and distributions that are links
(an API or a live feed; uploaded files are datasets.services' upload part)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.core.slugs import save_with_unique_slug, slug_base
from mueve.datasets import events
from mueve.datasets.models import AccessRights, Dataset, Distribution, Periodicity, Theme
from mueve.datasets.models.vocab import FILE_TYPES, LICENSES
from mueve.datasets.services.inventory import RESERVED_SLUGS, search_text

EDITABLE = (
    "title",
    "description",
    "publisher",
    "program",
    "keyword",
    "themes",
    "format",
    "accrual_periodicity",
    "access_rights",
    "license",
    "landing_page",
    "version",
    "spatial_jurisdiction",
    "bbox_west",
    "bbox_south",
    "bbox_east",
    "bbox_north",
    "temporal_start",
    "temporal_end",
    "contact_name",
    "contact_email",
    "data_modified",
)
BBOX = ("bbox_west", "bbox_south", "bbox_east", "bbox_north")


def _check(values: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not (values.get("title") or "").strip():
        errors["title"] = [_("Obligatorio.")]
    if values.get("publisher") is None:
        errors["publisher"] = [_("Indique la institución dueña de los datos.")]
    themes = values.get("themes") or []
    unknown = [t for t in themes if t not in Theme.values]
    if unknown:
        errors["themes"] = [_("Temas desconocidos: %(t)s.") % {"t": ", ".join(unknown)}]
    if values.get("license") and values["license"] not in LICENSES:
        errors["license"] = [_("Licencia desconocida: elija una de la lista.")]
    if values.get("accrual_periodicity", Periodicity.UNKNOWN) not in Periodicity.values:
        errors["accrual_periodicity"] = [_("Frecuencia desconocida.")]
    if values.get("access_rights", AccessRights.NON_PUBLIC) not in AccessRights.values:
        errors["access_rights"] = [_("Tipo de acceso desconocido.")]
    box = [values.get(name) for name in BBOX]
    if any(v is not None for v in box):
        if any(v is None for v in box):
            errors["bbox_west"] = [_("Indique los cuatro límites del área, o ninguno.")]
        elif box[0] > box[2] or box[1] > box[3]:
            errors["bbox_west"] = [_("El oeste debe ser menor que el este y el sur menor que el norte.")]
    start, end = values.get("temporal_start"), values.get("temporal_end")
    if start and end and end < start:
        errors["temporal_end"] = [_("El fin de la cobertura temporal es anterior a su inicio.")]
    if end and not start:
        errors["temporal_start"] = [_("Indique desde cuándo, si indica hasta cuándo.")]
    return errors


@transaction.atomic
def dataset_save(*, actor, dataset: Dataset | None = None, **values) -> Dataset:
    """Creates a dataset (in the inventory) or changes one's metadata. `themes` is a list of theme codes; the other
    keys are Dataset's fields (EDITABLE). The actor keeps the catalog of the dataset's programme, before and after."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    ensure_perm(actor, "datasets.manage_catalog", dataset)
    current = {name: getattr(dataset, name) for name in EDITABLE} if dataset else {}
    if dataset is not None:
        current["themes"] = dataset.themes_list
    merged = {**current, **values}
    errors = _check(merged)
    if errors:
        raise ValidationError(errors)
    target = dataset or Dataset(steward=actor)
    for name in EDITABLE:
        if name in merged:
            value = merged[name]
            if name == "themes":
                value = ",".join(t for t in Theme.values if t in value)
            elif isinstance(value, str):
                value = value.strip()
            setattr(target, name, value)
    # Moving a dataset to a programme the actor does not keep is refused like editing one.
    ensure_perm(actor, "datasets.manage_catalog", target)
    if target.steward_id is None:
        target.steward = actor
    target.search_text = search_text(target)
    if target.pk:
        target.full_clean()
        target.save()
    else:
        target.full_clean(exclude=["slug"])
        save_with_unique_slug(
            target, slug_base(target.title, max_length=120, fallback="datos"), reserved=RESERVED_SLUGS
        )
    publish(events.DATASET_SAVED, events.dataset_saved(dataset=target))
    return target


@transaction.atomic
def dataset_publish(*, actor, dataset: Dataset) -> Dataset:
    """Makes the dataset public. A public record needs a description, a licence and themes (DCAT-AP)."""
    ensure_perm(actor, "datasets.manage_catalog", dataset)
    errors: dict[str, list[str]] = {}
    if not dataset.description.strip():
        errors["description"] = [_("Describa el conjunto antes de publicarlo.")]
    if not dataset.license:
        errors["license"] = [_("Elija una licencia antes de publicar.")]
    if not dataset.themes_list:
        errors["themes"] = [_("Elija al menos un tema antes de publicar.")]
    if errors:
        raise ValidationError(errors)
    dataset.status = Dataset.Status.PUBLISHED
    dataset.issued = dataset.issued or timezone.now()
    dataset.save(update_fields=["status", "issued", "updated_at"])
    publish(events.DATASET_SAVED, events.dataset_saved(dataset=dataset))
    return dataset


@transaction.atomic
def dataset_withdraw(*, actor, dataset: Dataset) -> Dataset:
    ensure_perm(actor, "datasets.manage_catalog", dataset)
    dataset.status = Dataset.Status.WITHDRAWN
    dataset.save(update_fields=["status", "updated_at"])
    publish(events.DATASET_SAVED, events.dataset_saved(dataset=dataset))
    return dataset


@transaction.atomic
def distribution_add_link(
    *,
    actor,
    dataset: Dataset,
    title: str,
    access_url: str,
    kind: str = Distribution.Kind.API,
    format: str = "",
    description: str = "",
) -> Distribution:
    """A distribution the platform does not keep: an API endpoint, a live feed, or a file elsewhere."""
    ensure_perm(actor, "datasets.manage_catalog", dataset)
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("Obligatorio.")]
    if not (access_url or "").strip():
        errors["access_url"] = [_("Indique la dirección (URL) del recurso.")]
    if kind not in Distribution.Kind.values:
        errors["kind"] = [_("Tipo desconocido.")]
    format = (format or "").upper()
    if format and format not in FILE_TYPES:
        errors["format"] = [_("Formato desconocido: elija uno de la lista.")]
    if errors:
        raise ValidationError(errors)
    last = dataset.distributions.order_by("-position").values_list("position", flat=True).first()
    distribution = Distribution(
        dataset=dataset,
        title=title.strip(),
        description=(description or "").strip(),
        kind=kind,
        format=format,
        media_type=FILE_TYPES[format][1] if format else "",
        access_url=access_url.strip(),
        position=(last + 1) if last is not None else 0,
    )
    distribution.full_clean()
    distribution.save()
    publish(events.DATASET_SAVED, events.dataset_saved(dataset=dataset))
    return distribution
