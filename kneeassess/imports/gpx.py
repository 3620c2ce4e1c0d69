"""GPX tracks, parsed with gpxpy after defusedxml has checked the document.

gpxpy parses with the standard library's ElementTree (or lxml when installed), which would expand entities
declared in a DTD. So the bytes first go through defusedxml with DTDs forbidden; a document with no DTD has
no entities to expand, and only then does gpxpy see it.

One activity per ``<trk>``. Distance = the 2-D length of its segments (gaps between segments not counted);
moving time is computed from the stream with the walking threshold (see ``fast.py``); heart rate from the
Garmin/other ``<extensions>`` (``hr``/``heartrate``). GPX rarely says the sport: ``<type>`` is used when it
names one, otherwise the sport is unknown and the caller decides (see ``reading.py``).
"""

from __future__ import annotations

import gpxpy
import gpxpy.gpx
from gpxpy.geo import distance as geo_distance

from kneeassess.imports.model import Activity, FileProblem, NotARun, Sample, as_utc
from kneeassess.imports.tcx import local, parse_xml


def _extension_values(point: gpxpy.gpx.GPXTrackPoint) -> tuple[int | None, float | None]:
    hr = speed = None
    for ext in point.extensions or []:
        for el in ext.iter():
            name = local(el.tag).lower()
            try:
                if name in ("hr", "heartrate") and el.text:
                    value = float(el.text)
                    hr = int(value) if 20 <= value <= 250 else None
                elif name == "speed" and el.text:
                    speed = float(el.text)
            except ValueError:
                continue
    return hr, speed


def _sport(kind: str | None) -> str | None:
    """``<type>running</type>`` names the sport; a bare number (some apps' own codes) does not."""
    kind = (kind or "").strip()
    return kind if kind and not kind.isdigit() else None


def parse(data: bytes, source: str) -> list[Activity]:
    root = parse_xml(data, "GPX file")  # refuses DTDs/entities before gpxpy sees the text
    if local(root.tag) != "gpx":
        raise FileProblem(f"not a GPX file (its root element is <{local(root.tag)}>)")
    try:
        doc = gpxpy.parse(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FileProblem("the GPX file is not UTF-8 text") from None
    except (gpxpy.gpx.GPXException, ValueError) as exc:
        raise FileProblem(f"damaged GPX file: {str(exc)[:160]}") from None

    tracks = [t for t in doc.tracks if any(seg.points for seg in t.segments)]
    if not tracks:
        what = "waypoints only" if doc.waypoints else "routes only" if doc.routes else "empty"
        raise NotARun(f"no track in the file ({what}): not a recorded run")
    out = []
    for n, trk in enumerate(tracks):
        samples: list[Sample] = []
        total = 0.0
        for seg in trk.segments:
            prev = None
            for p in seg.points:
                if p.time is None:
                    continue
                if prev is not None:
                    total += geo_distance(prev.latitude, prev.longitude, None, p.latitude, p.longitude, None)
                prev = p
                hr, speed = _extension_values(p)
                samples.append(Sample(time=as_utc(p.time), distance_m=total, speed_mps=speed, heart_rate=hr))
        if not samples:
            raise FileProblem("the GPX track has no times, so it cannot be a recorded run")
        samples.sort(key=lambda s: s.time)
        hrs = [s.heart_rate for s in samples if s.heart_rate]
        out.append(Activity(
            source=source if len(tracks) == 1 else f"{source} (track {n + 1})",
            sport=_sport(trk.type),
            start=samples[0].time,
            distance_m=total,
            timer_s=None,  # GPX has no timer: moving time comes from the stream
            elapsed_s=(samples[-1].time - samples[0].time).total_seconds(),
            avg_hr=sum(hrs) / len(hrs) if hrs else None,
            samples=samples,
        ))
    return out
