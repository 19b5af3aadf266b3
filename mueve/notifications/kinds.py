"""What a person can hear about, and by which channels. Each kind is one consent the person gives or withdraws.

A new kind (an incident near an adopted light, a followed challenge, a workshop that moved) is one entry here, a
subscriber that calls `services.notify`, and its text; a new channel (Web Push) is one entry in CHANNELS and one
sender in services.SENDERS."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

EMAIL = "email"
IN_APP = "in_app"
PUSH = "push"
CHANNELS = {
    IN_APP: _("En la plataforma (lista de avisos)"),
    EMAIL: _("Por correo electrónico"),
    # To every phone or computer where the person allowed it (webpush.py; the preferences page's "Avisos en este
    # teléfono").
    PUSH: _("Notificación en este teléfono (push)"),
}

REPORT_UPDATE = "report_update"
ADOPTION_INCIDENT = "adoption_incident"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    help: str
    # The channels on until the person says otherwise. E-mail and push are never on by default: they need the person's
    # yes.
    default_channels: frozenset[str]


KINDS: dict[str, Kind] = {
    REPORT_UPDATE: Kind(
        REPORT_UPDATE,
        _("Novedades de mis reportes"),
        _("Cuando el organismo recibe, asigna, atiende o cierra un reporte suyo, con su respuesta pública."),
        frozenset({IN_APP}),
    ),
    ADOPTION_INCIDENT: Kind(
        ADOPTION_INCIDENT,
        _("Incidente cerca de mi adopción"),
        _("Cuando alguien reporta un problema en la luminaria o el paradero que usted adoptó (Cuida tu Luz)."),
        frozenset({IN_APP}),
    ),
}


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.label) for kind in KINDS.values()]


def channel_choices() -> list[tuple[str, str]]:
    return list(CHANNELS.items())
