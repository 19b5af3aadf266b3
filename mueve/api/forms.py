"""The developer portal's form: it only parses input; the rules live in mueve.api.services."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mueve.core.forms import ServiceErrorsMixin
from mueve.stakeholders.models import Organization


class ApplicationForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("Nombre de la aplicación"),
        max_length=120,
        error_messages={"required": _("Escriba el nombre de su aplicación.")},
    )
    website = forms.URLField(
        label=_("Sitio web"),
        required=False,
        max_length=200,
        error_messages={"invalid": _("Escriba una dirección web válida, por ejemplo https://ejemplo.cl.")},
    )
    contact_email = forms.EmailField(
        label=_("Correo de contacto"),
        help_text=_("Para avisarle de cambios en la API o de un uso anómalo de su clave. No se publica."),
        error_messages={
            "required": _("Escriba un correo de contacto."),
            "invalid": _("Escriba un correo válido, por ejemplo equipo@ejemplo.cl."),
        },
    )
    description = forms.CharField(
        label=_("Uso previsto"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Qué hará la aplicación con los datos y cuántas solicitudes espera enviar."),
        error_messages={"required": _("Cuente en pocas palabras qué hará su aplicación.")},
    )
    organization = forms.ModelChoiceField(
        label=_("Organización"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Ninguna (a título personal)"),
        help_text=_("La organización en cuyo nombre actúa la aplicación, si es una de las suyas."),
        error_messages={"invalid_choice": _("Elija una de sus organizaciones.")},
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # Only organizations the person belongs to: an application cannot claim to act for any other.
        self.fields["organization"].queryset = (
            Organization.objects.filter(Q(pk=user.organization_id) | Q(memberships__person__user=user))
            .distinct()
            .order_by("name")
        )
