"""Open Location Code (plus codes), written from the public specification: encode, decode, shorten and recover the
nearest full code from a short one and a reference point.

Integer arithmetic throughout (positions in 1/25 000 000 of a degree of latitude and 1/8 192 000 of longitude, the
resolution of a 15-digit code), so that a code never depends on how a float happens to round. Pure: no Django.
"""

import math
from dataclasses import dataclass

SEPARATOR = "+"
SEPARATOR_POSITION = 8
PADDING = "0"
ALPHABET = "23456789CFGHJMPQRVWX"
BASE = len(ALPHABET)  # 20
PAIR_CODE_LENGTH = 10
GRID_COLUMNS = 4
GRID_ROWS = 5
GRID_DIGITS = 5  # after the pairs; a code has at most 15 digits
MAX_DIGITS = PAIR_CODE_LENGTH + GRID_DIGITS
MIN_DIGITS = 2
LAT_MAX = 90
LNG_MAX = 180
PAIR_PRECISION = BASE**3  # 8000 units of the last pair per degree
LAT_PRECISION = PAIR_PRECISION * GRID_ROWS**GRID_DIGITS  # 25 000 000 units per degree
LNG_PRECISION = PAIR_PRECISION * GRID_COLUMNS**GRID_DIGITS  # 8 192 000 units per degree
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
# Lowest pair resolution (in degrees) at which a code shortened by 2*(i+1) digits is still recovered.
_PAIR_RESOLUTIONS = (20.0, 1.0, 0.05, 0.0025, 0.000125)


class CodeError(ValueError):
    """A code that is not valid Open Location Code, or an operation it does not support."""


@dataclass(frozen=True)
class CodeArea:
    south: float
    west: float
    north: float
    east: float
    length: int

    @property
    def center(self) -> tuple[float, float]:
        """(lat, lng) of the area's centre, kept inside the world."""
        return (
            min(self.south + (self.north - self.south) / 2, LAT_MAX),
            min(self.west + (self.east - self.west) / 2, LNG_MAX),
        )


def clip_latitude(lat: float) -> float:
    return min(LAT_MAX, max(-LAT_MAX, lat))


def normalize_longitude(lng: float) -> float:
    if -LNG_MAX <= lng < LNG_MAX:
        return lng
    return (lng + LNG_MAX) % 360 - LNG_MAX  # modulo, not a loop: a huge longitude costs no more than a small one


def is_valid(code: str) -> bool:
    if not isinstance(code, str) or not code:
        return False
    code = code.upper()
    if code.count(SEPARATOR) != 1:
        return False
    sep = code.index(SEPARATOR)
    if sep > SEPARATOR_POSITION or sep % 2 == 1:
        return False
    if PADDING in code:
        if sep < SEPARATOR_POSITION or code[0] == PADDING:
            return False
        start = code.index(PADDING)
        padding = code[start:sep]
        if set(padding) != {PADDING} or len(padding) % 2 == 1 or start % 2 == 1 or len(code) > sep + 1:
            return False
    if len(code.replace(SEPARATOR, "").replace(PADDING, "")) < MIN_DIGITS:
        return False
    if len(code) - sep - 1 == 1:  # one digit after the separator says nothing a grid could place
        return False
    return all(c in _VALUE for c in code.replace(SEPARATOR, "").replace(PADDING, ""))


def is_short(code: str) -> bool:
    return is_valid(code) and code.index(SEPARATOR) < SEPARATOR_POSITION


def is_full(code: str) -> bool:
    if not is_valid(code) or is_short(code):
        return False
    code = code.upper()
    # The first pair cannot point past the poles or the antimeridian.
    return _VALUE[code[0]] * BASE < LAT_MAX * 2 and (len(code) < 2 or _VALUE[code[1]] * BASE < LNG_MAX * 2)


