"""Opening what was uploaded, safely: what a file really is (by content), gzip and ZIP within size caps.

Nothing here writes to disk: ZIP entry names are only labels, so a name like ``../../etc/passwd`` is harmless.

Caps (see :class:`Limits`): each file or entry at most 25 MB uncompressed, the whole import at most 200 MB
uncompressed, a ZIP at most 5,000 entries and a 16 MB central directory, an activities.csv at most 25,000 rows, and
60 s of reading (files not started by then are reported as not read). Sizes are *counted while
decompressing* (64 KB at a time), never taken from the headers alone; a header that already declares too much
is refused before any work.
"""

from __future__ import annotations

import gzip
import io
import re
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO, Protocol

from kneeassess.imports.model import FileProblem

MB = 1024 * 1024
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 25 * MB  # one activity file or CSV, uncompressed
    total_bytes: int = 200 * MB  # everything read in one import, uncompressed
    zip_entries: int = 5000
    zip_directory_bytes: int = 16 * MB  # a ZIP's central directory (bounds the work of listing it)
    archive_bytes: int = 2048 * MB  # a ZIP file itself (it is read entry by entry, never whole)
    csv_rows: int = 25_000  # rows of one activities.csv (a run a day for 68 years)
    seconds: float = 60.0  # reading one import: files not started by then are reported, not read


def size_text(n: int) -> str:
    return f"{n // MB} MB" if n >= MB else f"{n // 1024} KB"


class TotalTooLarge(FileProblem):
    """The import's budget (bytes or time) is spent: nothing more can be read."""


class Budget:
    """The bytes one import may still decompress or read, across all its files."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.left = limits.total_bytes
        self.deadline = time.monotonic() + limits.seconds

    def check_time(self) -> None:
        """Refuse to start another file once the import has taken its time budget."""
        if time.monotonic() > self.deadline:
            raise TotalTooLarge(
                f"not read: the import took longer than {self.limits.seconds:g} s in all; "
                "import fewer files at a time"
            )

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise TotalTooLarge(
                f"not read: the import is over {size_text(self.limits.total_bytes)} uncompressed in all; "
                "import fewer files at a time"
            )


def _too_big(limits: Limits) -> FileProblem:
    return FileProblem(too_big_message(limits))


def too_big_message(limits: Limits) -> str:
    return f"larger than {size_text(limits.file_bytes)} uncompressed: not read (activity files are far smaller)"


class Readable(Protocol):
    """A binary stream as far as :func:`read_capped` needs it (files, ``GzipFile``, a ZIP member)."""

    def read(self, size: int = -1, /) -> bytes: ...


def read_capped(stream: Readable, budget: Budget) -> bytes:
    """Read a stream to its end, counting as it goes; refuse past the per-file cap or the import's budget."""
    out = bytearray()
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return bytes(out)
        out += chunk
        if len(out) > budget.limits.file_bytes:
            raise _too_big(budget.limits)
        budget.take(len(chunk))


def gunzip(data: bytes, budget: Budget) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
            return read_capped(f, budget)
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
        raise FileProblem(f"damaged gzip file: {_gzip_reason(exc)}") from None


