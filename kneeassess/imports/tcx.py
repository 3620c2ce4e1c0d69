"""TCX (Garmin Training Center XML) activity files, parsed with defusedxml.

Totals are the laps' own: distance = the sum of the laps' ``DistanceMeters``, moving time = the sum of their
``TotalTimeSeconds`` (the timer time), average heart rate = the laps' averages weighted by lap time (else the
track points' mean). The stream comes from the track points: time, distance, ``TPX/Speed`` and heart rate.
"""

from __future__ import annotations

from datetime import datetime
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from kneeassess.imports.model import Activity, FileProblem, NotARun, Sample, as_utc


def parse_xml(data: bytes, what: str) -> Element:
    """Parse untrusted XML: a DTD (and so any entity declaration or external entity) is refused outright."""
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise FileProblem(
            f"refused: the {what} declares a DTD or entities (<!DOCTYPE>), which activity files never need "
            "and which can hide an entity-expansion attack"
        ) from None
    except ParseError as exc:
        raise FileProblem(f"damaged {what}: not well-formed XML ({exc})") from None


def local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(el: Element, name: str) -> Element | None:
    return next((c for c in el if local(c.tag) == name), None)


def _text(el: Element | None, *path: str) -> str | None:
    for name in path:
        if el is None:
            return None
        el = _child(el, name)
    return el.text.strip() if el is not None and el.text else None


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None


def parse(data: bytes, source: str) -> list[Activity]:
    root = parse_xml(data, "TCX file")
    if local(root.tag) != "TrainingCenterDatabase":
        raise FileProblem(f"not a TCX file (its root element is <{local(root.tag)}>)")
    activities = [a for a in root.iter() if local(a.tag) == "Activity"]
    if not activities:
        raise NotARun("no activity in the TCX file (a course or workout file?)")
    out = []
    for n, act in enumerate(activities):
        laps = [c for c in act if local(c.tag) == "Lap"]
        samples = []
        for tp in (el for lap in laps for el in lap.iter() if local(el.tag) == "Trackpoint"):
            t = _when(_text(tp, "Time"))
            if t is None:
                continue
            hr = _float(_text(tp, "HeartRateBpm", "Value"))
            speed = next((_float(e.text) for e in tp.iter() if local(e.tag) == "Speed"), None)
            samples.append(Sample(
                time=t, distance_m=_float(_text(tp, "DistanceMeters")), speed_mps=speed,
                heart_rate=int(hr) if hr and 20 <= hr <= 250 else None,
            ))
        samples.sort(key=lambda s: s.time)
        lap_time = [_float(_text(lap, "TotalTimeSeconds")) or 0.0 for lap in laps]
        lap_dist = [_float(_text(lap, "DistanceMeters")) for lap in laps]
        lap_hr = [_float(_text(lap, "AverageHeartRateBpm", "Value")) for lap in laps]
        start = _when(laps[0].get("StartTime")) if laps else None
        start = start or _when(_text(act, "Id")) or (samples[0].time if samples else None)
        if start is None:
            raise FileProblem("the TCX activity has no start time")
        distance = sum(d for d in lap_dist if d) if any(lap_dist) else None
        if distance is None:
            dists = [s.distance_m for s in samples if s.distance_m is not None]
            distance = max(dists) if dists else None
        weighted = [(h, t) for h, t in zip(lap_hr, lap_time, strict=True) if h and t]
        if weighted:
            avg_hr: float | None = sum(h * t for h, t in weighted) / sum(t for _, t in weighted)
        else:
            hrs = [s.heart_rate for s in samples if s.heart_rate]
            avg_hr = sum(hrs) / len(hrs) if hrs else None
        elapsed = (samples[-1].time - start).total_seconds() if samples else None
        out.append(Activity(
            source=source if len(activities) == 1 else f"{source} (part {n + 1})",
            sport=act.get("Sport"),
            start=start,
            distance_m=distance,
            timer_s=sum(lap_time) or None,
            elapsed_s=elapsed if elapsed and elapsed > 0 else None,
            avg_hr=avg_hr,
            samples=samples,
        ))
    return out
