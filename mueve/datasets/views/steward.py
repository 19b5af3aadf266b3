"""The stewards' pages (permission datasets.manage_catalog): the inventory waiting to be published, a dataset's
metadata, publishing and withdrawing, and distributions that are links. Uploads are at /datos/<slug>/subir/."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mueve.core.errors import error_dict
from mueve.core.permissions import require_perm
from mueve.datasets import forms, services
from mueve.datasets.models import Dataset
from mueve.programs import selectors as program_selectors


def _status(request) -> int:
    # A POST that reaches the template again was refused: say so with 400, like the API.
    return 400 if request.method == "POST" else 200


def _kept(request, slug: str) -> Dataset:
    dataset = get_object_or_404(Dataset.objects.select_related("publisher", "program"), slug=slug)
    if not request.user.has_perm("datasets.manage_catalog", dataset):
        raise PermissionDenied
    return dataset


def _programs(user):
    """The programmes the person may file datasets under; None: every one, and none at all is allowed."""
    managed = program_selectors.programs_managed_by(user)
    if managed is None:
        return None
    return managed.order_by("name")


def _visible_to(user):
    managed = program_selectors.programs_managed_by(user)
    qs = Dataset.objects.select_related("publisher", "program")
    return qs if managed is None else qs.filter(Q(program__in=managed.values("pk")))


@require_perm("datasets.manage_catalog")
def inventory(request):
    """/datos/inventario/: the datasets not (or no longer) published, of the programmes the person keeps."""
    datasets = _visible_to(request.user).exclude(status=Dataset.Status.PUBLISHED).order_by("status", "title")
    return render(request, "datasets/inventory.html", {"datasets": datasets})


def _save(request, dataset: Dataset | None):
    programs = _programs(request.user)
    initial = forms.DatasetForm.initial_from(dataset) if dataset else {}
    form = forms.DatasetForm(request.POST if request.method == "POST" else None, initial=initial, programs=programs)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.dataset_save(actor=request.user, dataset=dataset, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDenied:
            form.add_error("program", _("No administra el catálogo de ese programa."))
        else:
            messages.success(request, _("Conjunto «%(t)s» guardado.") % {"t": saved.title})
            return redirect("datasets:detail", slug=saved.slug)
    return render(request, "datasets/dataset_form.html", {"form": form, "dataset": dataset}, status=_status(request))


@require_perm("datasets.manage_catalog")
def dataset_create(request):
    return _save(request, None)


@require_perm("datasets.manage_catalog")
def dataset_edit(request, slug: str):
    return _save(request, _kept(request, slug))


def _change_status(request, slug: str, service, done: str):
    dataset = _kept(request, slug)
    try:
        service(actor=request.user, dataset=dataset)
    except ValidationError as exc:
        problems = "; ".join(m for messages_ in error_dict(exc).values() for m in messages_)
        messages.error(request, _("No se publicó «%(t)s»: %(p)s") % {"t": dataset.title, "p": problems})
        return redirect("datasets:edit", slug=dataset.slug)
    messages.success(request, done % {"t": dataset.title})
    if request.POST.get("volver") == "inventario":
        return redirect("datasets:inventory")
    return redirect("datasets:detail", slug=dataset.slug)


@require_perm("datasets.manage_catalog")
@require_POST
def dataset_publish(request, slug: str):
    return _change_status(request, slug, services.dataset_publish, _("Conjunto «%(t)s» publicado."))


@require_perm("datasets.manage_catalog")
@require_POST
def dataset_withdraw(request, slug: str):
    return _change_status(request, slug, services.dataset_withdraw, _("Conjunto «%(t)s» retirado del catálogo."))


@require_perm("datasets.manage_catalog")
def distribution_add(request, slug: str):
    dataset = _kept(request, slug)
    form = forms.DistributionLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.distribution_add_link(actor=request.user, dataset=dataset, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Recurso agregado."))
            return redirect("datasets:detail", slug=dataset.slug)
    return render(
        request, "datasets/distribution_form.html", {"form": form, "dataset": dataset}, status=_status(request)
    )