def _gzip_reason(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return "it ends before its compressed data does (cut short)"
    text = str(exc) or type(exc).__name__
    return text[:120]


# --- what a file really is ---------------------------------------------------------------------------------------

KINDS = {
    "fit": "a FIT activity file",
    "gzip": "a gzip-compressed file",
    "zip": "a ZIP archive",
    "tcx": "a TCX activity file",
    "gpx": "a GPX file",
    "xml": "an XML document that is neither GPX nor TCX",
    "xml-dtd": "an XML document with a <!DOCTYPE>",
    "text": "a text file",
    "png": "a PNG image",
    "jpeg": "a JPEG image",
    "gif": "a GIF image",
    "pdf": "a PDF document",
    "empty": "empty (0 bytes)",
    "binary": "binary data of an unknown kind",
}

EXTENSIONS = {".fit": "fit", ".gpx": "gpx", ".tcx": "tcx", ".csv": "text", ".zip": "zip", ".gz": "gzip"}

_XML_SKIP = re.compile(rb"\s*(<\?.*?\?>|<!--.*?-->)", re.S)
_XML_ROOT = re.compile(rb"\s*<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def sniff(data: bytes) -> str:
    """One of KINDS' keys, from the content alone."""
    if not data:
        return "empty"
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    if data[:2] == b"\x1f\x8b":
        return "gzip"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:5] == b"%PDF-":
        return "pdf"
    head = data[:65536]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if head.lstrip()[:1] == b"<":
        return _xml_kind(head)
    if b"\x00" in head:
        return "binary"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if controls > len(head) // 100:
        return "binary"
    return "text"


def _xml_kind(head: bytes) -> str:
    pos = 0
    while True:
        m = _XML_SKIP.match(head, pos)
        if not m:
            break
        pos = m.end()
    if head[pos:].lstrip()[:9].upper() == b"<!DOCTYPE":
        return "xml-dtd"
    root = _XML_ROOT.match(head, pos)
    if not root:
        return "xml"
    name = root.group(2).decode("ascii", "replace")
    return {"TrainingCenterDatabase": "tcx", "gpx": "gpx"}.get(name, "xml")


def extension_kind(name: str) -> str | None:
    """What the name claims, or None when its extension is not one of ours."""
    return EXTENSIONS.get(PurePosixPath(name.lower()).suffix)


def inner_name(name: str) -> str:
    """``123.fit.gz`` -> ``123.fit``."""
    return name[:-3] if name.lower().endswith(".gz") else name


# --- ZIP -----------------------------------------------------------------------------------------------------

_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")


def _zip_counts(fp: BinaryIO) -> tuple[int, int]:
    """(entries, central directory bytes) from the end record, before zipfile lists a single entry."""
    fp.seek(0, io.SEEK_END)
    size = fp.tell()
    tail_len = min(size, _EOCD.size + 65535)
    fp.seek(size - tail_len)
    tail = fp.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD.size:
        raise FileProblem("damaged ZIP archive: its directory (end record) is missing")
    _, _, _, _, entries, cd_size, _, _ = _EOCD.unpack_from(tail, at)
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:  # Zip64: the real counts are in the Zip64 end record
        loc = at - _ZIP64_LOCATOR.size
        if loc < 0 or tail[loc : loc + 4] != b"PK\x06\x07":
            raise FileProblem("damaged ZIP archive: its Zip64 directory is missing")
        _, _, eocd64_at, _ = _ZIP64_LOCATOR.unpack_from(tail, loc)
        fp.seek(eocd64_at)
        rec = fp.read(_ZIP64_EOCD.size)
        if len(rec) < _ZIP64_EOCD.size or rec[:4] != b"PK\x06\x06":
            raise FileProblem("damaged ZIP archive: its Zip64 directory is missing")
        fields = _ZIP64_EOCD.unpack(rec)
        entries, cd_size = fields[7], fields[8]
    return entries, cd_size


class Zip:
    """A ZIP archive listed within the caps; entries read one at a time, counted while decompressing."""

    def __init__(self, fp: BinaryIO, limits: Limits):
        entries, cd_size = _zip_counts(fp)
        if entries > limits.zip_entries:
            raise FileProblem(f"too many files in the archive ({entries:,}; at most {limits.zip_entries:,})")
        if cd_size > limits.zip_directory_bytes:
            raise FileProblem(f"the archive's directory is too large ({cd_size // MB} MB): not read")
        fp.seek(0)
        try:
            self.zf = zipfile.ZipFile(fp)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise FileProblem(f"damaged ZIP archive: {exc}") from None
        infos = self.zf.infolist()
        if len(infos) > limits.zip_entries:  # the end record lied
            raise FileProblem(f"too many files in the archive ({len(infos):,}; at most {limits.zip_entries:,})")
        self.infos = [i for i in infos if not i.is_dir()]

    def names(self) -> list[str]:
        return [i.filename for i in self.infos]

    def read(self, name: str, budget: Budget) -> bytes:
        info = self.zf.getinfo(name)
        if info.file_size > budget.limits.file_bytes:  # declared too big: refuse without decompressing
            raise _too_big(budget.limits)
        try:
            with self.zf.open(info) as f:
                return read_capped(f, budget)
        except FileProblem:
            raise
        except RuntimeError as exc:  # encrypted
            raise FileProblem(f"cannot read this archive entry: {exc}") from None
        except NotImplementedError:
            raise FileProblem("cannot read this archive entry: unsupported compression method") from None
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, ValueError) as exc:
            raise FileProblem(f"damaged archive entry: {exc}") from None

    def close(self) -> None:
        self.zf.close()

