"""django-allauth fitted to Mueve: who must verify an address before logging in, and where people land."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        return super().get_login_redirect_url(request)

    def get_email_verification_redirect_url(self, email_address):
        # Verified, not yet logged in (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION is off): the next step is to log in.
        return reverse("accounts:login")

    def get_signup_redirect_url(self, request):
        return reverse("members:profile")
