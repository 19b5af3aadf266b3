from django.conf import settings
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
