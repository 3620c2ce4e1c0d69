"""Hostile and broken inputs: each is reported for that file alone, with little work, and the others still import.

"Little work" is counted, never timed (speed is measured by ``bench/imports.py``): the bytes zlib decompresses,
the ZIP entries listed, the files handed to an XML parser. A bomb that is really decompressed or expanded fails
by what it costs here, on any machine.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from kneeassess.imports import Limits, read_paths, read_uploads
from kneeassess.imports import gpx as gpx_module
from kneeassess.imports import tcx as tcx_module
from kneeassess.imports.model import FileProblem
from tests.imports.conftest import billion_laughs, gz, make_zip, read

GOOD = "garmin-fenix-5-run.fit"
MB = 1024 * 1024
CAP = Limits().file_bytes  # 25 MB: the most one file or entry may decompress to


@pytest.fixture
def good(fx) -> tuple[str, bytes]:
    return GOOD, read(GOOD)


def imports_good_and_one_error(result, source: str) -> str:
    """The good file imported; exactly one error, for `source`; its message returned."""
    assert [r.source.rsplit(":", 1)[-1].rsplit("/", 1)[-1] for r in result.runs] == [GOOD], result
    assert [e.source for e in result.errors] == [source], result.errors
    return result.errors[0].error


class Inflated:
    """The bytes zlib has decompressed so far: ZIP entries (zipfile) and gzip files (gzip) both go through
    ``zlib.decompressobj``, so a reader that skips the caps shows up here as the bomb's whole size."""

    def __init__(self) -> None:
        self.bytes = 0

    def wrap(self, make: Callable[..., object]) -> Callable[..., object]:
        counter = self

        class Counting:
            def __init__(self, *args: object, **kwargs: object) -> None:
                self._inner = make(*args, **kwargs)

            def decompress(self, data: bytes, max_length: int = 0) -> bytes:
                out = self._inner.decompress(data, max_length)
                counter.bytes += len(out)
                return out

            def flush(self, *args: int) -> bytes:
                out = self._inner.flush(*args)
                counter.bytes += len(out)
                return out

            def __getattr__(self, name: str) -> object:  # eof, unused_data, unconsumed_tail
                return getattr(self._inner, name)

        return Counting


@pytest.fixture
def inflated(monkeypatch: pytest.MonkeyPatch) -> Inflated:
    counter = Inflated()
    monkeypatch.setattr(zlib, "decompressobj", counter.wrap(zlib.decompressobj))
    real_decompress = zlib.decompress

    def decompress(data: bytes, *args: int) -> bytes:
        out = real_decompress(data, *args)
        counter.bytes += len(out)
        return out

    monkeypatch.setattr(zlib, "decompress", decompress)
    return counter


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """Start counting the ZIP entries listed (zipfile makes a ZipInfo for each entry of a directory it reads);
    the call returns the list to read after the work."""

    def start() -> list[str]:
        names: list[str] = []

        class Counted(zipfile.ZipInfo):
            __slots__ = ()

            def __init__(self, filename: str = "NoName", date_time: tuple[int, ...] = (1980, 1, 1, 0, 0, 0)):
                super().__init__(filename, date_time)
                names.append(filename)

        monkeypatch.setattr(zipfile, "ZipInfo", Counted)
        return names

    return start


