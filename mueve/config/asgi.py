import os
import warnings

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mueve.config.settings")

# WhiteNoise 6 streams static files through a synchronous iterator; under ASGI Django reads it
# in a worker thread and warns on every file. The files are small and cached by browsers.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")

django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402

from mueve.core.asgi import Handler  # noqa: E402 - after setup

application = Handler()

from mueve.reports import intake  # noqa: E402 - after setup

if not intake.in_own_process():
    intake.start()  # processes reports accepted by Open311 (and any a previous run left pending)

from mueve.notifications import consumer  # noqa: E402 - after setup

if settings.MUEVE_NOTIFICATIONS_DELIVERY == "background":
    consumer.start_reader()  # turns events into notices (and catches up with any a previous run left unread)
