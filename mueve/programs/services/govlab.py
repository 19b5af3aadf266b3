"""The GovLab and its projects: a programme's managers set it up, link it to its roadmap initiative, and track each
project on a government challenge from proposed to adopted."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.permissions import ensure_perm
from mueve.programs.models import GovLab, GovLabProject, Program


def _check_links(program: Program, *, initiative=None, challenge=None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if initiative is not None and initiative.line.program_id != program.pk:
        errors["initiative"] = [_("La iniciativa es de la hoja de ruta de otro programa.")]
    if challenge is not None and challenge.program_id != program.pk:
        errors["challenge"] = [_("El desafío es de otro programa.")]
    return errors


@transaction.atomic
def govlab_save(
    *,
    actor: User,
    program: Program,
    name: str,
    host=None,
    initiative=None,
    mission: str = "",
    established_on: date | None = None,
    hub_integrated_on: date | None = None,
    lab: GovLab | None = None,
) -> GovLab:
    ensure_perm(actor, "programs.change_program", program)
    name = (name or "").strip()
    errors = _check_links(program, initiative=initiative)
    if not name:
        errors["name"] = [_("Indique el nombre del laboratorio.")]
    clash = GovLab.objects.filter(program=program, name__iexact=name)
    if lab is not None:
        clash = clash.exclude(pk=lab.pk)
    if name and clash.exists():
        errors["name"] = [_("Este programa ya tiene un laboratorio con ese nombre.")]
    if established_on and hub_integrated_on and hub_integrated_on < established_on:
        errors["hub_integrated_on"] = [_("No puede integrarse al hub antes de crearse.")]
    if errors:
        raise ValidationError(errors)
    lab = lab or GovLab(program=program)
    lab.name, lab.host, lab.initiative, lab.mission = name, host, initiative, (mission or "").strip()
    lab.established_on, lab.hub_integrated_on = established_on, hub_integrated_on
    lab.full_clean()
    lab.save()
    return lab


@transaction.atomic
def govlab_project_save(
    *,
    actor: User,
    lab: GovLab,
    title: str,
    summary: str = "",
    challenge=None,
    lead=None,
    status: str = GovLabProject.Status.PROPOSED,
    started_on: date | None = None,
    project: GovLabProject | None = None,
) -> GovLabProject:
    ensure_perm(actor, "programs.change_program", lab.program)
    title = (title or "").strip()
    errors = _check_links(lab.program, challenge=challenge)
    if not title:
        errors["title"] = [_("Indique el título del proyecto.")]
    if status not in GovLabProject.Status.values:
        errors["status"] = [_("Estado desconocido.")]
    clash = GovLabProject.objects.filter(lab=lab, title__iexact=title)
    if project is not None:
        clash = clash.exclude(pk=project.pk)
    if title and clash.exists():
        errors["title"] = [_("El laboratorio ya tiene un proyecto con ese título.")]
    if errors:
        raise ValidationError(errors)
    project = project or GovLabProject(lab=lab)
    project.title, project.summary, project.challenge, project.lead = title, (summary or "").strip(), challenge, lead
    project.status, project.started_on = status, started_on
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def govlab_project_status_set(*, actor: User, project: GovLabProject, status: str) -> GovLabProject:
    """A project moves on (or stops): its history keeps each step."""
    ensure_perm(actor, "programs.change_program", project.lab.program)
    if status not in GovLabProject.Status.values:
        raise ValidationError({"status": [_("Estado desconocido.")]})
    if project.status != status:
        project.status = status
        project.save(update_fields=["status", "updated_at"])
    return project
