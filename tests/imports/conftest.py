"""Shared for the import tests: the real activity files beside the checkout, and builders for made-up inputs.

The fixtures are read from ``../shared/fixtures/activities/`` (never copied into the repository); hostile
inputs are generated at run time under ``tmp_path``.
"""

from __future__ import annotations

import gzip
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import FIXTURES


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=1, mtime=0)


def make_zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def billion_laughs(root: str) -> bytes:
    lols = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE {root} [<!ENTITY lol0 "lol">{lols}]>\n<{root}>&lol9;</{root}>'
    ).encode()


def track_gpx(speeds: list[float], start: datetime | None = None, hr: int = 150, sport: str | None = None) -> bytes:
    """A GPX track northwards along a meridian: one point a second, moving at speeds[i] m/s in second i."""
    t = start or datetime(2026, 5, 4, 6, 30, tzinfo=UTC)
    lat, points = 47.0, []
    for v in [*speeds, speeds[-1]]:
        points.append(
            f'<trkpt lat="{lat:.7f}" lon="8.5"><time>{t.strftime("%Y-%m-%dT%H:%M:%SZ")}</time>'
            f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr>"
            "</gpxtpx:TrackPointExtension></extensions></trkpt>"
        )
        lat += v / 111_195.0  # metres per degree of latitude
        t += timedelta(seconds=1)
    kind = f"<type>{sport}</type>" if sport else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>test</name>{kind}<trkseg>{''.join(points)}</trkseg></trk></gpx>"
    ).encode()


def strides(base: float = 3.0, fast: float = 4.0, n: int = 6, length: int = 15, gap: int = 60,
            total: int = 600) -> list[float]:
    """total seconds at base speed with n stretches of `length` s at `fast` speed, `gap` s apart."""
    speeds = [base] * total
    at = 60
    for _ in range(n):
        speeds[at : at + length] = [fast] * length
        at += length + gap
    assert at <= total
    return speeds


def strava_csv(n: int, every: timedelta = timedelta(hours=4), km: float = 5.0) -> bytes:
    """An activities.csv in Strava's own format (the fixture's header and first row as the template) with ``n``
    distinct runs, one every ``every``, none linked to an activity file."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(read("strava-export-activities.csv").decode("utf-8"), newline="")))
    header, template = rows[0], rows[1]
    col = {name: header.index(name) for name in ("Activity ID", "Activity Date", "Filename")}
    km_col, metres_col = [i for i, name in enumerate(header) if name == "Distance"]
    start = datetime(2026, 8, 1, 6, 0, tzinfo=UTC)
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(header)
    for i in range(n):
        row = list(template)
        when = start - every * i
        row[col["Activity ID"]] = str(10_000_000_000 + i)
        row[col["Activity Date"]] = when.strftime("%b %-d, %Y, %-I:%M:%S %p")
        distance = km + (i % 7) * 0.5
        row[km_col], row[metres_col] = f"{distance:.2f}", f"{distance * 1000:.1f}"
        row[col["Filename"]] = ""
        out.writerow(row)
    return buf.getvalue().encode("utf-8")
