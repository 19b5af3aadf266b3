"""A subset of the NGSI-LD API (ETSI GS CIM 009 V1.6) at /ngsi-ld/v1/: the devices as Smart Data Model entities.

- representation: entity ids, the normalized and temporal representations, the UN/CEFACT unit codes.
- query: the `q` language subset and `georel=near`.
- views: entities, entityOperations/upsert, temporal entities, subscriptions.
- notify: subscriptions matched against stored readings, the notification outbox and its delivery.
"""
