"""Forms only parse input: the rules (a question, no duplicates, allowed transitions) live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mueve.challenges import selectors
from mueve.challenges.models import AddressedVia, Interview, Kind, Status
from mueve.challenges.services import OWNER_REFUSED, allowed_transitions
from mueve.core.forms import ServiceErrorsMixin
from mueve.programs.models import Component, Program


class SpanishForm(ServiceErrorsMixin, forms.Form):
    """Labels without the trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ComponentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.program.name} — {obj.order}. {obj.name}"


class InterviewChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.date:%d-%m-%Y} · {obj.institution.name}"


class ChallengeFilterForm(SpanishForm):
    q = forms.CharField(
        label=_("Buscar"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Palabras del desafío")}),
    )
    program = forms.ChoiceField(label=_("Programa"), required=False)
    status = forms.ChoiceField(label=_("Estado"), required=False)
    kind = forms.ChoiceField(label=_("Tipo"), required=False)
    owner = forms.ChoiceField(label=_("Institución dueña"), required=False)

    def __init__(self, *args, choices: selectors.FilterChoices, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Todos"))]
        self.fields["program"].choices = everything + choices.programs
        self.fields["status"].choices = everything + choices.statuses
        self.fields["kind"].choices = everything + choices.kinds
        self.fields["owner"].choices = [("", _("Todas"))] + choices.owners

    def filters(self) -> dict[str, str]:
        """The valid filters; a bad value in one field never discards the others."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class ChallengeForm(SpanishForm):
    program = forms.ModelChoiceField(
        label=_("Programa"),
        queryset=Program.objects.none(),  # the user's programs, set in __init__
        to_field_name="slug",
        empty_label=_("Elija un programa"),
        error_messages={"required": _("Elija el programa al que pertenece el desafío.")},
    )
    title = forms.CharField(
        label=_("Desafío, formulado como pregunta"),
        max_length=255,
        help_text=_("Empiece con «¿Cómo…» y termine con «?». Por ejemplo: ¿Cómo reducir el vandalismo en paraderos?"),
        error_messages={"required": _("Escriba el desafío como una pregunta.")},
    )
    description = forms.CharField(
        label=_("Descripción"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("El contexto: a quién afecta, qué se sabe hoy y qué se ha intentado."),
    )
    owner = forms.ModelChoiceField(
        label=_("Institución dueña"),
        queryset=selectors.organization_choices(),
        to_field_name="slug",
        empty_label=_("Elija una institución"),
        help_text=_("La institución que enfrenta el desafío en su trabajo diario."),
        error_messages={
            "required": _("Elija la institución dueña del desafío."),
            "invalid_choice": OWNER_REFUSED,
        },
    )
    kind = forms.ChoiceField(
        label=_("Tipo de desafío"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Concreto: se puede resolver rápido con tecnología existente (un concepto). "
            "Abstracto: requiere un proceso más estructurado, como una competencia."
        ),
        error_messages={"required": _("Elija si el desafío es concreto o abstracto.")},
    )
    component = ComponentChoiceField(
        label=_("Componente (opcional)"),
        queryset=Component.objects.none(),
        required=False,
        empty_label=_("Sin componente"),
    )
    interviews = InterviewChoiceField(
        label=_("Entrevistas de origen (opcional)"),
        queryset=Interview.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Las entrevistas en que surgió el desafío. Solo las ve el equipo del programa."),
    )

    def __init__(self, *args, user, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = selectors.program_choices(user=user)
        self.fields["owner"].queryset = selectors.owner_choices(user=user)
        self.fields["component"].queryset = selectors.component_choices(user=user)
        self.fields["interviews"].queryset = selectors.interview_choices(user=user)
        if program is not None:
            # Editing: the program is fixed, so only its components and interviews make sense.
            del self.fields["program"]
            self.fields["component"].queryset = selectors.component_choices(user=user).filter(program=program)
            self.fields["interviews"].queryset = selectors.interview_choices(user=user, program=program)


class TransitionForm(SpanishForm):
    to_status = forms.ChoiceField(
        label=_("Nuevo estado"),
        error_messages={
            "required": _("Elija el nuevo estado."),
            "invalid_choice": _("Ese cambio de estado no está permitido desde el estado actual."),
        },
    )
    addressed_via = forms.ChoiceField(
        label=_("Abordado mediante"),
        required=False,
        choices=[("", _("—"))] + list(AddressedVia.choices),
        help_text=_("Obligatorio al pasar a «En abordaje»."),
    )
    note = forms.CharField(
        label=_("Nota"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Queda en el historial del desafío."),
    )

    def __init__(self, *args, challenge, **kwargs):
        super().__init__(*args, **kwargs)
        targets = allowed_transitions(challenge)
        self.fields["to_status"].choices = [(s, Status(s).label) for s in targets]
        if Status.ADDRESSING not in targets:
            # Only the move to "addressing" asks how.
            del self.fields["addressed_via"]
        elif challenge.addressed_via:
            self.initial.setdefault("addressed_via", challenge.addressed_via)


class InterviewForm(SpanishForm):
    program = forms.ModelChoiceField(
        label=_("Programa"),
        queryset=Program.objects.none(),  # the user's programs, set in __init__
        to_field_name="slug",
        empty_label=_("Elija un programa"),
        error_messages={"required": _("Elija el programa.")},
    )
    component = ComponentChoiceField(
        label=_("Componente (opcional)"),
        queryset=Component.objects.none(),
        required=False,
        empty_label=_("Sin componente"),
    )
    institution = forms.ModelChoiceField(
        label=_("Institución"),
        queryset=selectors.organization_choices(),
        to_field_name="slug",
        empty_label=_("Elija una institución"),
        error_messages={"required": _("Elija la institución entrevistada.")},
    )
    date = forms.DateField(
        label=_("Fecha"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        error_messages={
            "required": _("Indique la fecha de la entrevista."),
            "invalid": _("Use una fecha como 2014-01-15."),
        },
    )
    interviewee_name = forms.CharField(
        label=_("Persona o cargo entrevistado"),
        required=False,
        max_length=200,
        help_text=_("Basta con el cargo, por ejemplo «Jefatura de la unidad»."),
    )
    notes = forms.CharField(
        label=_("Notas"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Notas internas: no se publican."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = selectors.program_choices(user=user)
        self.fields["component"].queryset = selectors.component_choices(user=user)


class CommentForm(SpanishForm):
    # No max_length here: the service refuses a long text with its limit and length (mueve.core.text.too_long).
    text = forms.CharField(
        label=_("Su comentario"),
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Se publica con su nombre y la inicial de su apellido. Sea respetuoso/a."),
        error_messages={"required": _("Escriba su comentario.")},
    )


class CommentReportForm(SpanishForm):
    reason = forms.CharField(
        label=_("Motivo (opcional)"),
        required=False,
        help_text=_("Por ejemplo: insultos, datos personales, publicidad."),
    )
