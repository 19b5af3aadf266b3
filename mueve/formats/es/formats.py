"""Dates in Spanish, as the platform writes them (docs/architecture.md, «Voz y fechas»).

Long, for prose, headings and anything read once: "5 de diciembre de 2026" (Django's own Spanish format; months in
lower case, never an abbreviation such as "Dic"). Short, for tables and charts with a date in every row:
"05-12-2026", day-month-year with hyphens, as Chile writes dates (and as the browsers' es-CL locale does).
Only what differs from Django's Spanish formats is set here; the rest (input formats, separators) is Django's.
"""

DATE_FORMAT = r"j \d\e F \d\e Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
MONTH_DAY_FORMAT = r"j \d\e F"
YEAR_MONTH_FORMAT = r"F \d\e Y"
# A date typed as it is shown ("05-12-2026") is read back; Django's Spanish slashes and ISO dates still work.
DATE_INPUT_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = [
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M",
]
