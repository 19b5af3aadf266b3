"""A team's submissions: versioned, with the pitch deck checked by extension and content.

A submission after the stage's deadline is accepted marked late until `Stage.late_until`; after
that (or with no grace period) it is refused.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.competitions import events
from mueve.competitions.models import Skill, StageKind, Submission, Team, TeamStatus
from mueve.competitions.selectors import latest_submission, missing_skills, selected_in_first_round
from mueve.competitions.services._common import current_time, raise_errors
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm

MAX_DECK_BYTES = 20 * 1024 * 1024
DECK_EXTENSIONS = {"pdf", "pptx", "odp", "key"}
SUBMISSION_STAGES = (StageKind.HACKATHON, StageKind.ACCELERATION)


def check_deck(upload: UploadedFile | None, field: str = "deck") -> list[str]:
    """Type (by extension AND content) and size of a pitch deck or plan: ≤ 20 MB, PDF/PPTX/ODP/Keynote."""
    if upload is None:
        return []
    name = (upload.name or "").lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if upload.size > MAX_DECK_BYTES:
        return [_("El archivo pesa más de 20 MB.")]
    if ext not in DECK_EXTENSIONS:
        return [_("Formato no admitido: use PDF, PPTX, ODP o Keynote.")]
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    # PDF starts with %PDF; PPTX, ODP and Keynote ('13 and later) are ZIP containers.
    expected = b"%PDF" if ext == "pdf" else b"PK\x03\x04"
    if not head.startswith(expected):
        return [_("El contenido del archivo no corresponde a su extensión.")]
    return []


@transaction.atomic
def submission_create(
    *,
    actor: User,
    team: Team,
    stage: str,
    concept: str = "",
    deck: UploadedFile | None = None,
    video_url: str = "",
    prototype_url: str = "",
    repository_url: str = "",
    demo_url: str = "",
    business_plan: UploadedFile | None = None,
    now: datetime | None = None,
) -> Submission:
    """A new version of the team's submission for `stage`. Missing fields carry over from the
    previous version, so a team can add its video later without re-uploading the deck."""
    ensure_perm(actor, "competitions.submit", team)
    now = current_time(now)
    competition = team.competition
    errors: dict[str, list[str]] = {}
    if stage not in SUBMISSION_STAGES:
        raise ValidationError({"stage": [_("Esta etapa no recibe entregas.")]})
    stage_row = competition.stages.filter(kind=stage).first()
    if team.status != TeamStatus.ACTIVE:
        errors["__all__"] = [_("El equipo se retiró: no puede entregar.")]
    elif stage_row is None:
        errors["__all__"] = [_("La competencia no tiene fechas para esta etapa.")]
    elif now < stage_row.starts_at:
        errors["__all__"] = [_("La etapa aún no comienza.")]
    elif now > stage_row.ends_at and (stage_row.late_until is None or now > stage_row.late_until):
        errors["__all__"] = [
            _("El plazo de entrega venció el %(when)s.")
            % {"when": date_format(timezone.localtime(stage_row.late_until or stage_row.ends_at), "DATETIME_FORMAT")}
        ]
    members = list(team.members.all())
    lacking = missing_skills(competition, members)
    if lacking:
        labels = ", ".join(str(Skill(s).label).lower() for s in lacking)
        errors.setdefault("__all__", []).append(
            _("El equipo aún no cubre las habilidades requeridas: falta %(skills)s.") % {"skills": labels}
        )
    if len(members) < competition.min_team_size:
        errors.setdefault("__all__", []).append(
            _("El equipo necesita al menos %(n)d integrantes.") % {"n": competition.min_team_size}
        )
    if stage == StageKind.ACCELERATION and not selected_in_first_round(team):
        errors.setdefault("__all__", []).append(_("Solo los equipos seleccionados entregan en la aceleración."))
    for field, upload in (("deck", deck), ("business_plan", business_plan)):
        problems = check_deck(upload, field)
        if problems:
            errors[field] = problems
    validate_url = URLValidator(schemes=["http", "https"])
    for field, value in (
        ("video_url", video_url),
        ("prototype_url", prototype_url),
        ("repository_url", repository_url),
        ("demo_url", demo_url),
    ):
        if value:
            try:
                validate_url(value)
            except ValidationError:
                errors[field] = [_("Escriba una dirección web completa (https://…).")]
    raise_errors(errors)
    previous = latest_submission(team, stage)
    submission = Submission(
        team=team,
        stage=stage,
        version=(previous.version + 1) if previous else 1,
        submitted_by=actor,
        submitted_at=now,
        is_late=now > stage_row.ends_at,
    )
    for field, value in (
        ("concept", concept.strip()),
        ("video_url", video_url),
        ("prototype_url", prototype_url),
        ("repository_url", repository_url),
        ("demo_url", demo_url),
    ):
        setattr(submission, field, value or (getattr(previous, field) if previous else ""))
    for field, upload in (("deck", deck), ("business_plan", business_plan)):
        if upload is not None:
            setattr(submission, field, upload)
        elif previous is not None:
            setattr(submission, field, getattr(previous, field))
    submission.save()
    publish(events.SUBMISSION_CREATED, events.submission_created_payload(submission))
    return submission
