"""The datastore: tabular distributions held as real tables, one per loaded version, queried by the CKAN API's
`datastore_search` and previewed on the dataset's page.

Conventions every part of the catalog relies on:
- a distribution's rows live in the table named by `Distribution.datastore_table` (`ds_<uuid hex>_<version>`);
- its fields are `Distribution.datastore_fields`, a list of {"id": <name as published>, "type": <FIELD_TYPES>};
- the table's columns are `_id` (1..n, the row's order in the source) and `c0`, `c1`, … in the fields' order, so
  that published names never become SQL identifiers;
- a load builds a new table and swaps it in only when every row is in (tables.load): a failed load changes nothing.
"""

from mueve.datasets.datastore.tables import FIELD_TYPES, column, drop, load, quote

__all__ = ["FIELD_TYPES", "column", "drop", "load", "quote"]
