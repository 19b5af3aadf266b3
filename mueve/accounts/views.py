from allauth.account import views as allauth_views
from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from mueve.accounts.forms import LoginForm


def locked_out(request, credentials=None, *args, **kwargs):
    """The login page again, saying why the password is not even checked (django-axes' lock-out response)."""
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = max(1, int(cooloff.total_seconds() // 60))
    typed = request.POST.get("login") or request.POST.get("username", "")
    # Unbound: validating it would authenticate again.
    form = LoginForm(request=request, initial={"login": typed})
    response = render(
        request,
        "account/login.html",
        {"form": form, "locked_out_minutes": minutes, "redirect_field_value": request.POST.get("next", "")},
        status=429,
    )
    response["Retry-After"] = str(int(cooloff.total_seconds()))
    return response


class ConfirmEmailView(allauth_views.ConfirmEmailView):
    """allauth's page, answering an expired or unknown link with 400 and the same clear message on GET and POST
    (allauth renders it with 200 on GET and a bare 404 on POST)."""

    def _invalid(self):
        self.object = None
        response = self.render_to_response(self.get_context_data())
        response.status_code = 400
        return response

    def get(self, *args, **kwargs):
        response = super().get(*args, **kwargs)
        if self.object is None:
            response.status_code = 400
        return response

    def post(self, *args, **kwargs):
        try:
            return super().post(*args, **kwargs)
        except Http404:
            return self._invalid()


confirm_email = ConfirmEmailView.as_view()
