"""Small GTFS zips written by hand for the transit tests."""

import io
import zipfile

BASE = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,Buses Bío Bío,https://example.cl,America/Santiago\n",
    "stops.txt": (
        "stop_id,stop_name,stop_lat,stop_lon,tts_stop_name\n"
        "S1,Plaza Independencia,-36.8270,-73.0503,Plaza Independencia\n"
        "S2,Av. Paicaví,-36.8200,-73.0450,Avenida Paicaví\n"
        "S3,Mall Plaza Trébol,-36.8050,-73.0600,\n"
    ),
    "routes.txt": (
        "route_id,agency_id,route_short_name,route_long_name,route_type,continuous_pickup,continuous_drop_off\n"
        "R1,A,10,Centro - Trébol,3,0,0\n"
    ),
    "trips.txt": "route_id,service_id,trip_id,shape_id\nR1,LAB,T1,SH1\nR1,LAB,T2,SH1\n",
    "stop_times.txt": (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence,shape_dist_traveled\n"
        "T1,08:00:00,08:00:00,S1,1,0\n"
        "T1,,,S2,2,900\n"
        "T1,08:12:00,08:12:00,S3,3,2700\n"
        "T2,25:10:00,25:10:00,S1,1,0\n"
        "T2,25:15:00,25:15:00,S2,2,900\n"
        "T2,25:22:00,25:22:00,S3,3,2700\n"
    ),
    "calendar.txt": (
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "LAB,1,1,1,1,1,0,0,20260101,20271231\n"
    ),
    "shapes.txt": (
        "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence,shape_dist_traveled\n"
        "SH1,-36.8270,-73.0503,1,0\n"
        "SH1,-36.8200,-73.0450,2,900\n"
        "SH1,-36.8050,-73.0600,3,2700\n"
    ),
}


def gtfs_zip(overrides: dict[str, str | None] | None = None) -> bytes:
    """A valid little feed; `overrides` replaces files (None drops the file)."""
    files = {**BASE, **(overrides or {})}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in files.items():
            if text is not None:
                zf.writestr(name, text)
    return buf.getvalue()
