from django.conf import settings


def platform(request):
    return {"site_name": settings.MUEVE_SITE_NAME}
