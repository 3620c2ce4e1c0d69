"""Issue 14 item 4: hostile JSON given to ``python -m kneeassess assess`` exits 2 with one line, no traceback, in
bounded memory (the process runs under a 1.5 GB address-space limit: an 80 MB array used 23.6 GB before)."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

MEMORY_LIMIT = 1536 * 1024 * 1024


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def assess(path: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kneeassess", "assess", path], input=stdin, capture_output=True,
                          timeout=120, preexec_fn=_limit_memory)


def check_refused(out: subprocess.CompletedProcess, expected: str) -> None:
    err = out.stderr.decode()
    assert out.returncode == 2, err[-2000:]
    assert out.stdout == b""
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert expected in err


@pytest.fixture
def write(tmp_path: Path):
    def make(data: bytes) -> str:
        path = tmp_path / "answers.json"
        path.write_bytes(data)
        return str(path)

    return make


def test_100000_levels_of_nesting(write):
    check_refused(assess(write(b"[" * 100_000 + b"]" * 100_000)), "nested more than 32 levels deep")


def test_100000_levels_of_nesting_on_stdin():
    check_refused(assess("-", stdin=b'{"a":' * 100_000 + b"1" + b"}" * 100_000), "-: ")


def test_a_5001_digit_integer(write):
    check_refused(assess(write(b'{"age_band": ' + b"9" * 5001 + b"}")), "a number with 5,001 digits")


def test_an_80_mb_array(write):
    check_refused(assess(write(b"[" + b"1," * (40 * 1024 * 1024) + b"1]")), "larger than 1 MB")


def test_brackets_inside_strings_do_not_count_as_nesting(write):
    out = assess(write(b'{"pain_location": "' + b"[" * 1000 + b'"}'))
    assert out.returncode == 2 and b"nested" not in out.stderr  # refused by the answers' own checks instead
