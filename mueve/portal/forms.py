from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from mueve.accounts.models import Role
from mueve.core.forms import ServiceErrorsMixin
from mueve.core.text import fold
from mueve.programs import services as program_services
from mueve.programs.models import MethodologyTemplate, Sector
from mueve.reports import services as report_services
from mueve.stakeholders.models import Organization
from mueve.territory import services as territory_services
from mueve.territory.models import Jurisdiction


class NarrativeForm(ServiceErrorsMixin, forms.Form):
    executive_summary = forms.CharField(
        label=_("Resumen ejecutivo"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    background = forms.CharField(label=_("Antecedentes"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    impact = forms.CharField(label=_("Impacto"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    replication = forms.CharField(label=_("Replicación"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    lessons = forms.CharField(label=_("Lecciones aprendidas"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


# --- opening a region (the national unit's wizard) ---------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TerritoryStepForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Nombre de la región"), max_length=150)
    slug = forms.SlugField(
        label=_("Identificador en la dirección web"),
        max_length=80,
        required=False,
        help_text=_("Opcional: se genera a partir del nombre. Solo letras sin tilde, números y guiones."),
    )
    kind = forms.ChoiceField(label=_("Tipo"), choices=Jurisdiction.Kind.choices, initial=Jurisdiction.Kind.REGION)
    center_lat = forms.FloatField(
        label=_("Latitud del centro"), required=False, min_value=-90, max_value=90, help_text=_("Por ejemplo −33,047.")
    )
    center_lon = forms.FloatField(
        label=_("Longitud del centro"),
        required=False,
        min_value=-180,
        max_value=180,
        help_text=_("Por ejemplo −71,612."),
    )
    areas = forms.FileField(
        label=_("Áreas (archivo GeoJSON)"),
        help_text=_(
            "Una FeatureCollection de polígonos (Polygon o MultiPolygon) en WGS84, cada uno con la propiedad «name»: "
            "las comunas o zonas de la región."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json,application/json"}),
    )

    def __init__(self, *args, loaded_areas: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.loaded_areas = loaded_areas or []
        if self.loaded_areas:
            self.fields["areas"].required = False
            self.fields["areas"].help_text = _(
                "Ya cargó %(n)d áreas (%(names)s). Suba otro archivo para cambiarlas."
            ) % {
                "n": len(self.loaded_areas),
                "names": ", ".join(self.loaded_areas),
            }

    def clean(self):
        data = super().clean()
        if (data.get("center_lat") is None) != (data.get("center_lon") is None):
            self.add_error("center_lon", _("Indique la latitud y la longitud del centro, o ninguna."))
        if not data.get("slug") and data.get("name"):
            data["slug"] = slugify(data["name"])[:80]
            if not data["slug"]:
                self.add_error("slug", _("Escriba un identificador: el nombre no tiene letras que sirvan."))
        if data.get("slug") and Jurisdiction.objects.filter(slug=data["slug"]).exists():
            self.add_error("slug", _("Ya existe una jurisdicción con ese identificador."))
        return data

    def clean_areas(self):
        upload = self.cleaned_data.get("areas")
        if not upload:
            return None
        if upload.size > territory_services.MAX_AREAS_BYTES:
            raise forms.ValidationError(
                _("El archivo pasa de %(mb)d MB.") % {"mb": territory_services.MAX_AREAS_BYTES // (1024 * 1024)}
            )
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("El archivo no está en UTF-8.")) from exc
        try:
            names = territory_services.areas_geojson_check(text)
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["file"]) from exc
        return {"text": text, "names": names, "file_name": upload.name}


class ProgramStepForm(ServiceErrorsMixin, forms.Form):
    template = forms.ModelChoiceField(
        label=_("Plantilla metodológica"),
        queryset=MethodologyTemplate.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("Elija una plantilla"),
        error_messages={"required": _("Elija una plantilla metodológica.")},
        help_text=_("Sus componentes, fases y talleres se copian con los nombres de lugar cambiados a la región."),
    )
    name = forms.CharField(label=_("Nombre del programa"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices, initial=Sector.TRANSPORT)
    start_date = forms.DateField(label=_("Fecha de inicio"), widget=DateInput())
    end_date = forms.DateField(label=_("Fecha de término"), widget=DateInput())
    summary = forms.CharField(label=_("Resumen"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    is_public = forms.BooleanField(
        label=_("Visible para el público"),
        required=False,
        initial=True,
        help_text=_("Desmarque para prepararlo sin publicarlo."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        for field in ("start_date", "end_date"):
            value = data.get(field)
            if value and not (
                program_services.EARLIEST_PROGRAM_YEAR <= value.year <= program_services.LATEST_PROGRAM_YEAR
            ):
                self.add_error(
                    field,
                    _("La fecha debe estar entre los años %(first)d y %(last)d.")
                    % {"first": program_services.EARLIEST_PROGRAM_YEAR, "last": program_services.LATEST_PROGRAM_YEAR},
                )
        if start and end and end < start:
            self.add_error("end_date", _("La fecha de término debe ser igual o posterior a la de inicio."))
        return data


class CatalogueSourceForm(forms.Form):
    """Chosen first (a GET form): the agencies to replace depend on it."""

    origen = forms.ModelChoiceField(
        label=_("Copiar el catálogo de"),
        queryset=Jurisdiction.objects.filter(services__isnull=False).distinct().order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("No copiar un catálogo ahora"),
    )


NEW_AGENCY = ""


class AgencyMapForm(ServiceErrorsMixin, forms.Form):
    """One pair of fields per agency of the origin: an organization that replaces it, or the name of a new one."""

    def __init__(self, *args, plan, suggestions: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        others = Organization.objects.exclude(pk__in=plan.local_agency_ids).order_by("name")
        choices = [(NEW_AGENCY, _("Crear un organismo nuevo con el nombre de abajo"))] + [
            (str(o.pk), str(o)) for o in others
        ]
        self.rows = []
        for agency in plan.agencies:
            key = report_services.agency_field(agency)
            self.fields[key] = forms.ChoiceField(
                label=_("En lugar de «%(agency)s»") % {"agency": agency.name},
                choices=choices,
                required=False,
                initial=str(agency.pk) if plan.may_stay(agency) else NEW_AGENCY,
            )
            self.fields[f"{key}_name"] = forms.CharField(
                label=_("Nombre del organismo nuevo que reemplaza a «%(agency)s»") % {"agency": agency.name},
                max_length=Organization._meta.get_field("name").max_length,
                required=False,
                initial=suggestions.get(agency.pk, ""),
            )
            self.rows.append((agency, self[key], self[f"{key}_name"]))

    def clean(self):
        data = super().clean()
        by_name = {fold(o.name): o for o in Organization.objects.only("pk", "name")}
        choices: dict[int, dict] = {}
        for agency in self.plan.agencies:
            key = report_services.agency_field(agency)
            chosen, name = data.get(key), (data.get(f"{key}_name") or "").strip()
            if chosen:
                choices[agency.pk] = {"organization": int(chosen), "new_name": ""}
                continue
            if not name:
                self.add_error(f"{key}_name", _("Escriba el nombre del organismo nuevo, o elija uno que ya exista."))
                continue
            existing = by_name.get(fold(name))
            if existing is not None and existing.pk in self.plan.local_agency_ids:
                self.add_error(
                    f"{key}_name",
                    _("«%(name)s» es un organismo de %(place)s: escriba el de la nueva región.")
                    % {"name": existing.name, "place": self.plan.source.name},
                )
            elif existing is not None:  # the name of an organization the registry already has: that one
                choices[agency.pk] = {"organization": existing.pk, "new_name": ""}
            else:
                choices[agency.pk] = {"organization": None, "new_name": name}
        data["agencies"] = choices
        return data


class InviteRowForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(label=_("Correo"), required=False)
    role = forms.ChoiceField(
        label=_("Rol"),
        required=False,
        choices=[("", "—")] + [(r.value, r.label) for r in (Role.MANAGER, Role.OPERATOR, Role.OFFICIAL)],
    )
    organization = forms.ChoiceField(label=_("Organización (funcionarios)"), required=False, choices=())

    def __init__(self, *args, organization_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", "—"), *organization_choices]

    def clean(self):
        data = super().clean()
        email, role = data.get("email"), data.get("role")
        if not email and not role and not data.get("organization"):
            return data
        if not email and "email" not in self.errors:
            self.add_error("email", _("Escriba el correo de la persona."))
        if not role:
            self.add_error("role", _("Elija su rol."))
        elif role == Role.OFFICIAL and not data.get("organization"):
            self.add_error("organization", _("Un funcionario debe pertenecer a una organización."))
        return data


class BaseInviteFormSet(forms.BaseFormSet):
    def clean(self):
        seen: dict[str, int] = {}
        for index, form in enumerate(self.forms, start=1):
            email = ((getattr(form, "cleaned_data", None) or {}).get("email") or "").strip().lower()
            if not email:
                continue
            if email in seen:
                form.add_error("email", _("Esta dirección ya está en la fila %(n)d.") % {"n": seen[email]})
            else:
                seen[email] = index


MAX_INVITE_ROWS = 30
InviteFormSet = forms.formset_factory(
    InviteRowForm, formset=BaseInviteFormSet, extra=0, max_num=MAX_INVITE_ROWS, validate_max=True
)
