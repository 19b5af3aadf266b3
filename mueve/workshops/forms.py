from django import forms
from django.utils.translation import gettext_lazy as _

from mueve.challenges.models import Challenge
from mueve.core.forms import ServiceErrorsMixin
from mueve.stakeholders.models import Organization
from mueve.workshops.models import (
    ActionLine,
    Concept,
    ConceptStatus,
    HubActivity,
    Kind,
    ParticipantRole,
    Quadrant,
    Registration,
    RegistrationStatus,
    RoadmapLine,
    SwotItem,
    TrackStatus,
    WorkshopGroup,
    WorkshopStatus,
)


def _orgs():
    return Organization.objects.order_by("name")


class Form(ServiceErrorsMixin, forms.Form):
    """Every workshop form: built for one workshop (`workshop=`), errors shown next to fields."""

    prefix_name = ""

    def __init__(self, *args, workshop=None, **kwargs):
        self.workshop = workshop
        kwargs.setdefault("prefix", self.prefix_name or None)
        super().__init__(*args, **kwargs)
        self.setup()

    def setup(self) -> None:
        pass


class WorkshopForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Título"), max_length=200)
    kind = forms.ChoiceField(label=_("Tipo de taller"), choices=Kind.choices)
    component = forms.ModelChoiceField(label=_("Componente"), queryset=None, required=False)
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 5}), help_text=_("Un punto por línea.")
    )
    venue_organization = forms.ModelChoiceField(label=_("Institución anfitriona"), queryset=_orgs(), required=False)
    venue_address = forms.CharField(label=_("Dirección"), max_length=255, required=False)
    starts_at = forms.DateTimeField(
        label=_("Inicio"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Término"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    dots_per_participant = forms.IntegerField(label=_("Puntos por participante"), min_value=1, max_value=20, initial=3)
    status = forms.ChoiceField(label=_("Estado"), choices=WorkshopStatus.choices, required=False)
    minutes = forms.CharField(label=_("Acta"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    public_registration = forms.BooleanField(
        label=_("Inscripción abierta al público"),
        required=False,
        help_text=_("Cualquier persona con cuenta puede inscribirse desde la página del taller."),
    )
    capacity = forms.IntegerField(
        label=_("Cupos"),
        min_value=1,
        max_value=100000,
        required=False,
        help_text=_("Vacío: sin límite. Con los cupos llenos, las personas quedan en lista de espera."),
    )
    registration_closes_at = forms.DateTimeField(
        label=_("Cierre de inscripciones"),
        required=False,
        help_text=_("Vacío: hasta que empiece el taller."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"].queryset = program.components.all()
        self.fields["venue_organization"].queryset = _orgs()


class RegistrationForm(Form):
    prefix_name = "reg"
    full_name = forms.CharField(label=_("Nombre de la persona"), max_length=200)
    organization = forms.ModelChoiceField(label=_("Institución"), queryset=_orgs(), required=False)
    role = forms.ChoiceField(label=_("Rol"), choices=ParticipantRole.choices, initial=ParticipantRole.PARTICIPANT)

    def setup(self):
        self.fields["organization"].queryset = _orgs()


class InvitationForm(Form):
    prefix_name = "inv"
    organization = forms.ModelChoiceField(label=_("Institución invitada"), queryset=_orgs())
    role = forms.ChoiceField(label=_("Rol"), choices=ParticipantRole.choices)
    seats = forms.IntegerField(label=_("Cupos"), min_value=1, max_value=50, initial=1)

    def setup(self):
        self.fields["organization"].queryset = _orgs()


class ConceptForm(Form):
    prefix_name = "concept"
    name = forms.CharField(label=_("Nombre del concepto"), max_length=200)
    challenge = forms.ModelChoiceField(label=_("Desafío que aborda"), queryset=None, required=False)
    users = forms.CharField(label=_("Usuarios"), max_length=255, required=False)
    description = forms.CharField(label=_("Descripción"), widget=forms.Textarea(attrs={"rows": 3}))
    technology = forms.CharField(label=_("Tecnología"), max_length=255, required=False)
    expected_value = forms.CharField(
        label=_("Valor esperado"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def setup(self):
        self.fields["challenge"].queryset = Challenge.objects.filter(program=self.workshop.program).order_by("title")


class DotVoteForm(Form):
    prefix_name = "vote"
    voter = forms.ModelChoiceField(label=_("Participante"), queryset=None)
    concept = forms.ModelChoiceField(label=_("Concepto"), queryset=None)
    dots = forms.IntegerField(label=_("Puntos"), min_value=0, max_value=20, initial=1)

    def setup(self):
        self.fields["voter"].queryset = Registration.objects.filter(
            workshop=self.workshop, status=RegistrationStatus.CONFIRMED
        )
        self.fields["concept"].queryset = Concept.objects.filter(workshop=self.workshop, status=ConceptStatus.PROPOSED)


class DecisionForm(Form):
    prefix_name = "decide"
    concept = forms.ModelChoiceField(label=_("Concepto"), queryset=None)
    selected = forms.TypedChoiceField(
        label=_("Decisión"),
        choices=[("1", _("Seleccionar")), ("0", _("No seleccionar"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Razón de la decisión"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    owner = forms.ModelChoiceField(label=_("Institución que lo implementa"), queryset=_orgs(), required=False)

    def setup(self):
        self.fields["concept"].queryset = Concept.objects.filter(workshop=self.workshop)
        self.fields["owner"].queryset = _orgs()


class SwotForm(Form):
    prefix_name = "swot"
    quadrant = forms.ChoiceField(label=_("Cuadrante"), choices=Quadrant.choices)
    text = forms.CharField(label=_("Ítem"), max_length=300)
    institution = forms.ModelChoiceField(label=_("Institución"), queryset=_orgs(), required=False)

    def setup(self):
        self.fields["institution"].queryset = _orgs()


def _open_items(workshop):
    """The common session merges and votes the programme's items; an institution's session only its own."""
    items = SwotItem.objects.filter(program=workshop.program, merged_into__isnull=True)
    if not workshop.is_common_swot_session:
        items = items.filter(workshop=workshop)
    return items.order_by("quadrant", "id")


class SwotMergeForm(Form):
    prefix_name = "merge"
    target = forms.ModelChoiceField(label=_("Ítem que se conserva"), queryset=None)
    sources = forms.ModelMultipleChoiceField(
        label=_("Duplicados que se fusionan en él"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def setup(self):
        self.fields["target"].queryset = _open_items(self.workshop)
        self.fields["sources"].queryset = _open_items(self.workshop)
        self.fields["target"].label_from_instance = self.fields["sources"].label_from_instance = lambda item: (
            f"[{item.get_quadrant_display()}] {item.text}"
        )


class SwotVoteForm(Form):
    prefix_name = "svote"
    item = forms.ModelChoiceField(label=_("Ítem"), queryset=None)
    votes = forms.IntegerField(label=_("Votos"), min_value=1, max_value=500, initial=1)
    validate = forms.BooleanField(label=_("Marcar como validado"), required=False)

    def setup(self):
        self.fields["item"].queryset = _open_items(self.workshop)
        self.fields["item"].label_from_instance = lambda item: f"[{item.get_quadrant_display()}] {item.text}"


class VisionForm(Form):
    prefix_name = "vision"
    persona = forms.CharField(label=_("Rol de usuario"), max_length=60)
    horizon_year = forms.IntegerField(label=_("Año horizonte"), min_value=2000, max_value=2150)
    text = forms.CharField(label=_("Visión"), widget=forms.Textarea(attrs={"rows": 3}))


class RoadmapLineForm(Form):
    prefix_name = "rline"
    name = forms.CharField(label=_("Nombre de la línea"), max_length=200)


class InitiativeForm(Form):
    prefix_name = "init"
    line = forms.ModelChoiceField(label=_("Línea"), queryset=None)
    name = forms.CharField(label=_("Iniciativa"), max_length=255)
    horizon = forms.TypedChoiceField(label=_("Horizonte"), coerce=int, choices=())
    objectives = forms.CharField(label=_("Objetivos"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    resources = forms.CharField(label=_("Recursos"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.ModelChoiceField(label=_("Institución responsable"), queryset=_orgs(), required=False)

    def setup(self):
        self.fields["line"].queryset = RoadmapLine.objects.filter(program=self.workshop.program)
        horizons = self.workshop.structure.get("horizons") or [2015, 2019, 2025]
        self.fields["horizon"].choices = [(h, str(h)) for h in horizons]
        self.fields["responsible"].queryset = _orgs()


class AssignForm(Form):
    prefix_name = "assign"
    group_count = forms.IntegerField(label=_("Número de grupos"), min_value=1, max_value=50, initial=4)
    experts = forms.CharField(
        label=_("Expertos (uno por línea, uno por grupo)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    facilitators = forms.CharField(
        label=_("Facilitadores (uno por línea, uno por grupo)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    seed = forms.IntegerField(
        label=_("Semilla (opcional)"),
        required=False,
        min_value=0,
        help_text=_("Deje vacío para una nueva; repita una semilla registrada para reproducir la asignación."),
    )


class ActionLineForm(Form):
    prefix_name = "aline"
    name = forms.CharField(label=_("Línea de acción"), max_length=200)
    group = forms.ModelChoiceField(label=_("Grupo"), queryset=None, required=False)
    description = forms.CharField(label=_("Descripción"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    business_plan = forms.CharField(
        label=_("Plan de negocio"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def setup(self):
        self.fields["group"].queryset = WorkshopGroup.objects.filter(workshop=self.workshop)


class ActivityForm(Form):
    prefix_name = "act"
    action_line = forms.ModelChoiceField(label=_("Línea de acción"), queryset=None)
    name = forms.CharField(label=_("Actividad"), max_length=200)
    description = forms.CharField(label=_("Descripción"), required=False)

    def setup(self):
        self.fields["action_line"].queryset = ActionLine.objects.filter(workshop=self.workshop)


class CommitmentForm(Form):
    prefix_name = "commit"
    activity = forms.ModelChoiceField(label=_("Actividad"), queryset=None)
    organization = forms.ModelChoiceField(label=_("Institución que se compromete"), queryset=_orgs())
    contribution = forms.CharField(label=_("Aporte"), max_length=255)

    def setup(self):
        self.fields["activity"].queryset = HubActivity.objects.filter(
            action_line__workshop=self.workshop
        ).select_related("action_line")
        self.fields["activity"].label_from_instance = lambda a: f"{a.action_line.name}: {a.name}"
        self.fields["organization"].queryset = _orgs()


class SpokespersonForm(Form):
    prefix_name = "spoke"
    registration = forms.ModelChoiceField(label=_("Vocero/a"), queryset=None)

    def setup(self):
        self.fields["registration"].queryset = Registration.objects.filter(workshop=self.workshop, group__isnull=False)
        self.fields["registration"].label_from_instance = lambda r: f"{r.full_name} ({r.group})"


class OutputForm(Form):
    prefix_name = "out"
    phase = forms.ChoiceField(label=_("Fase"), required=False, choices=())
    group = forms.ModelChoiceField(label=_("Grupo"), queryset=None, required=False)
    title = forms.CharField(label=_("Título"), max_length=200)
    text = forms.CharField(label=_("Texto"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def setup(self):
        phases = self.workshop.structure.get("phases", [])
        self.fields["phase"].choices = [("", "—")] + [(p["key"], p["name"]) for p in phases]
        self.fields["group"].queryset = WorkshopGroup.objects.filter(workshop=self.workshop)


class AttachmentForm(Form):
    prefix_name = "file"
    type = forms.ChoiceField(
        label=_("Tipo"), choices=[("photo", _("Foto (JPEG o PNG)")), ("document", _("Documento (PDF)"))]
    )
    title = forms.CharField(label=_("Título"), max_length=200)
    file = forms.FileField(label=_("Archivo (máx. 10 MB)"))


class ProgressForm(ServiceErrorsMixin, forms.Form):
    progress = forms.IntegerField(label=_("Avance %"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("Estado"), choices=TrackStatus.choices)
    note = forms.CharField(label=_("Nota"), max_length=500, required=False)


class MethodologyImportForm(ServiceErrorsMixin, forms.Form):
    file = forms.FileField(label=_("Archivo JSON de la metodología"))


class PlanWorkshopsForm(ServiceErrorsMixin, forms.Form):
    """Copying the template's workshops to a new city: which place names change in titles and agendas."""

    old_place = forms.CharField(label=_("Ciudad o territorio de origen"), max_length=120, required=False)
    new_place = forms.CharField(label=_("Ciudad o territorio nuevo"), max_length=120, required=False)
    old_municipality = forms.CharField(label=_("Municipalidad de origen"), max_length=160, required=False)
    new_municipality = forms.CharField(label=_("Municipalidad nueva"), max_length=160, required=False)

    def add_service_errors(self, exc):
        # The service names pairs by position: show each message under the pair's new name.
        fields = {"pair0": "new_place", "pair1": "new_municipality"}
        for key, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
            for message in messages:
                self.add_error(fields.get(key), message)

    def pairs(self) -> list[tuple[str, str]]:
        d = self.cleaned_data
        return [(d["old_place"], d["new_place"]), (d["old_municipality"], d["new_municipality"])]


def _selected_concepts(workshop):
    return Concept.objects.filter(workshop=workshop)


class PrototypeForm(Form):
    prefix_name = "proto"
    concept = forms.ModelChoiceField(label=_("Concepto prototipado"), queryset=None)
    title = forms.CharField(label=_("Prototipo"), max_length=200)
    description = forms.CharField(label=_("Qué muestra"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    built_by = forms.ModelChoiceField(label=_("Construido por"), queryset=_orgs(), required=False)
    built_on = forms.DateField(
        label=_("Fecha"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    effort = forms.CharField(label=_("Esfuerzo (p. ej. «un día»)"), max_length=120, required=False)
    demonstrated_to = forms.CharField(label=_("Demostrado a"), max_length=255, required=False)

    def setup(self):
        self.fields["concept"].queryset = _selected_concepts(self.workshop)
        self.fields["built_by"].queryset = _orgs()


class PilotForm(Form):
    prefix_name = "pilot"
    concept = forms.ModelChoiceField(label=_("Concepto seleccionado"), queryset=None)
    description = forms.CharField(label=_("Piloto con la ciudadanía"), widget=forms.Textarea(attrs={"rows": 2}))
    start_date = forms.DateField(
        label=_("Inicio del piloto"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end_date = forms.DateField(
        label=_("Término del piloto"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def setup(self):
        self.fields["concept"].queryset = Concept.objects.filter(workshop=self.workshop, status=ConceptStatus.SELECTED)


class FeedbackForm(Form):
    prefix_name = "fb"
    pilot = forms.ModelChoiceField(label=_("Piloto"), queryset=None)
    tester = forms.CharField(label=_("Persona que prueba (seudónimo)"), max_length=100)
    rating = forms.TypedChoiceField(label=_("Valoración"), coerce=int, choices=[(n, f"{n}/5") for n in range(1, 6)])
    comment = forms.CharField(label=_("Comentario"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    day = forms.DateField(
        label=_("Fecha de la prueba"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def setup(self):
        from mueve.workshops.models import Pilot

        self.fields["pilot"].queryset = Pilot.objects.filter(concept__workshop=self.workshop).select_related("concept")
        self.fields["pilot"].label_from_instance = lambda p: f"{p.concept.name}: {p.description[:60]}"


class SolutionForm(Form):
    prefix_name = "sol"
    name = forms.CharField(label=_("Solución tecnológica"), max_length=200)
    organization = forms.ModelChoiceField(label=_("Institución que la usa"), queryset=_orgs(), required=False)
    description = forms.CharField(label=_("Descripción"), required=False)

    def setup(self):
        self.fields["organization"].queryset = _orgs()


class DatasetForm(Form):
    prefix_name = "ds"
    title = forms.CharField(label=_("Base o conjunto de datos"), max_length=200)
    publisher = forms.ModelChoiceField(label=_("Institución dueña"), queryset=_orgs())
    description = forms.CharField(label=_("Contenido"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    format = forms.CharField(label=_("Formato"), max_length=60, required=False)
    accrual_periodicity = forms.ChoiceField(label=_("Frecuencia de actualización"), choices=())
    access_rights = forms.ChoiceField(label=_("Acceso"), choices=())
    license = forms.CharField(label=_("Licencia"), max_length=120, required=False)

    def setup(self):
        from mueve.datasets.models import AccessRights, Periodicity

        self.fields["publisher"].queryset = _orgs()
        self.fields["accrual_periodicity"].choices = Periodicity.choices
        self.fields["access_rights"].choices = AccessRights.choices


class AttendanceForm(Form):
    prefix_name = "att"
    attended = forms.ModelMultipleChoiceField(
        label=_("Asistieron"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def setup(self):
        qs = Registration.objects.filter(workshop=self.workshop, status=RegistrationStatus.CONFIRMED)
        self.fields["attended"].queryset = qs
        if not self.is_bound:
            self.initial["attended"] = [r.pk for r in qs if r.attended]
