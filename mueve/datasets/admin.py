"""Each part of the catalog registers its own models' admin in a module of its own."""

from mueve.datasets import admin_governance  # noqa: F401
from mueve.datasets.dcat import admin as dcat_admin  # noqa: F401
