"""Reading a batch of uploads or paths into runs, skipped activities and per-file errors.

1. Each upload is identified by its content (``archive.sniff``). A ZIP is listed within the caps and its
   ``activities.csv`` and activity files (``.fit``/``.gpx``/``.tcx``, optionally ``.gz``) become the work; its
   other entries (photos, JSON) are ignored. A name whose extension disagrees with the content is reported.
2. ``activities.csv`` files are read first. Each row that points (``Filename``) at an activity file in the same
   ZIP (or, for loose uploads, a file of the same name) is completed from that file: the file's start,
   distance, timer time, heart rate and speed stream win; the row's sport wins (the runner may have corrected
   it on Strava). If the file cannot be read, the row is used and the note says why. Files of rows that are
   not runs are not even opened.
3. Every activity is then judged (runs only), summarised (moving time, fast minutes, heart rate) and checked
   against the ``Run`` record's limits. The same run found twice in one batch (a watch file and its CSV row,
   a watch and a phone) is kept once - the one with speed data.

A problem with one file never stops the others: it becomes that file's entry in ``errors``.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from pydantic import ValidationError

from kneeassess.errors import VALUE_ERROR, first_field, problems_from
from kneeassess.imports import fast, fit, gpx, strava_csv, tcx
from kneeassess.imports.archive import (
    KINDS,
    Budget,
    Limits,
    TotalTooLarge,
    Zip,
    extension_kind,
    gunzip,
    inner_name,
    read_capped,
    sniff,
    too_big_message,
)
from kneeassess.imports.model import (
    MIN_RUN_M,
    Activity,
    FileProblem,
    ImportedRun,
    ImportError_,
    ImportResult,
    NotARun,
    Sample,
    Skipped,
    run_kind,
)
from kneeassess.imports.saving import to_run, unique_runs

Progress = Callable[[int, int], None]

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz")
UNKNOWN_SPORT_MAX_MPS = 6.5  # faster than 2:34 per km on average: not running (a ride)
MIN_SPEED_COVERAGE = 0.5  # a speed stream covering less than half the moving time gives no fast minutes

_DTD_REFUSED = (
    "refused: XML with a document type declaration (<!DOCTYPE>); activity files never need one, "
    "and it is how entity-expansion attacks (billion laughs) and external entities work"
)


@dataclass
class _Item:
    source: str  # shown to the runner
    name: str  # the name inside its container, for the extension check and the CSV's Filename links
    load: Callable[[Budget], bytes]
    group: int  # items of one ZIP or folder share a group; loose uploads are group 0
    csv_first: bool = False
    outcome: list[Activity | strava_csv.RowProblem] | None = None
    problem: str | None = None
    over_budget: bool = False
    not_run: str | None = None
    linked: bool = False  # claimed by an activities.csv row


@dataclass
class _Batch:
    limits: Limits
    budget: Budget = field(init=False)
    items: list[_Item] = field(default_factory=list)
    result: ImportResult = field(default_factory=ImportResult)
    closers: list[Callable[[], None]] = field(default_factory=list)
    groups: int = 0

    def __post_init__(self) -> None:
        self.budget = Budget(self.limits)

    def error(self, source: str, message: str) -> None:
        self.result.errors.append(ImportError_(source, message))


# --- public entry points ---------------------------------------------------------------------------------------

def read_uploads(
    files: Iterable[tuple[str, bytes]], progress: Progress | None = None, limits: Limits | None = None
) -> ImportResult:
    """Read uploaded files (name, content) - as ``st.file_uploader`` gives them - into an :class:`ImportResult`."""
    batch = _Batch(limits or Limits())
    for name, content in files:
        _add_top(batch, _base(name), len(content), content[:65536], partial(io.BytesIO, content))
    return _finish(batch, progress)


def read_paths(paths: Iterable[Path], progress: Progress | None = None, limits: Limits | None = None) -> ImportResult:
    """Read files, ZIPs or folders (an unzipped Strava export) from disk."""
    batch = _Batch(limits or Limits())
    for path in paths:
        path = Path(path)
        if path.is_dir():
            _add_folder(batch, path)
            continue
        try:
            size = path.stat().st_size
            with path.open("rb") as f:
                head = f.read(65536)
        except OSError as exc:
            batch.error(path.name, f"cannot read the file: {exc.strerror or exc}")
            continue
        _add_top(batch, path.name, size, head, partial(_open_binary, path))
    return _finish(batch, progress)


# --- planning: what is there to read -------------------------------------------------------------------------------

def _base(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).name or name


def _is_wanted(name: str) -> bool:
    low = name.lower().replace("\\", "/")
    base = PurePosixPath(low).name
    if low.startswith("__macosx/") or base.startswith("._"):  # macOS Finder's resource forks, not files
        return False
    return low.endswith(ACTIVITY_SUFFIXES) or base == "activities.csv"


def _open_binary(path: Path) -> BinaryIO:
    return path.open("rb")


def _add_top(batch: _Batch, name: str, size: int, head: bytes, opener: Callable[[], BinaryIO]) -> None:
    kind = sniff(head) if size else "empty"
    if kind == "zip":
        claimed = extension_kind(name)
        if claimed not in (None, "zip"):
            batch.error(name, _lying(name, kind))
            return
        _add_zip(batch, name, size, opener)
        return
    if kind != "empty" and size > batch.limits.file_bytes and kind != "gzip":
        batch.error(name, too_big_message(batch.limits))
        return

    def load(budget: Budget) -> bytes:
        with opener() as f:
            return read_capped(f, budget)

    batch.items.append(_Item(name, name, load, 0, csv_first=name.lower().endswith(".csv")))


def _add_zip(batch: _Batch, name: str, size: int, opener: Callable[[], BinaryIO]) -> None:
    if size > batch.limits.archive_bytes:
        batch.error(name, f"the archive is larger than {batch.limits.archive_bytes // 2**20:,} MB: not read")
        return
    fp = opener()
    try:
        archive = Zip(fp, batch.limits)
    except FileProblem as exc:
        fp.close()
        batch.error(name, str(exc))
        return
    batch.closers += [archive.close, fp.close]
    batch.groups += 1
    wanted = [n for n in archive.names() if _is_wanted(n)]
    if not wanted:
        batch.error(name, "no activities.csv and no .fit, .gpx or .tcx files in the archive")
        return
    for entry in wanted:
        batch.items.append(_Item(
            f"{name}:{entry}", entry, partial(archive.read, entry), batch.groups,
            csv_first=entry.lower().endswith(".csv"),
        ))


def _add_folder(batch: _Batch, folder: Path) -> None:
    files: list[Path] = []
    for root, _dirs, names in os.walk(folder):
        files += [Path(root) / n for n in names if _is_wanted(n)]
        if len(files) > batch.limits.zip_entries:
            batch.error(folder.name, f"too many files in the folder (more than {batch.limits.zip_entries:,})")
            return
    if not files:
        batch.error(folder.name, "no activities.csv and no .fit, .gpx or .tcx files in the folder")
        return
    batch.groups += 1
    for p in sorted(files):
        rel = p.relative_to(folder).as_posix()

        def load(budget: Budget, p: Path = p) -> bytes:
            if p.stat().st_size > budget.limits.file_bytes and not p.name.lower().endswith(".gz"):
                raise FileProblem(too_big_message(budget.limits))
            with p.open("rb") as f:
                return read_capped(f, budget)

        batch.items.append(_Item(f"{folder.name}/{rel}", rel, load, batch.groups, csv_first=rel.endswith(".csv")))


# --- reading one file ----------------------------------------------------------------------------------------

def _lying(name: str, kind: str) -> str:
    ext = PurePosixPath(name.lower()).suffix
    return f"named {ext} but it is {KINDS[kind]} (identified by its content): not imported"


def _parse(name: str, data: bytes, budget: Budget, source: str) -> list[Activity | strava_csv.RowProblem]:
    kind = sniff(data)
    claimed = extension_kind(name)
    if kind == "empty":
        raise FileProblem("empty file (0 bytes)")
    if kind == "gzip":
        if claimed not in (None, "gzip"):
            raise FileProblem(_lying(name, kind))
        data = gunzip(data, budget)
        name = inner_name(name)
        kind, claimed = sniff(data), extension_kind(name)
        if kind == "empty":
            raise FileProblem("the gzip file holds an empty file")
        if kind in ("gzip", "zip"):
            raise FileProblem(f"the gzip file holds {KINDS[kind]}: archives inside archives are not read")
    if kind == "xml-dtd":
        raise FileProblem(_DTD_REFUSED)
    if kind == "zip":
        raise FileProblem("an archive inside an archive is not read" if "." in name else _lying(name, kind))
    if claimed is not None and claimed != kind:
        raise FileProblem(_lying(name, kind))
    if kind == "fit":
        return list(fit.parse(data, source))
    if kind == "tcx":
        return list(tcx.parse(data, source))
    if kind == "gpx":
        return list(gpx.parse(data, source))
    if kind == "text" and (claimed == "text" or not PurePosixPath(name).suffix):
        return strava_csv.parse(data, source, max_rows=budget.limits.csv_rows)
    raise FileProblem(f"not an activity file: it is {KINDS[kind]}")


def _read(batch: _Batch, item: _Item) -> None:
    try:
        batch.budget.check_time()
        data = item.load(batch.budget)
        item.outcome = _parse(item.name, data, batch.budget, item.source)
    except NotARun as exc:
        item.not_run = str(exc)
    except TotalTooLarge as exc:
        item.problem, item.over_budget = str(exc), True
    except FileProblem as exc:
        item.problem = str(exc)
    except MemoryError:
        item.problem = "too large to read"
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the others
        item.problem = f"could not be read ({type(exc).__name__}: {str(exc)[:120]})"


# --- linking CSV rows to their files --------------------------------------------------------------------------

def _keys(name: str) -> set[str]:
    path = name.replace("\\", "/").lstrip("./").lower()
    base = PurePosixPath(path).name
    return {path, inner_name(path), base, inner_name(base)}


def _find(items: list[_Item], group: int, filename: str) -> _Item | None:
    wanted = _keys(filename)
    for item in items:
        if item.group == group and not item.csv_first and _keys(item.name) & wanted:
            return item
    return None


def _finish(batch: _Batch, progress: Progress | None) -> ImportResult:
    try:
        activities = list(_collect(batch, progress))
    finally:
        for close in batch.closers:
            close()
    runs: list[ImportedRun] = []
    for act in activities:
        try:
            runs.append(summarise(act))
        except NotARun as exc:
            batch.result.skipped.append(Skipped(act.source, str(exc)))
        except FileProblem as exc:
            batch.error(act.source, str(exc))
    batch.result.runs = _dedupe(sorted(runs, key=lambda r: r.start), batch.result.skipped)
    return batch.result


def _collect(batch: _Batch, progress: Progress | None) -> Iterator[Activity]:
    items = sorted(batch.items, key=lambda i: not i.csv_first)  # stable: CSVs first, then in upload order
    total, done = len(items), 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    if progress:
        progress(0, total)
    for item in items:
        if item.linked:
            tick()
            continue
        _read(batch, item)
        tick()
        if item.problem:
            batch.error(item.source, item.problem)
            if item.over_budget:  # nothing more can be read: say so for each file left
                for rest in items[items.index(item) + 1 :]:
                    if not rest.linked:
                        batch.error(rest.source, item.problem)
                return
            continue
        if item.not_run:
            batch.result.skipped.append(Skipped(item.source, item.not_run))
            continue
        for thing in item.outcome or []:
            if isinstance(thing, strava_csv.RowProblem):
                if thing.sport and run_kind(thing.sport) is None:
                    batch.result.skipped.append(Skipped(thing.source, f"{thing.sport}: not a run"))
                else:
                    batch.error(thing.source, thing.error)
                continue
            if thing.from_csv and thing.filename:
                yield from _complete_row(batch, items, item.group, thing)
                continue
            yield thing


def _complete_row(batch: _Batch, items: list[_Item], group: int, row: Activity) -> Iterator[Activity]:
    """A CSV row with a Filename: use the activity file when it is there and readable."""
    item = _find(items, group, row.filename or "")
    if item is None:
        yield row
        return
    if row.sport and run_kind(row.sport) is None:
        item.linked = True  # a ride's file: not worth opening
        yield row  # judged (and skipped) as the CSV says
        return
    if item.outcome is None and item.problem is None and item.not_run is None:
        _read(batch, item)
    item.linked = True
    found = [a for a in item.outcome or [] if isinstance(a, Activity)]
    if not found:
        why = item.problem or item.not_run or "no activity in it"
        row.note = _join(row.note, f"{item.name}: {why}; summary from activities.csv")
        yield row
        return
    best = max(found, key=lambda a: a.distance_m or 0)
    best.sport = row.sport or best.sport
    best.avg_hr = best.avg_hr or row.avg_hr
    best.distance_m = best.distance_m or row.distance_m
    best.elapsed_s = best.elapsed_s or row.elapsed_s
    try:
        summarise(best)  # a damaged file that holds no usable run: the row stands in for it
    except (FileProblem, NotARun) as exc:
        row.note = _join(row.note, f"{item.name}: {exc}; summary from activities.csv")
        yield row
        return
    yield best


# --- judging and summarising one activity -------------------------------------------------------------------

def _join(*notes: str | None) -> str | None:
    text = "; ".join(n for n in notes if n)
    return text or None


def _merged(samples: list[Sample]) -> list[Sample]:
    """Samples with the same time merged (the Strava app writes speed and distance in separate records)."""
    out: list[Sample] = []
    for s in samples:
        if out and out[-1].time == s.time:
            last = out[-1]
            last.distance_m = last.distance_m if last.distance_m is not None else s.distance_m
            last.speed_mps = last.speed_mps if last.speed_mps is not None else s.speed_mps
            last.heart_rate = last.heart_rate or s.heart_rate
        elif not out or s.time > out[-1].time:
            out.append(Sample(s.time, s.distance_m, s.speed_mps, s.heart_rate))
    return out


def speed_stream(samples: list[Sample]) -> list[tuple[float, float]] | None:
    """(seconds, m/s): the file's own speeds when most samples have one, else derived from distance."""
    merged = _merged(samples)
    if len(merged) < 10:
        return None
    t0 = merged[0].time
    speeds = [((s.time - t0).total_seconds(), s.speed_mps) for s in merged if s.speed_mps is not None]
    if len(speeds) >= len(merged) / 2:
        return [(t, v) for t, v in speeds if v is not None]
    dists = [((s.time - t0).total_seconds(), s.distance_m) for s in merged if s.distance_m is not None]
    if len(dists) >= len(merged) / 2:
        return fast.derived_speeds([(t, d) for t, d in dists if d is not None])
    return None


