# Each part of the catalog registers its own models' admin in its package.
from mueve.datasets.dcat import admin as dcat_admin  # noqa: F401
