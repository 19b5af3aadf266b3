"""The control centre's sensors page: the rules that fired (active and recent), with their device, evidence and
incident, and the rules in force; both limited to the operator's jurisdictions (managers edit rules in the admin)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from mueve.core.permissions import require_perm
from mueve.sensors import selectors

PERM = "reports.manage_incidents"


@require_GET
@require_perm(PERM)
def sensors(request):
    return render(
        request,
        "control/sensors.html",
        {
            "active": selectors.firings_for(request.user, active=True),
            "recent": selectors.firings_for(request.user, active=False, limit=50),
            "rules": selectors.rules_for(request.user),
            "can_edit_rules": request.user.has_perm("sensors.change_rule"),
        },
    )