def summarise(act: Activity) -> ImportedRun:
    """An activity as a run for the preview, or NotARun / FileProblem."""
    kind = run_kind(act.sport)
    assumed = None
    if kind is None and act.sport:
        raise NotARun(f"{act.sport}: not a run")
    if act.start is None:
        raise FileProblem("no start time")
    stream = speed_stream(act.samples)
    distance = act.distance_m
    if not distance:
        dists = [s.distance_m for s in act.samples if s.distance_m is not None]
        distance = max(dists) if dists else None
    if not distance or distance <= 0:
        if act.damage:
            raise FileProblem(f"{act.damage}; no distance could be read")
        raise NotARun("no distance recorded (a treadmill run without a foot pod?): log it by hand")
    if distance < MIN_RUN_M:
        if act.damage:
            raise FileProblem(f"{act.damage}; what could be read holds no run ({distance:.0f} m)")
        raise NotARun(f"too short to be a run ({distance:.0f} m)")
    moving = act.timer_s or (fast.moving_seconds(stream) if stream else None) or act.elapsed_s
    if not moving or moving <= 0:
        raise FileProblem("no time recorded")
    if kind is None:  # the file does not say the sport (most GPX files)
        speed = distance / moving
        if speed > UNKNOWN_SPORT_MAX_MPS:
            raise NotARun(
                f"the file does not say the sport, and {speed * 3.6:.0f} km/h on average is too fast for "
                "running: probably a ride"
            )
        kind, assumed = "run", "the file does not say the sport: taken as a run"

    fast_min: float | None = None
    speed_note: str | None = "no speed data: fast minutes saved as 0"
    if stream:
        covered = fast.moving_seconds(stream)
        if covered >= MIN_SPEED_COVERAGE * moving:
            fast_min = min(fast.fast_minutes(stream), round(moving / 60, 2))
            speed_note = None
        else:
            speed_note = (
                f"speed data covers only {covered / 60:.0f} of {moving / 60:.0f} min: fast minutes saved as 0"
            )
    hr = act.avg_hr
    if hr is None:
        hrs = [s.heart_rate for s in act.samples if s.heart_rate]
        hr = sum(hrs) / len(hrs) if hrs else None
    avg_hr = round(hr) if hr is not None and 20 <= hr <= 250 else None
    run = ImportedRun(
        source=act.source,
        start=act.start,
        distance_km=round(distance / 1000, 3),
        moving_s=round(moving, 1),
        elapsed_s=round(act.elapsed_s, 1) if act.elapsed_s else None,
        avg_hr=avg_hr,
        fast_minutes=fast_min,
        sport=kind,
        note=_join(f"{act.damage}: distance and time from its summary" if act.damage else None,
                   act.note, assumed, speed_note),
        utc_offset_s=act.utc_offset_s,
    )
    _check(run)
    return run


RUN_FIELDS = {"km": "distance", "minutes": "moving time", "fast_minutes": "fast minutes"}  # as the preview says


def _check(run: ImportedRun) -> None:
    """The Run record's own limits (distance, time, fast minutes), as a message for the preview."""
    try:
        to_run(run, "check")
    except ValidationError as exc:
        problems = problems_from(exc, where=lambda e: RUN_FIELDS.get(first_field(e), "value"),
                                 message=lambda e: e["msg"].removeprefix(VALUE_ERROR))
        raise FileProblem("not a plausible run (" + "; ".join(map(str, problems)) + ")") from None


def _dedupe(runs: list[ImportedRun], skipped: list[Skipped]) -> list[ImportedRun]:
    kept, dropped = unique_runs(runs)
    skipped += [Skipped(d.source, f"the same run as {k.source} in this import") for d, k in dropped]
    return kept
