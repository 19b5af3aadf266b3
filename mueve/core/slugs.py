"""Slugs that stay unique when several writers create rows with the same name at once."""

from django.db import IntegrityError, models, transaction
from django.utils.text import slugify

MAX_ATTEMPTS = 20


def slug_base(text: str, *, max_length: int, fallback: str) -> str:
    """The slug of `text`, cut between words so that a "-NN" suffix still fits in `max_length`."""
    slug = slugify(text)
    limit = max_length - 4
    if len(slug) > limit:
        slug = slug[: limit + 1].rsplit("-", 1)[0]
    return slug.strip("-") or fallback


def first_free_slug(model: type[models.Model], base: str, *, reserved=(), exclude_pk=None, field: str = "slug") -> str:
    taken = model._default_manager.filter(**{f"{field}__startswith": base})
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    used = set(taken.values_list(field, flat=True)) | set(reserved)
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def save_with_unique_slug(instance: models.Model, base: str, *, reserved=(), field: str = "slug") -> None:
    """Inserts `instance` under the first free slug from `base`.

    Between looking for a free slug and inserting, another transaction may take it (PostgreSQL does
    not serialize writers the way SQLite does); the insert then fails inside a savepoint and the next
    free slug is tried, so the caller never sees the unique-constraint error.
    """
    model = type(instance)
    for _attempt in range(MAX_ATTEMPTS):
        candidate = first_free_slug(model, base, reserved=reserved, field=field)
        setattr(instance, field, candidate)
        try:
            with transaction.atomic():
                instance.save()
            return
        except IntegrityError:
            if not model._default_manager.filter(**{field: candidate}).exists():
                raise  # another constraint failed: not ours to hide
    raise IntegrityError(f"no free slug for {base!r} after {MAX_ATTEMPTS} attempts")
