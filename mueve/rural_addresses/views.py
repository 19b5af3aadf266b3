"""911-R pages: tagging in the field, the official's review, the place and its plate, the dispatcher's lookup and
"¿Dónde estoy?". Thin: services and selectors do the work."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mueve.core.permissions import require_perm
from mueve.rural_addresses import selectors, services
from mueve.rural_addresses.forms import EmergencyNoteForm, LookupForm, RejectForm, TagForm
from mueve.rural_addresses.plate import plate_pdf


def _place_or_404(request, pk: int):
    place = selectors.place_get(pk=pk)
    if place is None or not request.user.has_perm("rural_addresses.view_place", place):
        raise Http404(_("No existe ese lugar."))
    return place


def _errors_into(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_perm("rural_addresses.tag_place")
def tag(request):
    """Field tagging: the phone's position, a description and a photo; offline, the page keeps the tag in the
    reporting page's queue (static/reports/queue.js) and sends it when the network returns."""
    form = TagForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                place = services.place_tag(
                    user=request.user,
                    lat=data["lat"],
                    lon=data["lon"],
                    description=data["description"],
                    photos=[data["photo"]] if data.get("photo") else [],
                    client_key=data.get("client_key") or None,
                )
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                url = reverse("rural_addresses:place", args=[place.pk])
                if _wants_json(request):
                    return JsonResponse({"public_id": place.plus_code, "tracking_url": url, "id": place.pk}, status=201)
                text = _("Lugar etiquetado: %(code)s. Un funcionario lo verificará.") % {"code": place.plus_code}
                messages.success(request, text)
                return redirect(url)
        if _wants_json(request):
            errors = {name: [e["message"] for e in items] for name, items in form.errors.get_json_data().items()}
            return JsonResponse({"errors": errors}, status=422)
        return render(request, "rural_addresses/tag.html", {"form": form, "mine": []}, status=422)
    return render(
        request,
        "rural_addresses/tag.html",
        {"form": form, "mine": selectors.places_tagged_by(user=request.user), "sw_url": reverse("rural_addresses:sw")},
    )


def place(request, pk: int):
    place = _place_or_404(request, pk)
    short, locality = selectors.short_code(place)
    context = {
        "place": place,
        "short": short,
        "locality": locality,
        "km": selectors.km_text(place.km),
        "directions": selectors.directions(place),
        "photos": selectors.photos_of(place) if request.user.has_perm("rural_addresses.view_photos", place) else [],
        "can_review": request.user.has_perm("rural_addresses.verify_place", place)
        and place.status == place.Status.TAGGED,
        "note": selectors.emergency_note_of(place)
        if request.user.has_perm("rural_addresses.view_emergency_note", place)
        else None,
        "can_note": request.user.has_perm("rural_addresses.record_emergency_note", place),
        "reject_form": RejectForm(),
        "note_form": EmergencyNoteForm(),
    }
    return render(request, "rural_addresses/place.html", context)


@require_GET
def plate(request, pk: int):
    place = _place_or_404(request, pk)
    url = request.build_absolute_uri(reverse("rural_addresses:place", args=[place.pk]))
    response = HttpResponse(plate_pdf(place, url=url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="placa-{place.plus_code.replace("+", "-")}.pdf"'
    return response


@require_GET
def photo(request, token: str):
    item = selectors.photo_by_token(token)
    if item is None or not request.user.has_perm("rural_addresses.view_photos", item.place):
        raise Http404
    response = FileResponse(item.image.open("rb"), content_type=item.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@require_perm("rural_addresses.verify_place")
def review(request):
    return render(request, "rural_addresses/review.html", {"places": selectors.review_queue(user=request.user)[:100]})


def _reviewable(request, pk: int):
    place = selectors.place_get(pk=pk)
    if place is None:
        raise Http404
    if not request.user.has_perm("rural_addresses.verify_place", place):
        raise PermissionDenied
    return place


@require_POST
def verify(request, pk: int):
    place = _reviewable(request, pk)
    try:
        services.place_verify(place=place, user=request.user)
        messages.success(request, _("Lugar verificado: %(code)s.") % {"code": place.plus_code})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("rural_addresses:review")


@require_POST
def reject(request, pk: int):
    place = _reviewable(request, pk)
    form = RejectForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"reason": [_("Diga por qué se rechaza: quien etiquetó el lugar lo leerá.")]})
        services.place_reject(place=place, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Lugar rechazado: %(code)s.") % {"code": place.plus_code})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("rural_addresses:place", pk=place.pk)
    return redirect("rural_addresses:review")


@require_POST
def note(request, pk: int):
    place = _place_or_404(request, pk)
    if not request.user.has_perm("rural_addresses.record_emergency_note", place):
        raise PermissionDenied
    form = EmergencyNoteForm(request.POST)
    if form.is_valid():
        try:
            services.emergency_note_record(place=place, user=request.user, **form.cleaned_data)
            messages.success(request, _("Nota para emergencias guardada, con el consentimiento registrado."))
            return redirect("rural_addresses:place", pk=place.pk)
        except ValidationError as exc:
            _errors_into(form, exc)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("rural_addresses:place", pk=place.pk)


@require_perm("rural_addresses.dispatch")
def dispatch(request):
    """The dispatcher's lookup: a small page (no map, no script) that answers on a slow link."""
    form = LookupForm(request.GET or None)
    results = None
    status = 200
    if form.is_bound and form.is_valid():
        try:
            results = selectors.lookup(user=request.user, **form.cleaned_data)
        except selectors.LookupError_ as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = 422
    elif form.is_bound:
        status = 422
    return render(request, "rural_addresses/dispatch.html", {"form": form, "results": results}, status=status)


def where(request):
    """¿Dónde estoy?: the phone computes its plus code and road km itself (static/rural/where.js)."""
    return render(
        request,
        "rural_addresses/where.html",
        {"roads_url": reverse("rural_addresses:roads"), "sw_url": reverse("rural_addresses:sw")},
    )


@require_GET
def roads_json(request):
    response = JsonResponse(selectors.roads_for_phone())
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def service_worker(request):
    """Keeps "¿Dónde estoy?", the tagging page, their scripts and the roads on the phone (scope /rural/)."""
    files = [
        reverse("rural_addresses:where"),
        reverse("rural_addresses:roads"),
        static("css/mueve.css"),
        static("rural/olc.js"),
        static("rural/where.js"),
        static("rural/tag.js"),
        static("reports/queue.js"),
        static("favicon.svg"),
    ]
    body = "var PRECACHE = " + json.dumps(files) + ";\nvar QUEUE_JS = " + json.dumps(static("reports/queue.js"))
    body += ";\n" + render(request, "rural_addresses/sw.js").content.decode()
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
