"""The steward's page for sending data into a dataset (`/datos/<slug>/subir/`), a version's errors, and its
received file. Uploads are streamed by a capped upload handler installed before the body is read, so the view is
exempt from the CSRF middleware (which would read the body first) and checks CSRF itself once the handler is in."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from mueve.core.errors import error_dict
from mueve.datasets.incoming import forms, selectors, services
from mueve.datasets.incoming.errors import Refused, max_upload_bytes
from mueve.datasets.incoming.receive import CappedUploadHandler, too_large
from mueve.datasets.models import Dataset, IncomingSource

SCHEMA_FILE_LIMIT = 1024 * 1024
# Room for the form's other fields and the multipart framing around the file.
BODY_SLACK = 1024 * 1024
PAGE_ERRORS = 10


def _dataset_for_steward(request, slug):
    dataset = get_object_or_404(Dataset.objects.select_related("publisher", "program"), slug=slug)
    if not request.user.is_authenticated:
        return dataset, redirect_to_login(request.get_full_path())
    if not request.user.has_perm(services.PERM, dataset):
        raise PermissionDenied
    return dataset, None


@csrf_exempt
def incoming_page(request, slug):
    dataset, login = _dataset_for_steward(request, slug)
    if login:
        return login
    handler = None
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_upload_bytes() + BODY_SLACK:
            # Refused from the request's declared length, before a byte of the body is read.
            return _render(request, dataset, refused=too_large(max_upload_bytes()), status=413)
        handler = CappedUploadHandler(
            request, fields={"archivo": max_upload_bytes(), "esquema_archivo": SCHEMA_FILE_LIMIT}
        )
        request.upload_handlers = [handler]
    return _incoming_page(request, dataset, handler)


@csrf_protect
def _incoming_page(request, dataset, handler):
    try:
        if request.method != "POST":
            return _render(request, dataset)
        action = request.POST.get("accion")
        if action == "url":
            return _register_url(request, dataset)
        if action == "esquema":
            return _set_schema(request, dataset)
        if action == "descargar":
            return _fetch_now(request, dataset)
        return _upload(request, dataset, handler)
    finally:
        if handler is not None:
            handler.discard()


def _source(request, dataset, form) -> IncomingSource:
    choice = form.cleaned_data["destino"]
    if choice.startswith("s"):
        return get_object_or_404(IncomingSource, dataset=dataset, pk=int(choice[1:]))
    distribution = None
    if choice.startswith("d"):
        distribution = get_object_or_404(dataset.distributions, pk=int(choice[1:]))
    return services.source_for(
        actor=request.user, dataset=dataset, distribution=distribution, title=form.cleaned_data.get("titulo", "")
    )


def _upload(request, dataset, handler):
    sources = selectors.sources_of(dataset)
    form = forms.UploadForm(request.POST, dataset=dataset, sources=sources)
    if not form.is_valid():
        return _render(request, dataset, upload_form=form, status=400, refused=handler.refused)
    received = handler.received.pop("archivo", None)
    if handler.refused is None and received is None:
        form.add_error(None, _("Elija el archivo que desea subir."))
        return _render(request, dataset, upload_form=form, status=400)
    schema = form.cleaned_data.get("esquema")
    schema_file = handler.received.get("esquema_archivo")
    if schema is None and schema_file is not None:
        try:
            schema = forms.parse_schema(schema_file.path.read_text(encoding="utf-8-sig"))
        except (forms.forms.ValidationError, UnicodeDecodeError):
            form.add_error("esquema", _("El archivo de esquema no es JSON válido en UTF-8."))
    if form.errors:
        if received:
            received.discard()
        return _render(request, dataset, upload_form=form, status=400)
    try:
        source = _source(request, dataset, form)
        if schema is not None:
            services.schema_set(actor=request.user, source=source, descriptor=schema)
    except ValidationError as exc:
        if received:
            received.discard()
        for field, messages in error_dict(exc).items():
            form.add_error("esquema" if field == "schema" else ("titulo" if field == "title" else None), messages)
        return _render(request, dataset, upload_form=form, status=400)
    if handler.refused is not None:
        version = services.refused_upload(actor=request.user, source=source, refused=handler.refused)
    else:
        version = services.receive(actor=request.user, source=source, received=received)
    if version.accepted:
        return redirect("datasets:incoming_version", slug=dataset.slug, pk=version.pk)
    status = 413 if handler.refused is not None else 422
    return _render(request, dataset, version=version, status=status)


def _register_url(request, dataset):
    form = forms.UrlForm(request.POST, dataset=dataset, sources=selectors.sources_of(dataset))
    if form.is_valid():
        try:
            source = _source(request, dataset, form)
            services.url_register(
                actor=request.user,
                source=source,
                url=form.cleaned_data["url"],
                every_hours=form.cleaned_data["cada_horas"],
            )
        except ValidationError as exc:
            names = {"url": "url", "every_hours": "cada_horas", "title": "titulo"}
            for field, messages in error_dict(exc).items():
                form.add_error(names.get(field), messages)
        else:
            return redirect("datasets:incoming", slug=dataset.slug)
    return _render(request, dataset, url_form=form, status=400)


def _set_schema(request, dataset):
    source = get_object_or_404(IncomingSource, dataset=dataset, pk=request.POST.get("fuente") or 0)
    form = forms.SchemaForm(request.POST, prefix=f"s{source.pk}")
    if form.is_valid():
        try:
            services.schema_set(actor=request.user, source=source, descriptor=form.cleaned_data["esquema"])
        except ValidationError as exc:
            form.add_error("esquema", error_dict(exc).get("schema"))
        else:
            return redirect("datasets:incoming", slug=dataset.slug)
    return _render(request, dataset, schema_form=form, schema_source=source.pk, status=400)


def _fetch_now(request, dataset):
    source = get_object_or_404(
        IncomingSource.objects.exclude(url=""), dataset=dataset, pk=request.POST.get("fuente") or 0
    )
    version = services.fetch_now(actor=request.user, source=source)
    if version.accepted:
        return redirect("datasets:incoming_version", slug=dataset.slug, pk=version.pk)
    return _render(request, dataset, version=version, status=422)


def _render(request, dataset, *, status=200, refused: Refused | None = None, version=None, **forms_given):
    sources = selectors.sources_of(dataset)
    context = {
        "dataset": dataset,
        "sources": sources,
        "upload_form": forms_given.get("upload_form") or forms.UploadForm(dataset=dataset, sources=sources),
        "url_form": forms_given.get("url_form") or forms.UrlForm(dataset=dataset, sources=sources),
        "schema_form": forms_given.get("schema_form"),
        "schema_source": forms_given.get("schema_source"),
        "refused": refused,
        "version": version,
        # The page shows the first errors; the version's own page lists them all (up to MAX_ERRORS).
        "version_errors": version.errors[:PAGE_ERRORS] if version else [],
        "version_more": max(version.error_count - PAGE_ERRORS, 0) if version else 0,
        "max_upload": max_upload_bytes(),
    }
    return render(request, "datasets/incoming_page.html", context, status=status)


def incoming_version(request, slug, pk):
    dataset, login = _dataset_for_steward(request, slug)
    if login:
        return login
    version = selectors.version_of(dataset, pk)
    if version is None:
        raise Http404
    return render(request, "datasets/incoming_version.html", {"dataset": dataset, "version": version})


def incoming_version_file(request, slug, pk):
    dataset, login = _dataset_for_steward(request, slug)
    if login:
        return login
    version = selectors.version_of(dataset, pk)
    if version is None or not version.source_file:
        raise Http404
    return FileResponse(version.source_file.open("rb"), as_attachment=True, filename=version.original_name or "archivo")
