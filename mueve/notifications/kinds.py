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
CHALLENGE_UPDATE = "challenge_update"
WORKSHOP_UPDATE = "workshop_update"
TEAM_INVITATION = "team_invitation"
DEVICE_ALERT = "device_alert"
BIKE_THEFT = "bike_theft"


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
    CHALLENGE_UPDATE: Kind(
        CHALLENGE_UPDATE,
        _("Un desafío que sigo cambió"),
        _("Cuando un desafío que usted sigue cambia de estado, o el equipo del programa comenta en él."),
        frozenset({IN_APP}),
    ),
    WORKSHOP_UPDATE: Kind(
        WORKSHOP_UPDATE,
        _("Un taller en que me inscribí cambió"),
        _(
            "Cuando un taller en que usted se inscribió (o en cuya lista de espera está) cambia de fecha o de lugar, "
            "se cancela, o cuando se libera un cupo para usted."
        ),
        frozenset({IN_APP}),
    ),
    TEAM_INVITATION: Kind(
        TEAM_INVITATION,
        _("Invitaciones a equipos"),
        _("Cuando un equipo de una competencia en que usted se inscribió le invita a unirse."),
        frozenset({IN_APP}),
    ),
    DEVICE_ALERT: Kind(
        DEVICE_ALERT,
        _("Dispositivos de mi organización"),
        _("Cuando la plataforma deja de recibir los datos de un sensor de su organización (cuarentena, revocación)."),
        frozenset({IN_APP}),
    ),
    BIKE_THEFT: Kind(
        BIKE_THEFT,
        _("Alarma de mi bicicleta (i-BiciPark)"),
        _(
            "Cuando el bicicletero detecta que alguien se lleva la bicicleta que usted estacionó, sin que usted la "
            "haya retirado. Active también los avisos en este teléfono para recibirla al instante."
        ),
        frozenset({IN_APP}),
    ),
}


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.label) for kind in KINDS.values()]


def channel_choices() -> list[tuple[str, str]]:
    return list(CHANNELS.items())
