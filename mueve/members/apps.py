from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    """A person's own space: their profile, what they did across the platform, and their rights over their data
    (Ley 21.719: access, rectification, deletion, portability, consents). It gathers several apps: top floor."""

    name = "mueve.members"
    label = "members"
    verbose_name = _("Miembros")

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed

        from mueve.members import receivers

        email_confirmed.connect(receivers.claim_reports_on_verified_email, dispatch_uid="members-claim-reports")
