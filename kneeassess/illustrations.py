"""The exercise and self-test illustrations: ``data/illustrations/<id>.svg``, one per exercise id and per self-test
section id (``single_leg_squat``, ``heel_raise``, ...).

The files are drawn by ``data/illustrations/make.py`` and committed; at run time they are only read. Each SVG has a
``<title>`` and a ``<desc>``; the desc is the alt text. A clinic that points ``KNEEASSESS_DATA_DIR`` at its own
content folder may put its own drawings in ``illustrations/`` there; missing ones fall back to the built-in set.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

from kneeassess import content

BUILT_IN = Path(__file__).resolve().parent.parent / "data" / "illustrations"
SVG_NS = "{http://www.w3.org/2000/svg}"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def illustration_path(item_id: str) -> Path:
    """The SVG file for an exercise id or self-test section id. Raises KeyError when there is none."""
    if not _ID.match(item_id or ""):
        raise KeyError(item_id)
    for folder in (content.data_dir() / "illustrations", BUILT_IN):
        path = folder / f"{item_id}.svg"
        if path.is_file():
            return path
    raise KeyError(item_id)


def has_illustration(item_id: str) -> bool:
    try:
        illustration_path(item_id)
    except KeyError:
        return False
    return True


@lru_cache(maxsize=64)
def _read(path: Path, mtime: float) -> str:
    return path.read_text(encoding="utf-8")


def svg(item_id: str) -> str:
    """The SVG document as text (with its ``<title>`` and ``<desc>``)."""
    path = illustration_path(item_id)
    return _read(path, path.stat().st_mtime)


def _element_text(item_id: str, tag: str) -> str:
    return _text_of(svg(item_id), tag)


@lru_cache(maxsize=256)
def _text_of(document: str, tag: str) -> str:  # keyed by the document itself: an edited file is parsed again
    root = ET.fromstring(document)
    node = root.find(f"{SVG_NS}{tag}")
    if node is None:
        node = root.find(tag)
    return " ".join((node.text or "").split()) if node is not None else ""


def alt_text(item_id: str) -> str:
    """What the picture shows, in words (the SVG's ``<desc>``), for screen readers and the PDF."""
    return _element_text(item_id, "desc")


def title(item_id: str) -> str:
    """The picture's short name (the SVG's ``<title>``)."""
    return _element_text(item_id, "title")


def drawing_only(item_id: str) -> str:
    """The SVG without ``<title>``/``<desc>``: for renderers that warn about them (fpdf2)."""
    text = svg(item_id)
    return re.sub(r"<(title|desc)\b[^>]*>.*?</\1>\s*", "", text, flags=re.S)


def data_uri(item_id: str) -> str:
    """``data:image/svg+xml;base64,...`` for an ``<img src>`` in HTML (use it with ``alt=alt_text(id)``)."""
    return _data_uri(svg(item_id))


@lru_cache(maxsize=64)
def _data_uri(document: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(document.encode("utf-8")).decode("ascii")
