"""Reading what a phone records (H.264/HEVC in .mp4/.mov, VP8/VP9 in .webm) or a photo, with OpenCV.

The upload is written to a private temporary file (mode 0600, OpenCV needs a path), read, and deleted in a
``finally`` before anything is measured; frames are downscaled to 720p and sampled at <= 10 per second. The
frames are kept only in memory, as small JPEGs for the annotated pictures.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")  # FFmpeg's own complaints about a bad file: we say it better
os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402

from kneeassess.movement.models import MovementRejected, problem  # noqa: E402
from kneeassess.movement.rules import MovementRules  # noqa: E402

Frame = npt.NDArray[np.uint8]
Progress = Callable[[float, str], None]

_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
_THUMB_SHORT_SIDE = 480


@dataclass
class Media:
    kind: str  # "video" or "photo"
    frames: list[Frame]  # BGR, downscaled (short side <= max_short_side_px)
    times: list[float]  # seconds from the start
    scale: float  # downscaled / original
    size: tuple[int, int]  # original width, height
    brightness: float = 0.0  # mean grey level of the sampled frames
    sharpness: float = 0.0  # median variance of the Laplacian
    uniform: bool = False  # every frame a flat colour (nothing filmed)
    thumbs: list[bytes] = field(default_factory=list)  # JPEG per frame, short side 480 px


def _looks_like_video(head: bytes) -> bool:
    box = head[4:8]
    return box in (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip") or head[:4] in (b"\x1a\x45\xdf\xa3", b"RIFF")


def _downscale(frame: Frame, rules: MovementRules) -> tuple[Frame, float]:
    h, w = frame.shape[:2]
    short = rules.video.max_short_side_px
    scale = min(1.0, short / min(h, w), (short * 16 / 9) / max(h, w))
    if scale < 1.0:
        frame = cv2.resize(frame, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)  # type: ignore[assignment]
    return frame, scale


def _thumb(frame: Frame) -> bytes:
    h, w = frame.shape[:2]
    s = min(1.0, _THUMB_SHORT_SIDE / min(h, w))
    small = cv2.resize(frame, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA) if s < 1 else frame
    ok, buf = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 85])
    return buf.tobytes() if ok else b""


def _quality(media: Media) -> None:
    greys = [cv2.cvtColor(f, cv2.COLOR_BGR2GRAY) for f in media.frames[:: max(1, len(media.frames) // 20)]]
    media.brightness = float(np.mean([g.mean() for g in greys]))
    media.uniform = all(float(g.std()) < 4.0 for g in greys)
    sharp = []
    for g in greys:
        s = 360 / min(g.shape)
        small = cv2.resize(g, (round(g.shape[1] * s), round(g.shape[0] * s)), interpolation=cv2.INTER_AREA)
        sharp.append(float(cv2.Laplacian(small, cv2.CV_64F).var()))
    media.sharpness = float(np.median(sharp))


def read_media(source: bytes | str | Path, rules: MovementRules, progress: Progress | None = None) -> Media:
    """Decode a video or photo. Raises :class:`MovementRejected` for a file that is not one, too big or too long."""
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        if path.stat().st_size > rules.video.max_megabytes * 1e6:
            raise MovementRejected([problem("too_large", limit=rules.video.max_megabytes)])
        data = path.read_bytes()
    if len(data) > rules.video.max_megabytes * 1e6:
        raise MovementRejected([problem("too_large", limit=rules.video.max_megabytes)])
    if data.startswith(_IMAGE_MAGIC):
        return _read_photo(data, rules)
    fd, tmp = tempfile.mkstemp(prefix="kneeassess-movement-", suffix=".video")  # mode 0600: only this user
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        return _read_video(tmp, data[:16], rules, progress)
    finally:
        os.unlink(tmp)  # the video is never kept: deleted as soon as it is read


def _read_photo(data: bytes, rules: MovementRules) -> Media:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise MovementRejected([problem("not_a_video")])
    h, w = image.shape[:2]
    frame, scale = _downscale(image, rules)  # type: ignore[arg-type]
    media = Media("photo", [frame], [0.0], scale, (w, h), thumbs=[_thumb(frame)])
    _quality(media)
    return media


def _read_video(path: str, head: bytes, rules: MovementRules, progress: Progress | None) -> Media:
    cap = cv2.VideoCapture(path)
    try:
        if not cap.isOpened():
            raise MovementRejected([problem("damaged" if _looks_like_video(head) else "not_a_video")])
        fps = cap.get(cv2.CAP_PROP_FPS)
        fps = fps if math.isfinite(fps) and 1 <= fps <= 240 else 30.0
        count = cap.get(cv2.CAP_PROP_FRAME_COUNT)
        limit = rules.video.max_seconds
        if math.isfinite(count) and count > 0 and count / fps > limit + 0.5:
            raise MovementRejected([problem("too_long", limit=limit)])
        step = max(1, round(fps / rules.video.sample_fps))
        frames: list[Frame] = []
        times: list[float] = []
        thumbs: list[bytes] = []
        scale, size, index = 1.0, (0, 0), 0
        total = count if math.isfinite(count) and count > 0 else limit * fps
        while True:
            if index % step:
                if not cap.grab():
                    break
                index += 1
                continue
            ok, raw = cap.read()
            if not ok:
                break
            t = index / fps
            if t > limit + 0.5:
                raise MovementRejected([problem("too_long", limit=limit)])
            size = (raw.shape[1], raw.shape[0])
            frame, scale = _downscale(raw, rules)  # type: ignore[arg-type]
            frames.append(frame)
            times.append(t)
            thumbs.append(_thumb(frame))
            index += 1
            if progress is not None and len(frames) % 5 == 0:
                progress(min(1.0, index / total), "Reading the video")
        if not frames:
            raise MovementRejected([problem("damaged" if _looks_like_video(head) else "not_a_video")])
        if math.isfinite(count) and count > 2 * step and index < 0.9 * count:
            raise MovementRejected([problem("damaged")])  # stopped well before its announced end: cut short
        media = Media("video", frames, times, scale, size, thumbs=thumbs)
        _quality(media)
        return media
    finally:
        cap.release()
