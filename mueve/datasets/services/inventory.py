from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.core.slugs import save_with_unique_slug, slug_base
from mueve.datasets import events
from mueve.datasets.models import AccessRights, Dataset, Periodicity
from mueve.datasets.models.vocab import license_from_text

# Addresses under /datos/ that are pages, not datasets (datasets.urls).
RESERVED_SLUGS = ("calidad", "inventario", "nuevo", "convenios", "gobernanza", "propios")


def search_text(dataset: Dataset) -> str:
    """What full-text search matches: title, description, keywords, themes and the publisher's names."""
    publisher = dataset.publisher
    parts = [dataset.title, dataset.description, dataset.keyword, dataset.themes]
    if publisher is not None:
        parts += [publisher.name, publisher.acronym]
    return " ".join(p for p in parts if p)


@transaction.atomic
def dataset_create(
    *,
    actor,
    title: str,
    publisher,
    description: str = "",
    format: str = "",
    accrual_periodicity: str = Periodicity.UNKNOWN,
    access_rights: str = AccessRights.NON_PUBLIC,
    license: str = "",
    keyword: str = "",
    landing_page: str = "",
    program=None,
    identified_in=None,
) -> Dataset:
    """An inventory entry. Titles are unique per publisher, so entering the inventory twice updates it."""
    ensure_perm(actor, "datasets.add_dataset")
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Obligatorio.")]
    if publisher is None:
        errors["publisher"] = [_("Indique la institución dueña de los datos.")]
    if accrual_periodicity not in Periodicity.values:
        errors["accrual_periodicity"] = [_("Frecuencia desconocida.")]
    if access_rights not in AccessRights.values:
        errors["access_rights"] = [_("Tipo de acceso desconocido.")]
    if errors:
        raise ValidationError(errors)
    dataset = Dataset.objects.filter(title=title, publisher=publisher).first() or Dataset(
        title=title, publisher=publisher
    )
    dataset.description = description.strip()
    dataset.format = format.strip()
    dataset.accrual_periodicity = accrual_periodicity
    dataset.access_rights = access_rights
    dataset.license = license_from_text(license) if license else ""
    dataset.keyword = keyword.strip()
    dataset.landing_page = landing_page.strip()
    dataset.program = program or dataset.program
    dataset.identified_in = identified_in or dataset.identified_in
    dataset.search_text = search_text(dataset)
    if dataset.pk:
        dataset.full_clean()
        dataset.save()
    else:
        dataset.full_clean(exclude=["slug"])
        save_with_unique_slug(dataset, slug_base(title, max_length=120, fallback="datos"), reserved=RESERVED_SLUGS)
    publish(events.DATASET_SAVED, events.dataset_saved(dataset=dataset))
    return dataset
