"""DCAT-AP 3 for the catalog: the export (`export`, served at /catalogo/dcat.ttl and .jsonld) and harvesting of
other catalogs (`harvest`: a CKAN portal through its action API, or a DCAT-AP catalog in RDF).

Both speak in the vocabularies of `mueve.datasets.models.vocab`; `terms` holds the RDF namespaces and the EU
authority tables' schemes they share.
"""
