"""Strava's bulk-export ``activities.csv``: columns found by name (English or German), never by position.

Quirks handled:

* Duplicate column names. The export has a short summary block and then a detailed block, so ``Distance``,
  ``Elapsed Time``, ``Max Heart Rate``... appear twice. The *second* ``Distance`` is in metres; the *first* is
  in the athlete's unit (km or miles) with two decimals. Distance = the second when the row has it; otherwise
  the first, converted with the unit learnt from the file (the ratio second/first over the rows that have both:
  ~1000 for km, ~1609 for miles), else from ``Average Speed`` x ``Moving Time``, else by magnitude (above 400
  it must be metres, else km - noted as an assumption).
* Dates: ``Aug 3, 2026, 6:40:00 AM`` (English), ``09.12.2022, 15:24:49`` (German), ISO. Strava writes the
  activity date in UTC.
* Decimal commas (``9,44``), quoted fields with commas and line breaks, a BOM, extra or missing columns,
  semicolon-separated files re-saved by a spreadsheet.

German header names used here come from real German exports (see the module's ``COLUMNS``).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from statistics import median
from typing import Protocol

from kneeassess.imports.model import Activity, FileProblem


class Cell(Protocol):
    """A row's value in one of the canonical columns (``which``: the first or second of that name), or None."""

    def __call__(self, row: list[str], key: str, which: int = 0) -> str | None: ...

# canonical key -> header names (compared case-insensitively). English and German as Strava writes them.
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("Activity ID", "Aktivitäts-ID"),
    "date": ("Activity Date", "Aktivitätsdatum"),
    "name": ("Activity Name", "Name der Aktivität"),
    "type": ("Activity Type", "Aktivitätsart"),
    "elapsed": ("Elapsed Time", "Verstrichene Zeit"),
    "moving": ("Moving Time", "Bewegungszeit"),
    "distance": ("Distance", "Distanz"),
    "avg_hr": ("Average Heart Rate", "Durchschnittliche Herzfrequenz"),
    "avg_speed": ("Average Speed", "Durchschnittliche Geschwindigkeit"),
    "filename": ("Filename", "Dateiname"),
}
_LOOKUP = {name.casefold(): key for key, names in COLUMNS.items() for name in names}

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_MONTHS.update({"mär": 3, "mrz": 3, "mai": 5, "okt": 10, "dez": 12})  # German abbreviations, just in case
_EN_DATE = re.compile(
    r"^([^\W\d_]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp])?\.?\s*[Mm]?\.?$"
)
_DE_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$")
_CLOCK = re.compile(r"^(\d+):(\d{2})(?::(\d{2}))?$")

KM, MILE, METRE = 1000.0, 1609.344, 1.0


@dataclass
class RowProblem:
    source: str
    sport: str | None
    error: str


def number(text: str | None) -> float | None:
    """``9.44``, ``9,44``, ``1.234,5``, ``1,234.5`` -> float; empty or unreadable -> None."""
    if text is None:
        return None
    s = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    if not s:
        return None
    if "," in s and "." in s:
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
    elif s.count(",") == 1:
        s = s.replace(",", ".")  # a decimal comma: Strava does not group thousands
    elif s.count(",") > 1:
        s = s.replace(",", "")
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def seconds(text: str | None) -> float | None:
    """Seconds as Strava writes them (``1762.0``, ``1762,0``), or ``H:MM:SS``."""
    if text and (m := _CLOCK.match(text.strip())):
        h, mi, s = m.groups()
        return int(h) * 3600 + int(mi) * 60 + int(s) if s is not None else int(h) * 60 + int(mi)
    return number(text)


