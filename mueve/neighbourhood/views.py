from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mueve.accounts.scopes import is_national, jurisdiction_filter
from mueve.core.permissions import ensure_perm
from mueve.neighbourhood import selectors, services
from mueve.neighbourhood.forms import AdoptForm, AssetFilterForm, ConfirmRepairForm, GrantForm, RankingForm, RewardForm


def _errors_into(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _asset_or_404(pk: int):
    asset = selectors.asset_get(pk=pk)
    if asset is None:
        raise Http404(_("No existe esa luminaria o paradero."))
    return asset


def home(request):
    """Cuido mi Barrio: one's points and badges, and where to go next."""
    context = {"rewards": selectors.rewards_offered_to(user=request.user)}
    if request.user.is_authenticated:
        context.update(
            points=selectors.points_of(user=request.user),
            badges=selectors.badges_for(user=request.user),
            grants=selectors.grants_of(user=request.user),
        )
    return render(request, "neighbourhood/home.html", context)


def lights(request):
    """Cuida tu Luz: the map of lights and stops, and the same assets as a searchable list."""
    form = AssetFilterForm(request.GET or None)
    q = kind = ""
    if form.is_bound and form.is_valid():
        q, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
    page = Paginator(selectors.assets(q=q, kind=kind), selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    config = {
        "assets": reverse("api-1:neighbourhood_assets"),
        "center": [-36.8275, -73.0505],
        "zoom": 15,
        "i18n": {"adopted": _("adoptada"), "orphan": _("sin adoptar"), "mine": _("suya"), "open": _("Ver y adoptar")},
    }
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "neighbourhood/lights.html",
        {"form": form, "page": page, "config": config, "query": query.urlencode()},
    )


def asset(request, pk: int):
    item = _asset_or_404(pk)
    adoption = selectors.adoption_of(user=request.user, asset=item)
    return render(
        request,
        "neighbourhood/asset.html",
        {
            "asset": item,
            "adoption": adoption,
            "given_name": getattr(adoption, "given_name", None) if adoption else None,
            "adopt_form": AdoptForm(),
            "repair_form": ConfirmRepairForm(),
            "repair": selectors.repair_to_confirm(asset=item) if adoption else None,
            "reports": selectors.asset_reports(asset=item),
        },
    )


@login_required
@require_POST
def adopt(request, pk: int):
    ensure_perm(request.user, "neighbourhood.adopt_asset")
    item = _asset_or_404(pk)
    form = AdoptForm(request.POST)
    if form.is_valid():
        try:
            services.adopt(asset=item, user=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(
                request, _("Ahora usted cuida %(asset)s. Le avisaremos de cada reporte en ella.") % {"asset": item.name}
            )
            return redirect("neighbourhood:my_adoptions")
    adoption = selectors.adoption_of(user=request.user, asset=item)
    return render(
        request,
        "neighbourhood/asset.html",
        {
            "asset": item,
            "adoption": adoption,
            "given_name": getattr(adoption, "given_name", None) if adoption else None,
            "adopt_form": form,
            "repair_form": ConfirmRepairForm(),
            "repair": None,
            "reports": selectors.asset_reports(asset=item),
        },
        status=400,
    )


@login_required
@require_POST
def unadopt(request, pk: int):
    ensure_perm(request.user, "neighbourhood.adopt_asset")
    item = _asset_or_404(pk)
    try:
        services.unadopt(asset=item, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("neighbourhood:asset", pk=item.pk)
    messages.success(request, _("Dejó de cuidar %(asset)s.") % {"asset": item.name})
    return redirect("neighbourhood:my_adoptions")


@login_required
@require_POST
def confirm_repair(request, pk: int):
    ensure_perm(request.user, "neighbourhood.adopt_asset")
    item = _asset_or_404(pk)
    form = ConfirmRepairForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.confirm_repair(asset=item, user=request.user, note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("neighbourhood:my_adoptions")
    messages.success(request, _("Gracias: quedó registrado que %(asset)s fue reparada.") % {"asset": item.name})
    return redirect("neighbourhood:my_adoptions")


@login_required
def my_adoptions(request):
    ensure_perm(request.user, "neighbourhood.adopt_asset")
    return render(
        request,
        "neighbourhood/my_adoptions.html",
        {"adoptions": selectors.my_adoptions(user=request.user), "repair_form": ConfirmRepairForm()},
    )


def ranking(request):
    """The public ranking of a neighbourhood for a month (first name and initial; opted-out people left out)."""
    form = RankingForm(request.GET or None)
    areas = list(selectors.ranking_areas())
    area = month = None
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        if form.cleaned_data["area"]:
            area = next((a for a in areas if a.pk == form.cleaned_data["area"]), None)
            if area is None:
                form.add_error("area", _("No hay ranking para esa área."))
                status = 400
        if form.cleaned_data["month"]:
            month = selectors.parse_month(form.cleaned_data["month"])
            if month is None:
                form.add_error("month", _("Indique un mes válido (AAAA-MM)."))
                status = 400
    if area is None and areas and status == 200:
        area = areas[0]
    month = month or timezone.localdate().replace(day=1)
    rows = selectors.ranking(area=area, month=month, viewer=request.user) if area is not None else []
    return render(
        request,
        "neighbourhood/ranking.html",
        {
            "form": form,
            "areas": areas,
            "area": area,
            "month": month,
            "months": selectors.ranking_months(area=area),
            "rows": rows,
        },
        status=status,
    )


@login_required
def overview(request):
    """The municipality's view: adopted and orphan assets, and the median time to repair per area. A person scoped
    to some jurisdictions sees theirs (one of them with ?jurisdiccion=<slug>); another one's is 404, as if it did not
    exist. The national level sees every one, together or one at a time."""
    ensure_perm(request.user, "neighbourhood.view_adoption_overview")
    allowed = jurisdiction_filter(request.user)
    choices = selectors.overview_jurisdictions(allowed)
    slug = request.GET.get("jurisdiccion", "")
    chosen = None
    if slug:
        chosen = next((j for j in choices if j.slug == slug), None)
        if chosen is None:
            raise Http404(_("No existe esa jurisdicción."))
    shown = frozenset({chosen.pk}) if chosen is not None else allowed
    return render(
        request,
        "neighbourhood/overview.html",
        {"overview": selectors.adoption_overview(jurisdictions=shown), "choices": choices, "chosen": chosen},
    )


def _reward_form(request, *args, editing: bool = False, **kwargs) -> RewardForm:
    return RewardForm(
        *args,
        prefix="reward",
        jurisdictions=selectors.reward_jurisdictions(user=request.user),
        national=is_national(request.user),
        editing=editing,
        **kwargs,
    )


@login_required
def rewards(request):
    """The municipality defines rewards and records who received them. Staff scoped to some jurisdictions see,
    define and grant their jurisdictions' rewards only, and see who received those; the national level every one."""
    ensure_perm(request.user, "neighbourhood.manage_rewards")
    active = list(selectors.rewards(user=request.user, active_only=True))
    reward_form = _reward_form(request)
    grant_form = GrantForm(prefix="grant", rewards=active)
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "define":
            reward_form = _reward_form(request, request.POST)
            if reward_form.is_valid():
                try:
                    reward = services.reward_define(actor=request.user, **reward_form.cleaned_data)
                except ValidationError as exc:
                    _errors_into(reward_form, exc)
                else:
                    messages.success(request, _("Premio «%(name)s» definido.") % {"name": reward.name})
                    return redirect("neighbourhood:rewards")
        elif request.POST.get("action") == "grant":
            grant_form = GrantForm(request.POST, prefix="grant", rewards=active)
            if grant_form.is_valid():
                data = grant_form.cleaned_data
                recipient = services.recipient_find(identifier=data["recipient"])
                reward = next((r for r in active if r.pk == data["reward"]), None)
                if recipient is None:
                    grant_form.add_error("recipient", _("No hay una cuenta con ese usuario o correo."))
                else:
                    try:
                        services.reward_grant(
                            actor=request.user,
                            reward=reward,
                            recipient=recipient,
                            granted_on=data["granted_on"],
                            note=data["note"],
                        )
                    except ValidationError as exc:
                        _errors_into(grant_form, exc)
                    else:
                        messages.success(request, _("Entrega registrada."))
                        return redirect("neighbourhood:rewards")
        status = 400
    return render(
        request,
        "neighbourhood/rewards.html",
        {
            "reward_form": reward_form,
            "grant_form": grant_form,
            "rewards": selectors.rewards(user=request.user),
            "grants": selectors.reward_grants(user=request.user),
            "national": is_national(request.user),
        },
        status=status,
    )


@login_required
def reward_edit(request, pk: int):
    """Changes a reward's name, description, place or whether it is in force. Another jurisdiction's reward (or a
    national one, for scoped staff) is 404, as if it did not exist."""
    ensure_perm(request.user, "neighbourhood.manage_rewards")
    reward = selectors.reward_get(user=request.user, pk=pk)
    if reward is None:
        raise Http404(_("No existe ese premio."))
    initial = {
        "name": reward.name,
        "description": reward.description,
        "jurisdiction": reward.jurisdiction,
        "active": reward.active,
    }
    form = _reward_form(request, request.POST or None, initial=initial, editing=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.reward_define(actor=request.user, reward=reward, **form.cleaned_data)
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, _("Premio «%(name)s» guardado.") % {"name": reward.name})
                return redirect("neighbourhood:rewards")
        status = 400
    return render(request, "neighbourhood/reward_edit.html", {"form": form, "reward": reward}, status=status)
