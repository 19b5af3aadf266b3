"""The catalog's pages: one module per part (catalog: the public pages; steward: the stewards'; governance,
incoming, own_data)."""
