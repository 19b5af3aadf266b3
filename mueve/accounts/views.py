from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Django's LoginView sets `site_name` to the request's host ("127.0.0.1:8101"), hiding the product's name
        # that the base template shows as the brand and in the title.
        context["site_name"] = settings.MUEVE_SITE_NAME
        return context


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {"profile_user": request.user})


def locked_out(request, credentials=None, *args, **kwargs):
    """The login page again, saying why the password is not even checked (django-axes' lock-out response)."""
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = max(1, int(cooloff.total_seconds() // 60))
    # Unbound: validating it would authenticate again.
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    response = render(
        request,
        "accounts/login.html",
        {"form": form, "locked_out_minutes": minutes, "next": request.POST.get("next", "")},
        status=429,
    )
    response["Retry-After"] = str(int(cooloff.total_seconds()))
    return response