def parse_date(text: str) -> datetime | None:
    """Strava's activity date, which is in UTC, as an aware datetime."""
    t = re.sub(r"[\u00a0\u202f\s]+", " ", text.strip())
    if m := _DE_DATE.match(t):
        d, mo, y, h, mi, s = m.groups()
        return _make(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
    if m := _EN_DATE.match(t):
        mon, d, y, h, mi, s, ampm = m.groups()
        month = _MONTHS.get(mon[:3].casefold())
        if month is None:
            return None
        hour = int(h)
        if ampm:
            if hour > 12:
                return None
            hour = hour % 12 + (12 if ampm.lower() == "p" else 0)
        return _make(int(y), month, int(d), hour, int(mi), int(s or 0))
    if m := _ISO_DATE.match(t):
        try:
            value = datetime.fromisoformat(t.replace(" ", "T").replace("Z", "+00:00"))
        except ValueError:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return None


def _make(y: int, mo: int, d: int, h: int, mi: int, s: int) -> datetime | None:
    try:
        return datetime(y, mo, d, h, mi, s, tzinfo=UTC)
    except ValueError:
        return None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # re-saved by a spreadsheet on Windows


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if max(counts.values()) else ","


def _nearest_unit(ratio: float) -> float:
    return min((METRE, KM, MILE), key=lambda u: abs(math.log(ratio / u)))


def parse(data: bytes, source: str, max_rows: int | None = None) -> list[Activity | RowProblem]:
    """The CSV's rows as activities (or a row's problem). More than ``max_rows`` rows: FileProblem, nothing read."""
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line)))
    except csv.Error as exc:
        raise FileProblem(f"damaged CSV file: {exc}") from None
    if not rows:
        raise FileProblem("empty CSV file")
    header = [h.strip().lstrip("\ufeff") for h in rows[0]]
    cols: dict[str, list[int]] = {}
    for i, name in enumerate(header):
        key = _LOOKUP.get(name.casefold())
        if key:
            cols.setdefault(key, []).append(i)
    missing = [COLUMNS[k][0] for k in ("date", "type") if k not in cols]
    if "distance" not in cols:
        missing.append("Distance")
    if "moving" not in cols and "elapsed" not in cols:
        missing.append("Moving Time")
    if missing:
        raise FileProblem(
            "not a Strava activities.csv: no " + ", ".join(f"'{m}'" for m in missing) + " column"
            + (" (English and German exports are understood)" if len(missing) > 1 else "")
        )

    def cell(row: list[str], key: str, which: int = 0) -> str | None:
        idx = cols.get(key, [])
        if not idx:
            return None
        i = idx[which] if which < len(idx) else idx[-1]
        return row[i] if i < len(row) else None

    body = [r for r in rows[1:] if any(c.strip() for c in r)]
    if max_rows is not None and len(body) > max_rows:
        raise FileProblem(
            f"{len(body):,} rows: more than the {max_rows:,} one import reads; not read "
            "(split the file, or import the activity files themselves)"
        )
    distance = _Distances(body, cols, cell)

    out: list[Activity | RowProblem] = []
    for n, row in enumerate(body, start=2):
        ident = (cell(row, "id") or "").strip()
        src = f"{source}#{ident}" if ident else f"{source}#row {n}"
        sport = (cell(row, "type") or "").strip() or None
        start = parse_date(cell(row, "date") or "")
        if start is None:
            out.append(RowProblem(src, sport, f"date not understood: {(cell(row, 'date') or '')[:40]!r}"))
            continue
        metres, note = distance.metres(row)
        elapsed = seconds(cell(row, "elapsed", 1)) or seconds(cell(row, "elapsed", 0))
        moving = seconds(cell(row, "moving"))
        if not moving and elapsed:
            moving, note = elapsed, "no moving time in the CSV: elapsed time used"
        out.append(Activity(
            source=src, sport=sport, start=start, distance_m=metres, timer_s=moving, elapsed_s=elapsed,
            avg_hr=number(cell(row, "avg_hr")), filename=(cell(row, "filename") or "").strip() or None,
            from_csv=True, note=note,
        ))
    return out


class _Distances:
    """Which Distance column is in metres and what unit the other is in, learnt from the whole file.

    Strava's two columns are told apart by their values, not their places: over the rows that have both, one
    is about 1000 (km) or 1609 (miles) times the other; the larger is the metres. With one column, its unit
    comes from Average Speed x Moving Time, else from its magnitude (above 400 it can only be metres).
    """

    def __init__(self, body: list[list[str]], cols: dict[str, list[int]], cell: Cell) -> None:
        self.cols = cols.get("distance", [])[:2]
        self.note: str | None = None
        self.metres_col: int | None = None
        self.unit_col = self.cols[0]
        self.unit = KM

        def value(row: list[str], col: int) -> float | None:
            v = number(row[col]) if col < len(row) else None
            return v if v is not None and v > 0 else None

        self.value = value
        if len(self.cols) == 2:
            a, b = self.cols
            ratios = [vb / va for row in body if (va := value(row, a)) and (vb := value(row, b))]
            if ratios:
                r = median(ratios)
                if r < 1:
                    a, b, r = b, a, 1 / r
                unit = _nearest_unit(r)
                if unit != METRE:
                    self.metres_col, self.unit_col, self.unit = b, a, unit
                    return
        ratios = []
        for row in body:
            d, speed, moving = value(row, self.unit_col), number(cell(row, "avg_speed")), seconds(cell(row, "moving"))
            if d and speed and moving and speed > 0:
                ratios.append(speed * moving / d)
        if ratios:
            self.unit = _nearest_unit(median(ratios))
            return
        firsts = [d for row in body if (d := value(row, self.unit_col))]
        if firsts and median(firsts) > 400:
            self.unit = METRE
        else:
            self.note = "the CSV does not say the distance unit: read as km"

    def metres(self, row: list[str]) -> tuple[float | None, str | None]:
        if self.metres_col is not None and (m := self.value(row, self.metres_col)):
            return m, None
        d = self.value(row, self.unit_col)
        return (d * self.unit, self.note) if d else (None, None)
