"""What the stakeholders app publishes through mueve.core.events: each event's name and payload, in one place."""

from mueve.programs.models import Program
from mueve.stakeholders.models import Commitment, Organization

ORGANIZATION_CREATED = "stakeholders.organization_created"
ORGANIZATION_UPDATED = "stakeholders.organization_updated"
ORGANIZATIONS_IMPORTED = "stakeholders.organizations_imported"
PROGRAM_STAKEHOLDER_SET = "stakeholders.program_stakeholder_set"
COMMITMENT_CREATED = "stakeholders.commitment_created"
COMMITMENT_STATUS = "stakeholders.commitment_status"


def organization(*, organization: Organization) -> dict:
    """For ORGANIZATION_CREATED and ORGANIZATION_UPDATED."""
    return {"slug": organization.slug}


def organizations_imported(*, created: int, updated: int) -> dict:
    return {"created": created, "updated": updated}


def program_stakeholder_set(*, program: Program, organization: Organization) -> dict:
    return {"program": program.slug, "organization": organization.slug}


def commitment(*, program: Program, commitment: Commitment) -> dict:
    """For COMMITMENT_CREATED and COMMITMENT_STATUS."""
    return {"program": program.slug, "id": commitment.pk}
