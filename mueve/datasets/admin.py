# Each part of the catalog registers its own models in a module of its own.
from mueve.datasets import admin_governance  # noqa: F401
