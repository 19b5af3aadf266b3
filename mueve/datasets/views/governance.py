"""The catalog's governance: data-sharing agreements (public list and page, the managers' transitions, the signed
document for parties and managers), a dataset's access log for its steward, and the open data policy."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mueve.core import csvio
from mueve.datasets.forms_governance import DocumentForm, PolicyForm, RevokeForm, SignForm
from mueve.datasets.models import AccessLogEntry, Agreement, DataPolicy, Dataset
from mueve.datasets.selectors import agreements as selectors
from mueve.datasets.services import agreements as services

LOG_PAGE_SIZE = 50
MANAGE = "datasets.manage_catalog"


def _status(request) -> int:
    # A POST that comes back to its form was refused: 400, like the API.
    return 400 if request.method == "POST" else 200


# --- agreements ------------------------------------------------------------------------------------------------


def agreement_list(request):
    status = request.GET.get("estado") or None
    if status not in Agreement.Status.values:
        status = None
    include_drafts = request.user.has_perm(MANAGE)
    return render(
        request,
        "datasets/agreement_list.html",
        {
            "agreements": selectors.agreement_list(include_drafts=include_drafts, status=status),
            "status": status,
            "status_choices": Agreement.Status.choices if include_drafts else _public_statuses(),
        },
    )


def _public_statuses():
    return [(value, label) for value, label in Agreement.Status.choices if value in selectors.PUBLIC_STATUSES]


def _agreement_for(request, pk: int) -> Agreement:
    agreement = selectors.agreement_get(pk, include_drafts=True)
    if agreement is None:
        raise Http404
    if agreement.status == Agreement.Status.DRAFT and not request.user.has_perm(MANAGE, agreement):
        raise Http404  # a draft is not public yet
    return agreement


def agreement_detail(request, pk: int, forms: dict | None = None):
    agreement = _agreement_for(request, pk)
    manages = request.user.has_perm(MANAGE, agreement)
    forms = forms or {}
    context = {
        "agreement": agreement,
        "grantees": selectors.grantees_of(agreement),
        "explicit_grantees": agreement.grantees.exists(),
        "in_force": selectors.is_in_force(agreement),
        "may_see_document": selectors.may_see_document(request.user, agreement),
        "manages": manages,
    }
    if manages:
        status = agreement.status
        context |= {
            "sign_form": forms.get("sign") or (SignForm() if status == Agreement.Status.DRAFT else None),
            "document_form": forms.get("document")
            or (DocumentForm() if status in (Agreement.Status.DRAFT, Agreement.Status.SIGNED) else None),
            "may_activate": status == Agreement.Status.SIGNED,
            "activate_errors": forms.get("activate"),
            "revoke_form": forms.get("revoke")
            or (RevokeForm() if status in (Agreement.Status.SIGNED, Agreement.Status.ACTIVE) else None),
        }
    return render(request, "datasets/agreement_detail.html", context, status=400 if forms else 200)


def _managed_agreement(request, pk: int) -> Agreement:
    if not request.user.is_authenticated:
        raise PermissionDenied
    agreement = get_object_or_404(Agreement, pk=pk)
    if not request.user.has_perm(MANAGE, agreement):
        raise PermissionDenied
    return agreement


def _transition(request, pk: int, *, form_class, name: str, run, done: str):
    agreement = _managed_agreement(request, pk)
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is None or form.is_valid():
        try:
            run(agreement, form.cleaned_data if form is not None else {})
        except ValidationError as exc:
            if form is None:
                return agreement_detail(request, pk, forms={name: exc.messages})
            form.add_service_errors(exc)
        else:
            messages.success(request, done)
            return redirect("datasets:agreement", pk=pk)
    return agreement_detail(request, pk, forms={name: form})


@require_POST
def agreement_sign(request, pk: int):
    return _transition(
        request,
        pk,
        form_class=SignForm,
        name="sign",
        run=lambda a, data: services.agreement_sign(
            actor=request.user, agreement=a, signed_on=data["signed_on"], document=data["signed_document"]
        ),
        done=_("Convenio firmado."),
    )


@require_POST
def agreement_document(request, pk: int):
    return _transition(
        request,
        pk,
        form_class=DocumentForm,
        name="document",
        run=lambda a, data: services.agreement_attach_document(
            actor=request.user, agreement=a, document=data["signed_document"]
        ),
        done=_("Documento firmado guardado."),
    )


@require_POST
def agreement_activate(request, pk: int):
    return _transition(
        request,
        pk,
        form_class=None,
        name="activate",
        run=lambda a, data: services.agreement_activate(actor=request.user, agreement=a),
        done=_("Convenio activado: las organizaciones autorizadas ya acceden a los datos."),
    )


@require_POST
def agreement_revoke(request, pk: int):
    return _transition(
        request,
        pk,
        form_class=RevokeForm,
        name="revoke",
        run=lambda a, data: services.agreement_revoke(actor=request.user, agreement=a, reason=data["reason"]),
        done=_("Convenio revocado: el acceso por este convenio terminó."),
    )


def agreement_signed_document(request, pk: int):
    agreement = _agreement_for(request, pk)
    if not agreement.signed_document:
        raise Http404
    if not selectors.may_see_document(request.user, agreement):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return FileResponse(
        agreement.signed_document.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"convenio-{agreement.pk}.pdf",
    )


# --- a dataset's access log -------------------------------------------------------------------------------------


def access_log(request, slug: str):
    dataset = get_object_or_404(Dataset.objects.select_related("publisher"), slug=slug)
    if not selectors.may_read_access_log(request.user, dataset):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    allowed = {"si": True, "no": False}.get(request.GET.get("permitido", ""))
    surface = request.GET.get("via") or None
    if surface not in AccessLogEntry.Surface.values:
        surface = None
    entries = selectors.access_log(dataset, allowed=allowed, surface=surface)
    if request.GET.get("formato") == "csv":
        return _access_log_csv(dataset, entries)
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "datasets/governance_access_log.html",
        {
            "dataset": dataset,
            "page": page,
            "allowed": request.GET.get("permitido", ""),
            "surface": surface,
            "surface_choices": AccessLogEntry.Surface.choices,
            "query": request.GET.urlencode(),
        },
    )


def _access_log_csv(dataset: Dataset, entries):
    rows = [
        [
            _("Fecha y hora"),
            _("Vía"),
            _("Distribución"),
            _("Organización"),
            _("Usuario"),
            _("Permitido"),
            _("Código"),
            _("Motivo"),
        ]
    ]
    for entry in entries.iterator():
        rows.append(
            [
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.get_surface_display(),
                entry.distribution.title if entry.distribution else "",
                entry.organization.name if entry.organization else "",
                entry.user.username if entry.user else "",
                _("sí") if entry.allowed else _("no"),
                entry.status,
                entry.reason,
            ]
        )
    return csvio.download(csvio.write_rows(rows), filename=f"accesos-{dataset.slug}.csv")


# --- governance: agreements in force and the open data policy --------------------------------------------------


def _chosen_program(request):
    programs = selectors.programs_with_policy()
    wanted = request.GET.get("programa")
    chosen = next((p for p in programs if p.slug == wanted), None)
    if chosen is None and programs:
        latest = DataPolicy.objects.filter(program__in=programs).order_by("-published_at", "-pk").first()
        chosen = latest.program if latest else programs[0]
    return chosen, programs


def governance(request):
    program, programs = _chosen_program(request)
    policies = selectors.policies_of(program) if program else []
    current = policies[0] if policies else None
    return render(
        request,
        "datasets/governance.html",
        {
            "program": program,
            "programs": programs,
            "policy": current,
            "blocks": selectors.policy_blocks(current.body) if current else [],
            "earlier": policies[1:],
            "agreements": selectors.agreement_list(status=Agreement.Status.ACTIVE),
            "may_publish": request.user.has_perm(MANAGE),
        },
    )


def policy_detail(request, pk: int):
    policy = get_object_or_404(DataPolicy.objects.select_related("program"), pk=pk, program__is_public=True)
    current = selectors.current_policy(policy.program)
    return render(
        request,
        "datasets/governance_policy.html",
        {"policy": policy, "blocks": selectors.policy_blocks(policy.body), "current": current},
    )


def policy_document(request, pk: int):
    policy = get_object_or_404(DataPolicy, pk=pk, program__is_public=True)
    if not policy.document:
        raise Http404
    return FileResponse(
        policy.document.open("rb"),
        content_type="application/pdf",
        filename=f"politica-datos-{policy.version}.pdf",
    )


def policy_publish(request):
    from mueve.programs.models import Program
    from mueve.programs.selectors import programs_managed_by

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    managed = programs_managed_by(request.user)
    programs = Program.objects.all() if managed is None else managed
    if not request.user.has_perm(MANAGE) or not programs.exists():
        raise PermissionDenied
    programs = programs.order_by("name")
    initial = {}
    chosen = programs.filter(slug=request.GET.get("programa", "")).first()
    if chosen is not None:
        initial["program"] = chosen
        current = selectors.current_policy(chosen)
        if current is not None:
            initial |= {"title": current.title, "body": current.body}
    form = PolicyForm(request.POST or None, request.FILES or None, programs=programs, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            policy = services.policy_publish(
                actor=request.user,
                program=data["program"],
                title=data["title"],
                body=data["body"],
                version=data["version"],
                document=data["document"],
            )
        except PermissionDenied:
            form.add_error("program", _("No administra el catálogo de este programa."))
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Política publicada (versión %(v)s).") % {"v": policy.version})
            return redirect(f"{_governance_url()}?programa={policy.program.slug}")
    return render(request, "datasets/governance_policy_form.html", {"form": form}, status=_status(request))


def _governance_url() -> str:
    from django.urls import reverse

    return reverse("datasets:governance")
