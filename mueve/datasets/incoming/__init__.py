"""Incoming data from organizations: a steward's upload (CSV, XLSX, GeoJSON, GTFS) or a URL fetched on a schedule
becomes a new version of a distribution, published only when every check passes.

The pipeline (services.receive): the bytes are streamed to a private temporary file with a size cap
(`MUEVE_CATALOG_MAX_UPLOAD_MB`), counted and hashed on the way, never held whole in memory; then, by format:
- CSV: the encoding is detected (UTF-8, UTF-8 with a BOM, UTF-16 with a BOM, Windows-1252, ISO-8859-1) and the
  text re-encoded to UTF-8; the delimiter (";", "," or tab) is read from the header; a strict CSV pass finds
  unclosed quotes and formula-prefixed cells; then `frictionless` validates every row against the distribution's
  Table Schema (given by the steward, or inferred from the first accepted version and kept);
- XLSX: zip caps (zip.py), no macros, the first sheet read into the same CSV path;
- GeoJSON: a FeatureCollection of valid geometries with coordinates in range (geojson.py);
- GTFS: zip caps, then the transit app's reader (required files, columns, references).
An accepted tabular version is loaded into the datastore (an atomic swap) and its file published on the
distribution; a rejected one is kept, with its errors in Spanish, for the steward only, and changes nothing.

Formula-prefixed cells (text starting with "=", "+", "-", "@", a tab or a carriage return) are REFUSED with their
row and column, not neutralised: the published file stays byte for byte what the organization sent (re-encoded to
UTF-8 at most), so its checksum means something, and the organization fixes its source. A cell that is a number
("-33.45", "+56 9 1234 5678") or only dashes ("-", "--", a common "no data") is not a formula and passes.
"""
