from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mueve.core.permissions import ensure_perm
from mueve.notifications import kinds, selectors, services


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
    return render(request, "notifications/preferences.html", {"groups": list(groups.values())})
