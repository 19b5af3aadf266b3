"""The public pages of a competition: the list, a competition's page, registration and the public vote."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mueve.competitions import charts, selectors, services
from mueve.competitions import rules as crules
from mueve.competitions.forms import (
    QuestionForm,
    RegistrationForm,
    TeamForm,
)
from mueve.competitions.models import (
    Team,
)

from ._common import _deny, _flash_errors, _posted_id


def competition_list(request):
    competitions = selectors.competition_list_for(user=request.user)
    return render(
        request,
        "competitions/list.html",
        {"competitions": competitions, "can_add": request.user.has_perm("competitions.add_competition")},
    )


def competition_detail(request, slug: str):
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    participant = selectors.participant_of(user=request.user, competition=competition)
    stages = list(competition.stages.all())
    invitations = participant.invitations.filter(status="pending").select_related("team") if participant else []
    context = {
        "competition": competition,
        "stages": stages,
        "timeline": charts.stage_timeline(stages),
        "challenges": competition.challenges.select_related("owner"),
        "prizes": competition.prizes.all(),
        "partners": competition.partners.select_related("organization"),
        "clinics": selectors.competition_clinics_for(user=request.user, competition=competition),
        "participant": participant,
        "invitations": invitations,
        "registration_form": RegistrationForm(
            initial={"skills": participant.skills, "other_skill": participant.other_skill} if participant else None
        ),
        "team_form": TeamForm(competition=competition),
        "can_register": request.user.has_perm("competitions.register", competition),
        "is_organizer": crules.is_organizer(request.user, competition),
        "jury_rounds": competition.rounds.filter(jurors=request.user) if request.user.is_authenticated else [],
        "question_form": QuestionForm(),
        "teams": competition.teams.select_related("challenge").order_by("name"),
        "public_vote": (
            {
                "candidates": selectors.public_vote_candidates(competition),
                "can_vote": request.user.has_perm("competitions.public_vote", competition),
                "mine": competition.public_votes.filter(user=request.user).select_related("team").first()
                if request.user.is_authenticated
                else None,
            }
            if competition.public_vote_open
            else None
        ),
        "my_mentored": (
            competition.teams.filter(mentor_assignments__mentor=request.user) if request.user.is_authenticated else []
        ),
    }
    return render(request, "competitions/detail.html", context)


@require_POST
def register(request, slug: str):
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    if not request.user.has_perm("competitions.register", competition):
        return _deny(request)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            services.participant_register(actor=request.user, competition=competition, **form.cleaned_data)
        except ValidationError as exc:
            _flash_errors(request, exc)
        else:
            messages.success(request, _("Inscripción guardada. Ahora forme o únase a un equipo."))
    else:
        for field in form:
            for error in field.errors:
                messages.error(request, f"{field.label}: {error}")
    return redirect("competitions:detail", slug=slug)


@require_POST
def public_vote(request, slug: str):
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    if not request.user.is_authenticated:
        return _deny(request)
    team = get_object_or_404(Team, pk=_posted_id(request, "team"), competition=competition)
    try:
        services.public_vote_cast(actor=request.user, team=team)
    except ValidationError as exc:
        _flash_errors(request, exc)
    except PermissionDenied:
        messages.error(request, _("Para votar necesita una cuenta con correo electrónico y contraseña."))
    else:
        messages.success(request, _("Gracias: su voto por %(team)s quedó registrado.") % {"team": team.name})
    return redirect("competitions:detail", slug=slug)
