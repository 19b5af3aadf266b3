from django import forms
from django.utils.translation import gettext_lazy as _

from mueve.accounts.models import Role, User
from mueve.competitions.models import ConflictReason, RoundMode, Skill, StageKind
from mueve.core.forms import ServiceErrorsMixin


class RegistrationForm(ServiceErrorsMixin, forms.Form):
    skills = forms.MultipleChoiceField(
        label=_("Mis habilidades"),
        choices=Skill.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cada equipo debe reunir diseño, negocios y tecnología."),
    )
    other_skill = forms.CharField(label=_("Otra habilidad (si marcó «Otra»)"), max_length=120, required=False)


class TeamForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Nombre del equipo"), max_length=120)
    challenge = forms.ModelChoiceField(label=_("Desafío que abordará"), queryset=None, required=False)

    def __init__(self, *args, competition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = competition.challenges.all()


class InviteForm(ServiceErrorsMixin, forms.Form):
    participant = forms.ModelChoiceField(label=_("Invitar a"), queryset=None)

    def __init__(self, *args, competition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = competition.participants.filter(team__isnull=True).select_related("user")
        self.fields["participant"].label_from_instance = lambda p: (
            f"{p.user} — " + ", ".join(str(Skill(s).label) for s in p.skills)
        )


class SubmissionForm(ServiceErrorsMixin, forms.Form):
    concept = forms.CharField(label=_("Concepto"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    deck = forms.FileField(
        label=_("Presentación (PDF, PPTX, ODP o Keynote; hasta 20 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.pptx,.odp,.key"}),
    )
    video_url = forms.URLField(label=_("Video del pitch (enlace, opcional)"), required=False, assume_scheme="https")
    prototype_url = forms.URLField(label=_("Prototipo (enlace)"), required=False, assume_scheme="https")
    repository_url = forms.URLField(label=_("Repositorio (enlace)"), required=False, assume_scheme="https")
    demo_url = forms.URLField(label=_("Demostración (enlace)"), required=False, assume_scheme="https")
    business_plan = forms.FileField(label=_("Plan de negocios (PDF, PPTX u ODP)"), required=False)

    HACKATHON_FIELDS = ("concept", "deck", "video_url")
    ACCELERATION_FIELDS = ("prototype_url", "repository_url", "demo_url", "business_plan", "deck")

    def __init__(self, *args, stage: str, **kwargs):
        # Both stages' forms can share the team page: the prefix keeps their ids apart.
        kwargs.setdefault("prefix", str(stage))
        super().__init__(*args, **kwargs)
        keep = self.HACKATHON_FIELDS if stage == "hackathon" else self.ACCELERATION_FIELDS
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if stage != "hackathon":
            self.fields["deck"].label = _("Pitch final (PDF, PPTX, ODP o Keynote; hasta 20 MB)")


class WithdrawForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Motivo del retiro"), widget=forms.Textarea(attrs={"rows": 2}))


class SessionForm(ServiceErrorsMixin, forms.Form):
    held_on = forms.DateField(
        label=_("Fecha de la sesión"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    notes = forms.CharField(
        label=_("Notas (las ve el equipo y la organización)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CommentForm(ServiceErrorsMixin, forms.Form):
    body = forms.CharField(label=_("Comentario"), widget=forms.Textarea(attrs={"rows": 3}))


class MilestoneForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Hito"), max_length=200)
    due_on = forms.DateField(
        label=_("Fecha comprometida"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class QuestionForm(ServiceErrorsMixin, forms.Form):
    question = forms.CharField(label=_("Su pregunta"), widget=forms.Textarea(attrs={"rows": 2}))


class ConflictForm(ServiceErrorsMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("Equipo"), queryset=None)
    reason = forms.ChoiceField(label=_("Motivo"), choices=ConflictReason.choices)
    note = forms.CharField(label=_("Detalle"), max_length=255, required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class ScoreForm(ServiceErrorsMixin, forms.Form):
    """One integer field per criterion of the round, named criterion_<id> like the service's errors."""

    comment = forms.CharField(
        label=_("Comentario para el acta"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, round_, team, initial_values=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_values = initial_values or {}
        self.team = team
        self.criteria = list(round_.criteria.all())
        fields = {}
        for c in self.criteria:
            fields[f"criterion_{c.pk}"] = forms.IntegerField(
                label=f"{c.name} ({c.weight} %)",
                help_text=_("Entero de %(lo)d a %(hi)d.") % {"lo": c.scale_min, "hi": c.scale_max},
                required=True,
                initial=initial_values.get(c.pk),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
            )
        self.fields = {**fields, "comment": self.fields["comment"]}
        self.prefix = f"team{team.pk}"

    def values(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data.get(f"criterion_{c.pk}") for c in self.criteria}


class SelectionForm(ServiceErrorsMixin, forms.Form):
    """Top N come from the frozen ranking; the jury adds up to M social-impact picks, each justified."""

    impact = forms.MultipleChoiceField(
        label=_("Selección por impacto social"), choices=(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        self.fields["impact"].choices = [(str(t.pk), t.name) for t in self.candidates]
        for team in self.candidates:
            self.fields[f"just_{team.pk}"] = forms.CharField(
                label=_("Justificación para %(team)s") % {"team": team.name},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )

    def picks(self) -> dict[int, str]:
        return {int(t): self.cleaned_data.get(f"just_{t}", "") for t in self.cleaned_data.get("impact", [])}


class WinnersForm(ServiceErrorsMixin, forms.Form):
    winners = forms.MultipleChoiceField(label=_("Equipos ganadores"), choices=(), widget=forms.CheckboxSelectMultiple)
    justification = forms.CharField(label=_("Justificación del jurado"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["winners"].choices = [(str(t.pk), t.name) for t in candidates]


DEFAULT_RUBRIC = "\n".join(
    [
        "Impacto en el desafío; 25; 1; 5",
        "Factibilidad; 20; 1; 5",
        "Innovación; 15; 1; 5",
        "Modelo de negocios; 15; 1; 5",
        "Equipo; 10; 1; 5",
        "Impacto social; 15; 1; 5",
    ]
)


class RoundForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Nombre de la ronda"), max_length=120)
    stage = forms.ChoiceField(
        label=_("Etapa"),
        choices=[
            (StageKind.FIRST_SELECTION, StageKind.FIRST_SELECTION.label),
            (StageKind.FINAL, StageKind.FINAL.label),
        ],
    )
    mode = forms.ChoiceField(label=_("Modo de evaluación"), choices=RoundMode.choices, initial=RoundMode.RUBRIC)
    criteria = forms.CharField(
        label=_("Rúbrica"),
        widget=forms.Textarea(attrs={"rows": 6}),
        initial=DEFAULT_RUBRIC,
        required=False,
        help_text=_("Un criterio por línea: nombre; peso (%); mínimo; máximo. Los pesos suman 100."),
    )
    tie_break = forms.CharField(
        label=_("Regla de desempate (se publica al abrir la evaluación)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        initial=_("Ranking por Kemeny; si hay empate, gana el equipo que entregó primero."),
    )
    top_n = forms.IntegerField(label=_("Seleccionados por puntaje"), min_value=0, max_value=50, initial=5)
    impact_m = forms.IntegerField(label=_("Seleccionados por impacto social"), min_value=0, max_value=50, initial=2)
    jurors = forms.ModelMultipleChoiceField(
        label=_("Panel"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurors"].queryset = User.objects.filter(role=Role.JUROR, is_active=True).order_by("username")

    def clean_criteria(self) -> list[tuple[str, int, int, int]]:
        rows = []
        for n, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            try:
                name, weight, lo, hi = parts[0], int(parts[1]), int(parts[2]), int(parts[3])
            except (IndexError, ValueError):
                raise forms.ValidationError(_("Línea %(n)d: use «nombre; peso; mínimo; máximo».") % {"n": n}) from None
            rows.append((name, weight, lo, hi))
        return rows