@pytest.fixture
def xml_parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files handed to the GPX or TCX parser. A hostile one is never parsed here: a file that gets this far
    fails the test (and is not expanded)."""
    sources: list[str] = []

    def refuse(data: bytes, source: str) -> list[object]:
        sources.append(source)
        raise AssertionError(f"{source} reached the XML parser: the content check let it through")

    monkeypatch.setattr(gpx_module, "parse", refuse)
    monkeypatch.setattr(tcx_module, "parse", refuse)
    return sources


def zeros_zip(path: Path, entry: str, megabytes: int, extra: dict[str, bytes] | None = None) -> Path:
    """A ZIP bomb written in 1 MB pieces, so the test never holds it in memory (1.4 MB on disk for 300 MB)."""
    block = bytes(MB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open(entry, "w", force_zip64=True) as f:
            for _ in range(megabytes):
                f.write(block)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def test_zip_bomb_entry_is_refused_and_its_neighbours_import(good, tmp_path: Path, inflated: Inflated):
    bomb = zeros_zip(tmp_path / "bomb.zip", "activities/big.fit", 300, {"activities/" + GOOD: good[1]})
    assert bomb.stat().st_size < 3 * MB
    result = read_paths([bomb])
    message = imports_good_and_one_error(result, "bomb.zip:activities/big.fit")
    assert "larger than 25 MB" in message
    assert inflated.bytes <= len(good[1]) + 64 * 1024  # the good entry only: the bomb is refused by its declared size


def test_zip_bomb_with_a_lying_size_header_is_caught_while_decompressing(good, tmp_path: Path, inflated: Inflated):
    """The directory claims 1 KB; decompression is counted (and zipfile stops at the claim, then fails its CRC)."""
    path = zeros_zip(tmp_path / "liar.zip", "activities/liar.fit", 40, {"activities/" + GOOD: good[1]})
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("activities/liar.fit")
    central = raw.find(b"PK\x01\x02")  # the first central directory record is the bomb's
    assert raw[central + 46 : central + 46 + len(info.filename)] == info.filename.encode()
    assert info.file_size == 40 * MB
    raw[central + 24 : central + 28] = (1024).to_bytes(4, "little")  # uncompressed size: "1 KB"
    path.write_bytes(bytes(raw))
    result = read_uploads([("liar.zip", bytes(raw))])
    message = imports_good_and_one_error(result, "liar.zip:activities/liar.fit")
    assert "damaged" in message.lower()
    assert inflated.bytes <= CAP  # never the bomb's 40 MB: read a chunk at a time, zipfile stops at the claimed 1 KB


def test_gzip_bomb_is_refused(good, inflated: Inflated):
    bomb = gz(bytes(60 * MB))
    assert len(bomb) < MB
    result = read_uploads([("big.fit.gz", bomb), good])
    assert "larger than 25 MB" in imports_good_and_one_error(result, "big.fit.gz")
    assert CAP < inflated.bytes <= CAP + MB  # decompressing stopped just past the cap, not at the bomb's 60 MB


def test_zip_with_10000_entries_is_refused_before_listing_them(good, tmp_path: Path, listed):
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(10_000):
            zf.writestr(f"activities/{i}.gpx", b"")
    (tmp_path / GOOD).write_bytes(good[1])
    entries = listed()
    result = read_paths([path, tmp_path / GOOD])
    message = imports_good_and_one_error(result, "many.zip")
    assert "too many files" in message and "10,000" in message
    assert entries == []  # refused from the end record's count: not one entry of the directory was read

    raw = bytearray(path.read_bytes())  # the end record now claims 3 entries: the listing is counted too
    end = raw.rfind(b"PK\x05\x06")
    raw[end + 8 : end + 12] = (3).to_bytes(2, "little") * 2
    result = read_uploads([("lying.zip", bytes(raw)), good])
    assert "too many files in the archive (10,000;" in imports_good_and_one_error(result, "lying.zip")


def test_the_whole_import_has_a_size_budget(fx):
    files = [(n, read(n)) for n in ("running_activity_1.tcx", "activity-small-fenix2-run.fit", GOOD)]
    result = read_uploads(files, limits=Limits(total_bytes=900 * 1024))  # the TCX is 805 KB, the FIT 119 KB
    assert [r.source for r in result.runs] == ["running_activity_1.tcx"]
    assert {e.source for e in result.errors} == {"activity-small-fenix2-run.fit", GOOD}
    assert all("over 900 KB uncompressed" in e.error for e in result.errors)


@pytest.mark.parametrize("name, root", [("laughs.gpx", "gpx"), ("laughs.tcx", "TrainingCenterDatabase")])
def test_billion_laughs_is_refused_before_any_parser_sees_it(good, name: str, root: str, xml_parsed: list[str]):
    result = read_uploads([(name, billion_laughs(root)), good])
    message = imports_good_and_one_error(result, name)
    assert message.startswith("refused") and "DOCTYPE" in message
    assert xml_parsed == []  # refused by the content check (the parsers' own refusal is the next test)


@pytest.mark.parametrize("parse", [gpx_module.parse, tcx_module.parse])
def test_the_parsers_themselves_refuse_entities(parse):
    """Second line of defence: even past the content check, defusedxml refuses the DTD."""
    for doc in (billion_laughs("gpx"), billion_laughs("TrainingCenterDatabase"),
                b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]><gpx>&x;</gpx>'):
        with pytest.raises(FileProblem, match="refused"):
            parse(doc, "x")


def test_empty_file(good):
    assert imports_good_and_one_error(read_uploads([("empty.fit", b""), good]), "empty.fit") == "empty file (0 bytes)"


def test_empty_file_on_disk(good, tmp_path: Path):
    (tmp_path / "empty.gpx").write_bytes(b"")
    (tmp_path / GOOD).write_bytes(good[1])
    result = read_paths([tmp_path / "empty.gpx", tmp_path / GOOD])
    assert imports_good_and_one_error(result, "empty.gpx") == "empty file (0 bytes)"


PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


@pytest.mark.parametrize("name, content, what", [
    ("photo.fit", PNG, "PNG image"),
    ("track.gpx", b"PK\x05\x06" + bytes(18), "ZIP archive"),
    ("run.gpx", None, "FIT activity file"),
    ("run.tcx", b'<?xml version="1.0"?><gpx version="1.1"></gpx>', "GPX file"),
    ("notes.csv", PNG, "PNG image"),
])
def test_a_lying_extension_is_reported_with_what_the_file_really_is(good, name, content, what):
    content = good[1] if content is None else content
    message = imports_good_and_one_error(read_uploads([(name, content), good]), name)
    assert f"named .{name.rsplit('.', 1)[1]}" in message and what in message


def test_files_that_are_not_activities(good):
    result = read_uploads([("cat.png", PNG), ("notes.txt", b"hello"), ("doc.xml", b"<html></html>"), good])
    assert [r.source for r in result.runs] == [GOOD]
    assert [e.source for e in result.errors] == ["cat.png", "notes.txt", "doc.xml"]
    assert all("not an activity file" in e.error for e in result.errors)


def test_corrupt_and_truncated_gzip(good):
    whole = gz(read(GOOD))
    result = read_uploads([("a.fit.gz", whole[:20] + b"garbage" * 20), ("b.fit.gz", whole[: len(whole) // 2]), good])
    assert [r.source for r in result.runs] == [GOOD]
    assert [e.source for e in result.errors] == ["a.fit.gz", "b.fit.gz"]
    assert all(e.error.startswith("damaged gzip file") for e in result.errors)


def test_corrupt_zip_and_corrupt_entries(good, tmp_path: Path):
    broken = make_zip(tmp_path / "x.zip", {"activities/a.fit": b"x" * 100})
    cut = broken.read_bytes()[:60]
    result = read_uploads([("cut.zip", cut), ("garbage.fit", b"\x0e\x10" + bytes(6) + b".FIT" + b"\xff" * 50), good])
    assert [r.source for r in result.runs] == [GOOD]
    errors = {e.source: e.error for e in result.errors}
    assert set(errors) == {"cut.zip", "garbage.fit"}
    assert "damaged ZIP" in errors["cut.zip"] and "FIT" in errors["garbage.fit"]


def test_nested_archives_are_not_opened(good, tmp_path: Path):
    inner = make_zip(tmp_path / "inner.zip", {GOOD: good[1]}).read_bytes()
    result = read_uploads([("double.fit.gz", gz(gz(good[1]))), ("zipped.gpx.gz", gz(inner)), good])
    assert [e.source for e in result.errors] == ["double.fit.gz", "zipped.gpx.gz"]
    assert all("inside" in e.error for e in result.errors)
