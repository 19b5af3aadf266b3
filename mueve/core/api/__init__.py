"""API plumbing every app's router uses: authentication, the JSON body parser, the error shape.

It lives in core so that apps depend on it without depending on `mueve.api`, which imports every app's router.
"""

from ninja import NinjaAPI

from mueve.core.api.handlers import install_error_handlers
from mueve.core.api.parser import JsonParser


def create_api(**kwargs) -> NinjaAPI:
    """A NinjaAPI that reads only JSON object bodies and answers every failure in the one error shape."""
    api = NinjaAPI(parser=JsonParser(), **kwargs)
    install_error_handlers(api)
    return api
