"""The top floor: pages that gather several apps (the home page, the programme dossier).

Domain apps never import this package; it imports their selectors and services, never the other way.
"""