def encode(lat: float, lng: float, length: int = PAIR_CODE_LENGTH) -> str:
    """The code of the area of `length` digits (2, 4, 6, 8, 10, 11 ... 15) holding the point."""
    if length < MIN_DIGITS or (length < PAIR_CODE_LENGTH and length % 2 == 1):
        raise CodeError(f"invalid code length {length}")
    length = min(length, MAX_DIGITS)
    if any(math.isnan(v) or math.isinf(v) for v in (lat, lng)):
        raise CodeError("latitude and longitude must be finite numbers")
    lat = clip_latitude(lat)
    lng = normalize_longitude(lng)
    # Rounded to 6 decimals before the floor, so 1.2 (really 1.19999...) is in the cell a person expects.
    lat_val = math.floor(round((lat + LAT_MAX) * LAT_PRECISION, 6))
    lng_val = math.floor(round((lng + LNG_MAX) * LNG_PRECISION, 6))
    lat_val = min(lat_val, 2 * LAT_MAX * LAT_PRECISION - 1)  # the north pole belongs to the top row of cells
    lng_val = min(max(lng_val, 0), 2 * LNG_MAX * LNG_PRECISION - 1)
    digits: list[str] = []
    if length > PAIR_CODE_LENGTH:
        for _ in range(GRID_DIGITS):
            digits.append(ALPHABET[(lat_val % GRID_ROWS) * GRID_COLUMNS + lng_val % GRID_COLUMNS])
            lat_val //= GRID_ROWS
            lng_val //= GRID_COLUMNS
    else:
        lat_val //= GRID_ROWS**GRID_DIGITS
        lng_val //= GRID_COLUMNS**GRID_DIGITS
    for _ in range(PAIR_CODE_LENGTH // 2):
        digits.append(ALPHABET[lng_val % BASE])
        digits.append(ALPHABET[lat_val % BASE])
        lat_val //= BASE
        lng_val //= BASE
    code = "".join(reversed(digits))[:length]
    if length < SEPARATOR_POSITION:
        return code + PADDING * (SEPARATOR_POSITION - length) + SEPARATOR
    return code[:SEPARATOR_POSITION] + SEPARATOR + code[SEPARATOR_POSITION:]


def decode(code: str) -> CodeArea:
    """The area a full code names."""
    if not is_full(code):
        raise CodeError(f"not a full code: {code!r}")
    digits = code.upper().replace(SEPARATOR, "").replace(PADDING, "")[:MAX_DIGITS]
    lat_units = lng_units = 0
    lat_step = lng_step = 0
    for i in range(0, min(len(digits), PAIR_CODE_LENGTH), 2):
        place = PAIR_CODE_LENGTH // 2 - 1 - i // 2
        lat_step = BASE**place * GRID_ROWS**GRID_DIGITS
        lng_step = BASE**place * GRID_COLUMNS**GRID_DIGITS
        lat_units += _VALUE[digits[i]] * lat_step
        lng_units += _VALUE[digits[i + 1]] * lng_step
    for j, char in enumerate(digits[PAIR_CODE_LENGTH:]):
        lat_step = GRID_ROWS ** (GRID_DIGITS - 1 - j)
        lng_step = GRID_COLUMNS ** (GRID_DIGITS - 1 - j)
        row, col = divmod(_VALUE[char], GRID_COLUMNS)
        lat_units += row * lat_step
        lng_units += col * lng_step
    return CodeArea(
        south=lat_units / LAT_PRECISION - LAT_MAX,
        west=lng_units / LNG_PRECISION - LNG_MAX,
        north=(lat_units + lat_step) / LAT_PRECISION - LAT_MAX,
        east=(lng_units + lng_step) / LNG_PRECISION - LNG_MAX,
        length=len(digits),
    )


def shorten(code: str, lat: float, lng: float) -> str:
    """The code without the leading digits a reference point nearby (a town's centre) supplies; unchanged when the
    point is too far for any digits to be dropped."""
    if not is_full(code):
        raise CodeError(f"only a full code can be shortened: {code!r}")
    if PADDING in code:
        raise CodeError(f"a padded code cannot be shortened: {code!r}")
    code = code.upper()
    center_lat, center_lng = decode(code).center
    distance = max(abs(center_lat - clip_latitude(lat)), abs(center_lng - normalize_longitude(lng)))
    for i in range(len(_PAIR_RESOLUTIONS) - 2, 0, -1):
        # 0.3 of the resolution, not 0.5: some slack for a reference point that is not exactly where the reader is.
        if distance < _PAIR_RESOLUTIONS[i] * 0.3:
            return code[(i + 1) * 2 :]
    return code


def recover_nearest(short_code: str, lat: float, lng: float) -> str:
    """The full code nearest the reference point whose last digits are `short_code`."""
    if not is_short(short_code):
        if is_full(short_code):
            return short_code.upper()
        raise CodeError(f"not a valid short code: {short_code!r}")
    short_code = short_code.upper()
    lat = clip_latitude(lat)
    lng = normalize_longitude(lng)
    padding_length = SEPARATOR_POSITION - short_code.index(SEPARATOR)
    resolution = float(BASE ** (2 - padding_length / 2))  # degrees covered by the missing digits
    half = resolution / 2
    area = decode(encode(lat, lng)[:padding_length] + short_code)
    center_lat, center_lng = area.center
    # The candidate is in the reference's cell; the nearest may be in the next cell north, south, east or west.
    if lat + half < center_lat and center_lat - resolution >= -LAT_MAX:
        center_lat -= resolution
    elif lat - half > center_lat and center_lat + resolution <= LAT_MAX:
        center_lat += resolution
    if lng + half < center_lng:
        center_lng -= resolution
    elif lng - half > center_lng:
        center_lng += resolution
    return encode(center_lat, center_lng, area.length)
