"""CKAN's action API over the catalog, so that CKAN clients (ckanapi, harvesters such as datos.gob.cl's) read it
unchanged: the read actions of CKAN 2.10 (actions.py), CKAN's dictionaries (serializers.py), its envelope and its
errors (errors.py), `package_search` (search.py) and `datastore_search` (over mueve.datasets.datastore.search).
Only published datasets are seen; their data (files, datastore rows) only as access.py allows."""
