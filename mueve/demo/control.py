"""Demo data for the control centre: nothing of its own.

The dashboard shows the incidents that mueve/demo/reports.py generates (with the operator's
acknowledgements and resolutions, which feed the statistics page); the live-event log fills itself
as the demo loads, because every service publishes its events.
"""


def load() -> None:
    pass
