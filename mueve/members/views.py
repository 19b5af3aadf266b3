import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mueve.core.permissions import ensure_perm
from mueve.members import selectors, services
from mueve.members.forms import DeleteAccountForm, ProfileForm
from mueve.notifications import selectors as notification_selectors


def _errors_into(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@login_required
def profile(request):
    ensure_perm(request.user, "members.view_own_data")
    return render(
        request,
        "members/profile.html",
        {"profile_user": request.user, "overview": selectors.overview(user=request.user)},
    )


@login_required
def profile_edit(request):
    ensure_perm(request.user, "members.change_own_profile")
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.profile_update(user=user, **form.cleaned_data)
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, _("Sus datos quedaron corregidos."))
                return redirect("members:profile")
        status = 400
    else:
        form = ProfileForm(initial={"first_name": user.first_name, "last_name": user.last_name, "phone": user.phone})
        status = 200
    return render(request, "members/profile_edit.html", {"form": form}, status=status)


@login_required
def consents(request):
    ensure_perm(request.user, "members.withdraw_own_consent")
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "ranking":
                services.ranking_alias_set(user=user, alias=request.POST.get("alias", ""))
                services.ranking_opt_out_set(user=user, opt_out=request.POST.get("opt_out") == "1")
                messages.success(request, _("Su elección sobre los rankings públicos quedó guardada."))
            elif action == "report_email":
                services.report_email_withdraw(user=user, public_id=request.POST.get("report", ""))
                messages.success(request, _("Ya no recibirá correos sobre ese reporte; su correo se borró de él."))
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for error in errors:
                    messages.error(request, error)
        return redirect("members:consents")
    return render(
        request,
        "members/consents.html",
        {
            "member": selectors.settings_for(user=user),
            "preferences": notification_selectors.preferences_for(user=user),
            "reports_with_email": selectors.reports_with_email(user=user),
        },
    )


@login_required
def own_data(request):
    ensure_perm(request.user, "members.view_own_data")
    return render(request, "members/own_data.html", {"data": selectors.own_data(user=request.user)})


def _download_name(extension: str) -> str:
    return f"mueve-mis-datos-{timezone.localdate():%Y-%m-%d}.{extension}"


@login_required
def own_data_json(request):
    ensure_perm(request.user, "members.export_own_data")
    body = json.dumps(selectors.own_data(user=request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_download_name("json")}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def own_data_html(request):
    ensure_perm(request.user, "members.export_own_data")
    body = render_to_string(
        "members/own_data_file.html",
        {"data": selectors.own_data(user=request.user), "site_name": settings.MUEVE_SITE_NAME},
        request=request,
    )
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_download_name("html")}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def delete_account(request):
    ensure_perm(request.user, "members.delete_own_account")
    status = 200
    if request.method == "POST":
        form = DeleteAccountForm(request.POST)
        if form.is_valid():
            try:
                services.account_delete(user=request.user, password=form.cleaned_data["password"])
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                logout(request)
                messages.success(request, _("Su cuenta fue eliminada. Sus reportes quedan, sin sus datos personales."))
                return redirect("home")
        status = 400
    else:
        form = DeleteAccountForm()
    return render(
        request,
        "members/delete.html",
        {"form": form, "needs_password": request.user.has_usable_password()},
        status=status,
    )


@login_required
@require_POST
def claim_device(request):
    ensure_perm(request.user, "members.change_own_profile")
    try:
        count = services.device_reports_claim(user=request.user, device_id=request.POST.get("device_id", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.message_dict.get("device_id", [])))
    else:
        if count:
            messages.success(
                request,
                _("Se agregaron %(n)s reportes hechos desde este teléfono.") % {"n": count},
            )
        else:
            messages.info(request, _("No hay otros reportes hechos desde este teléfono."))
    return redirect("members:profile")


def privacy(request):
    return render(
        request,
        "members/privacy.html",
        {
            "retention_days": settings.MUEVE_REPORTER_CONTACT_RETENTION_DAYS,
            "confirmation_days": settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS,
        },
    )
