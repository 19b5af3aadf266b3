"""What the control centre's incident panel needs to offer "Verificar visualmente" (its page is control's)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from mueve.visual_checks.csp import feed_policy


def panel_config() -> dict:
    return {
        "checksUrl": reverse("visual_checks:incident", args=[0]),
        "requestUrl": reverse("visual_checks:request", args=[0]),
        "i18n": {
            "camera": _("Cámara fija"),
            "drone": _("Dron"),
            "request": _("Solicitar"),
            "none": _("Ninguna cámara cubre el lugar y ningún dron puede volar ahí (autonomía o zona de exclusión)."),
            "closed": _("El incidente está cerrado: no se pide una verificación visual."),
            "flight": _("%(km)s km, vuelo de ida y vuelta de %(min)s min"),
            "missions": _("Verificaciones pedidas"),
            "waiting": _("Esperando imágenes…"),
            "live": _("Video en vivo de la misión %(id)s"),
            "snapshot": _("Imagen %(n)s de la misión %(id)s"),
            "error": _("No se pudo completar. Intente de nuevo."),
            "pilotAt": _("Piloto en %(lat)s, %(lon)s"),
            "noHls": _("Este navegador no puede reproducir el video en vivo."),
        },
    }


__all__ = ["feed_policy", "panel_config"]
