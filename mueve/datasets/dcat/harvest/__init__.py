"""Harvesting other catalogs into this one: a CKAN portal (`ckan`, with ckanapi) or a DCAT-AP catalog (`rdf`, with
rdflib), read through `fetch` (http(s) only, a deadline, a size cap) into `records`, written by `run`.

`run.harvest(source)` runs one source now; `run.harvest_due()` runs those whose interval has passed (the
`harvest` management command, from cron or a systemd timer, every hour).
"""

from mueve.datasets.dcat.harvest.fetch import HarvestError
from mueve.datasets.dcat.harvest.run import due_sources, harvest, harvest_due

__all__ = ["HarvestError", "due_sources", "harvest", "harvest_due"]
