from ninja import Schema


class EmergencyNoteOut(Schema):
    oxygen_dependent: bool
    ambulance_access: str
    ambulance_access_label: str
    text: str
    consent_given_by: str
    consent_recorded_at: str


class RuralPlaceOut(Schema):
    id: int
    plus_code: str
    short_code: str
    locality: str
    lat: float
    lon: float
    road_code: str
    road_name: str
    km: float
    km_text: str
    description: str
    status: str
    status_label: str
    generated: bool
    directions: str
    distance_m: int | None = None
    note: EmergencyNoteOut | None = None
