"""The wizard's draft: what the national unit filled in each step, kept in their session (nothing is written to the
platform's tables until the last step opens the region, mueve.portal.services.region_open).

Each step stores plain JSON (slugs, ids, ISO dates); `plan()` turns it back into objects, and says which step to
go back to if something it names is gone.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from mueve.portal.services import STEPS, AgencyChoice, Invite, RegionPlan
from mueve.programs.models import MethodologyTemplate
from mueve.stakeholders.models import Organization
from mueve.territory.models import Jurisdiction

SESSION_KEY = "mueve:region_wizard"


@dataclass
class StepMissing(Exception):
    step: str
    message: str


class Draft:
    def __init__(self, session):
        self.session = session
        self.data: dict = dict(session.get(SESSION_KEY) or {})

    def get(self, step: str) -> dict:
        return dict(self.data.get(step) or {})

    def done(self, step: str) -> bool:
        return step in self.data

    def put(self, step: str, values: dict) -> None:
        self.data[step] = values
        self.session[SESSION_KEY] = self.data

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)

    def first_missing(self) -> str | None:
        return next((step for step in STEPS if not self.done(step)), None)

    def region_name(self) -> str:
        return self.get("territorio").get("name", "")

    def plan(self) -> RegionPlan:
        missing = self.first_missing()
        if missing is not None:
            raise StepMissing(missing, _("Complete este paso."))
        territory, program, catalogue, team = (self.get(step) for step in STEPS)
        template = MethodologyTemplate.objects.filter(slug=program["template"]).first()
        if template is None:
            raise StepMissing("programa", _("La plantilla elegida ya no existe: elija otra."))
        source = None
        if catalogue.get("source"):
            source = Jurisdiction.objects.filter(slug=catalogue["source"]).first()
            if source is None:
                raise StepMissing("reportes", _("La jurisdicción de origen ya no existe: elija otra."))
        wanted = {c["organization"] for c in catalogue.get("agencies", {}).values() if c.get("organization")}
        wanted |= {
            int(i["organization"][4:]) for i in team.get("invites", []) if i.get("organization", "").startswith("org:")
        }
        organizations = Organization.objects.in_bulk(wanted)
        if len(organizations) != len(wanted):
            raise StepMissing("reportes", _("Una organización elegida ya no existe: revise los organismos."))
        agencies = {
            int(origin): AgencyChoice(
                organization=organizations.get(choice.get("organization")), new_name=choice.get("new_name", "")
            )
            for origin, choice in catalogue.get("agencies", {}).items()
        }
        invites = []
        for row in team.get("invites", []):
            organization, new_agency_of = None, None
            value = row.get("organization") or ""
            if value.startswith("org:"):
                organization = organizations[int(value[4:])]
            elif value.startswith("new:"):
                new_agency_of = int(value[4:])
                if new_agency_of not in agencies or agencies[new_agency_of].organization is not None:
                    raise StepMissing("equipo", _("Un organismo nuevo elegido para un funcionario ya no se crea."))
            invites.append(
                Invite(email=row["email"], role=row["role"], organization=organization, new_agency_of=new_agency_of)
            )
        return RegionPlan(
            name=territory["name"],
            slug=territory["slug"],
            kind=territory["kind"],
            center_lat=territory.get("center_lat"),
            center_lon=territory.get("center_lon"),
            areas_geojson=territory["areas_geojson"],
            template=template,
            program_name=program["name"],
            sector=program["sector"],
            start_date=date.fromisoformat(program["start_date"]),
            end_date=date.fromisoformat(program["end_date"]),
            summary=program.get("summary", ""),
            is_public=program.get("is_public", True),
            catalogue_source=source,
            agencies=agencies if source is not None else {},
            invites=invites,
        )
