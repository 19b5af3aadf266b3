from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from mueve.demo import mailbox


def mailbox_page(request):
    """The e-mails the demo would have sent (file backend): only in demo mode, where every address is made up."""
    if not settings.MUEVE_DEMO or settings.EMAIL_BACKEND != "django.core.mail.backends.filebased.EmailBackend":
        raise Http404
    return render(request, "demo/mailbox.html", {"messages_sent": mailbox.messages(settings.EMAIL_FILE_PATH)})
