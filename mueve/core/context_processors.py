from django.conf import settings


def platform(request):
    return {"site_name": settings.MUEVE_SITE_NAME}


def csp_nonce(request):
    """This request's Content-Security-Policy nonce, for the rare inline <script>/<style> a template needs."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
