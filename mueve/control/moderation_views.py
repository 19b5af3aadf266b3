"""The control centre's moderation queue: operators decide on citizens' texts and photos before the public sees
them. The decisions are mueve.reports.services' (which check the permission and record each one). An operator
scoped to some jurisdictions sees and decides on theirs only: another's report or photo answers 404."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from mueve.accounts.scopes import jurisdiction_filter
from mueve.core.errors import error_dict
from mueve.core.permissions import require_perm
from mueve.reports import selectors as report_selectors
from mueve.reports import services as report_services

PERM = "reports.moderate_content"
MAX_REGIONS = 20

DECISION_LABELS = {
    ("photo", "approved"): gettext_lazy("Foto aprobada"),
    ("photo", "blurred"): gettext_lazy("Foto difuminada y aprobada"),
    ("photo", "rejected"): gettext_lazy("Foto rechazada y borrada"),
    ("description", "approved"): gettext_lazy("Descripción aprobada"),
    ("description", "edited"): gettext_lazy("Descripción corregida y publicada"),
    ("description", "rejected"): gettext_lazy("Descripción rechazada"),
    ("feedback_comment", "approved"): gettext_lazy("Comentario al reabrir aprobado"),
    ("feedback_comment", "rejected"): gettext_lazy("Comentario al reabrir rechazado"),
}

DONE = {
    "approve": gettext_lazy("Aprobado: ya es público."),
    "blur": gettext_lazy("Foto difuminada y publicada; el original se borró."),
    "reject": gettext_lazy("Rechazado: no se publica."),
    "edit": gettext_lazy("Descripción corregida y publicada."),
}


def _page(request, *, error_target: str = "", errors: dict | None = None, status: int = 200):
    jurisdictions = jurisdiction_filter(request.user)
    cards = [
        {
            "report": report,
            "photos": [(photo, report_selectors.photo_url(photo)) for photo in report.waiting_photos],
        }
        for report in report_selectors.moderation_queue(jurisdictions=jurisdictions)
    ]
    decisions = [
        {"change": change, "label": DECISION_LABELS.get((change.field, change.to_value), change.to_value)}
        for change in report_selectors.moderation_decisions(jurisdictions=jurisdictions)
    ]
    shown = {f"{kind}-{card['report'].public_id}" for card in cards for kind in ("text", "feedback")} | {
        f"photo-{photo.token}" for card in cards for photo, _url in card["photos"]
    }
    context = {
        "cards": cards,
        "total": report_selectors.moderation_queue_count(jurisdictions=jurisdictions),
        "decisions": decisions,
        # An error about something no longer in the queue (decided meanwhile) shows at the top of the page.
        "error_target": error_target if error_target in shown else "",
        "errors": [message for messages_ in (errors or {}).values() for message in messages_],
    }
    return render(request, "control/moderation.html", context, status=status)


@require_GET
@require_perm(PERM)
def queue(request):
    return _page(request)


def _decided(request, action: str, run, target: str):
    try:
        run()
    except ValidationError as exc:
        return _page(request, error_target=target, errors=error_dict(exc), status=400)
    messages.success(request, str(DONE[action]))
    return redirect(reverse("control:moderation"))


def _regions(raw: str) -> list[tuple[int, int, int, int]]:
    """The zones typed or drawn in the form: "x,y,width,height; ..." in the photo's pixels (empty: the whole photo)."""
    regions = []
    for part in raw.split(";"):
        if not part.strip():
            continue
        numbers = [number.strip() for number in part.split(",")]
        if len(numbers) != 4 or not all(
            number.isascii() and number.isdigit() and len(number) <= 6 for number in numbers
        ):
            raise ValidationError(
                {"regions": [_("Escriba cada zona como x,y,ancho,alto (números enteros), separadas por punto y coma.")]}
            )
        regions.append(tuple(int(number) for number in numbers))
    if len(regions) > MAX_REGIONS:
        raise ValidationError({"regions": [_("Marque como máximo %(max)s zonas.") % {"max": MAX_REGIONS}]})
    return regions


def _blur(*, photo, actor, raw_regions: str, note: str):
    return report_services.report_photo_blur(photo=photo, actor=actor, regions=_regions(raw_regions), note=note)


@require_POST
@require_perm(PERM)
def photo_action(request, token: str, action: str):
    photo = report_selectors.report_photo_by_token(token)
    if photo is None or not request.user.has_perm(PERM, photo):
        raise Http404
    reason = request.POST.get("reason", "")
    decisions = {
        "approve": partial(report_services.report_photo_approve, note=reason),
        "blur": partial(_blur, raw_regions=request.POST.get("regions", ""), note=reason),
        "reject": partial(report_services.report_photo_reject, reason=reason),
    }
    if action not in decisions:
        raise Http404
    return _decided(request, action, partial(decisions[action], photo=photo, actor=request.user), f"photo-{token}")


@require_POST
@require_perm(PERM)
def text_action(request, public_id: str, action: str):
    report = report_selectors.report_for_moderation(public_id)
    if report is None or not request.user.has_perm(PERM, report):
        raise Http404
    reason = request.POST.get("reason", "")
    decisions = {
        "approve": partial(report_services.report_text_approve, note=reason),
        "edit": partial(report_services.report_text_edit, text=request.POST.get("text", ""), note=reason),
        "reject": partial(report_services.report_text_reject, reason=reason),
    }
    if action not in decisions:
        raise Http404
    return _decided(request, action, partial(decisions[action], report=report, actor=request.user), f"text-{public_id}")


@require_POST
@require_perm(PERM)
def feedback_action(request, public_id: str, action: str):
    """The comment a citizen wrote when they answered that their problem was not solved."""
    report = report_selectors.report_for_moderation(public_id)
    if report is None or action not in ("approve", "reject") or not request.user.has_perm(PERM, report):
        raise Http404
    run = partial(
        report_services.report_feedback_comment_decide,
        report=report,
        actor=request.user,
        approve=action == "approve",
        note=request.POST.get("reason", ""),
    )
    return _decided(request, action, run, f"feedback-{public_id}")
