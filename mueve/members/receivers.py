"""django-allauth's hooks, each handing over to a service."""

from mueve.reports import services as report_services


def claim_reports_on_verified_email(sender, request, email_address, **kwargs) -> None:
    # Only a verified address proves the reports made with it are this person's.
    if email_address.verified:
        report_services.reports_claim(user=email_address.user, email=email_address.email)
