import json
import re
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mueve.core.permissions import ensure_perm
from mueve.notifications import kinds, selectors, services, webpush


@login_required
def notification_list(request):
    ensure_perm(request.user, "notifications.view_own_notifications")
    page = Paginator(selectors.notifications_for(user=request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread": selectors.unread_count(user=request.user)},
    )


@login_required
@require_POST
def mark_read(request):
    ensure_perm(request.user, "notifications.view_own_notifications")
    count = services.notifications_mark_read(user=request.user)
    if count:
        messages.success(request, _("Avisos marcados como leídos."))
    return redirect("notifications:list")


@login_required
def preferences(request):
    ensure_perm(request.user, "notifications.change_own_preferences")
    valid = {(kind, channel) for kind in kinds.KINDS for channel in kinds.CHANNELS}
    if request.method == "POST":
        chosen = set()
        for value in request.POST.getlist("pref"):
            kind, _sep, channel = value.partition(":")
            if (kind, channel) in valid:
                chosen.add((kind, channel))
        services.preferences_save(user=request.user, chosen=chosen)
        messages.success(request, _("Sus preferencias de aviso quedaron guardadas."))
        return redirect("notifications:preferences")
    rows = selectors.preferences_for(user=request.user)
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.kind, []).append(row)
    subscriptions = list(selectors.push_subscriptions_for(user=request.user))
    return render(
        request,
        "notifications/preferences.html",
        {
            "groups": list(groups.values()),
            "push_subscriptions": subscriptions,
            # The browser compares its own subscription with these to tell whether this phone is on.
            "push_endpoints": [s.endpoint for s in subscriptions],
            "push_text": _push_text(),
            # The reporting page's service worker receives the pushes too: one worker, one scope (/reportes/).
            "push_worker": reverse("reports:service_worker"),
            "push_scope": reverse("reports:home"),
        },
    )


def _push_text() -> dict[str, str]:
    """What push.js says, in the page's language."""
    return {
        "unsupported": _(
            "Este navegador no puede recibir avisos en el teléfono (notificaciones push). Puede recibirlos por correo "
            "o verlos en su lista de avisos. En iPhone y iPad funcionan solo si agrega este sitio a la pantalla de "
            "inicio y lo abre desde ahí."
        ),
        "insecure": _(
            "Los avisos en el teléfono necesitan una conexión segura (https), y esta página no la tiene. Puede "
            "recibirlos por correo o verlos en su lista de avisos."
        ),
        "denied": _(
            "Usted bloqueó las notificaciones de este sitio en su navegador. Para recibirlas, permítalas en la "
            "configuración del navegador y vuelva a esta página."
        ),
        "off": _("Este teléfono no recibe avisos todavía."),
        "on": _("Este teléfono recibe avisos. Elija abajo de qué tipos."),
        "working": _("Un momento…"),
        "asked": _("Para activarlos, acepte las notificaciones cuando su navegador le pregunte."),
        "failed": _(
            "No se pudieron activar los avisos en este navegador: su servicio de avisos no respondió. Intente más "
            "tarde."
        ),
        "stop_failed": _("No se pudieron desactivar los avisos. Intente de nuevo."),
        "turn_on": _("Activar avisos en este teléfono"),
        "turn_off": _("Desactivar avisos en este teléfono"),
    }


def _json_login_required(view):
    """For the push endpoints, called by push.js: a JSON 403, not the login page, when there is no session."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"detail": _("Debe iniciar sesión.")}, status=403)
        try:
            ensure_perm(request.user, "notifications.manage_own_push")
        except PermissionDenied:
            return JsonResponse({"detail": _("No tiene permiso para esta acción.")}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _json_body(request) -> dict | None:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _invalid(errors: dict[str, list[str]]) -> JsonResponse:
    return JsonResponse({"detail": _("Datos inválidos."), "errors": errors}, status=400)


@require_GET
@_json_login_required
def push_key(request):
    try:
        key = webpush.application_server_key()
    except ImproperlyConfigured:
        return JsonResponse({"detail": _("Los avisos push no están disponibles en este sitio por ahora.")}, status=503)
    return JsonResponse({"key": key})


@require_POST
@_json_login_required
def push_subscribe(request):
    body = _json_body(request)
    if body is None:
        return _invalid({"__all__": [_("Se esperaba un objeto JSON (PushSubscription.toJSON()).")]})
    keys = body.get("keys") if isinstance(body.get("keys"), dict) else {}
    values = {"endpoint": body.get("endpoint"), "p256dh": keys.get("p256dh"), "auth": keys.get("auth")}
    not_text = {name: [_("Debe ser texto.")] for name, value in values.items() if not isinstance(value, str | None)}
    if not_text:
        return _invalid(not_text)
    try:
        subscription, created = services.push_subscription_save(
            user=request.user, **values, user_agent=request.headers.get("User-Agent", "")
        )
    except ValidationError as exc:
        return _invalid(exc.message_dict)
    return JsonResponse({"id": subscription.pk, "label": subscription.user_agent}, status=201 if created else 200)


@require_POST
def push_unsubscribe(request):
    """From push.js (JSON with the browser's endpoint), or from the list of browsers on the preferences page (a form
    with the subscription's id)."""
    if request.content_type == "application/json":
        return _push_unsubscribe_json(request)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("notifications:preferences"))
    ensure_perm(request.user, "notifications.manage_own_push")
    raw = request.POST.get("subscription", "")
    if not re.fullmatch(r"[0-9]{1,18}", raw):
        return HttpResponseBadRequest(_("No se indicó qué navegador quitar."), content_type="text/plain; charset=utf-8")
    if services.push_subscription_delete(user=request.user, subscription_id=int(raw)):
        messages.success(request, _("Ese navegador ya no recibirá avisos."))
    return redirect("notifications:preferences")


@_json_login_required
def _push_unsubscribe_json(request):
    body = _json_body(request)
    if body is None or not isinstance(body.get("endpoint"), str) or not body["endpoint"]:
        return _invalid({"endpoint": [_("Falta la dirección del servicio de avisos (endpoint).")]})
    return JsonResponse({"deleted": services.push_subscription_delete(user=request.user, endpoint=body["endpoint"])})
