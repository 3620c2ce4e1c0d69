"""Every bad input gets its own clear message, how to film it again, and exit code 2 from the CLI. No figure is
ever made from a poor video: each of these raises instead of measuring."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from kneeassess.__main__ import main
from kneeassess.movement import PROBLEMS, MovementRejected, analyse_squat
from tests.movement.conftest import SIDE_PHOTO, VIDEO, Frames

ROOT = Path(__file__).resolve().parents[2]


def rejected(source: Path | bytes) -> list[str]:
    with pytest.raises(MovementRejected) as caught:
        analyse_squat(source)
    return [p.code for p in caught.value.problems]


def cli_problems(path: Path, capfd: pytest.CaptureFixture[str]) -> list[str]:
    capfd.readouterr()  # what the direct call above logged
    code = main(["movement", str(path)])
    out, err = capfd.readouterr()
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert lines and all(line.startswith(f"{path}: ") for line in lines), err  # one line per problem, nothing else
    return lines


def expect(code: str, lines: list[str]) -> None:
    message, how = PROBLEMS[code]
    assert any(message.split("{")[0] in line and how.split("{")[0] in line for line in lines), (code, lines)


# ---- made from nothing ----

def test_random_bytes(tmp_path: Path, movement_dir: Path, capfd: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "squat.mp4"
    path.write_bytes(np.random.default_rng(1).bytes(200_000))
    assert rejected(path) == ["not_a_video"]
    expect("not_a_video", cli_problems(path, capfd))


def test_a_text_file_and_an_empty_file(tmp_path: Path, movement_dir: Path, capfd: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "notes.mov"
    text.write_text("my squat notes\n" * 100)
    empty = tmp_path / "empty.webm"
    empty.write_bytes(b"")
    for path in (text, empty):
        assert rejected(path) == ["not_a_video"]
        expect("not_a_video", cli_problems(path, capfd))


def test_truncated_video(tmp_path: Path, movement_dir: Path, capfd: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cut.mp4"
    path.write_bytes(VIDEO.read_bytes()[: VIDEO.stat().st_size // 2])
    assert rejected(path) == ["damaged"]
    expect("damaged", cli_problems(path, capfd))


def test_too_large(tmp_path: Path, movement_dir: Path, capfd: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.mp4"
    with path.open("wb") as f:  # sparse: 101 MB on paper, nothing on disk
        f.truncate(101_000_000)
    assert rejected(path) == ["too_large"]
    expect("too_large", cli_problems(path, capfd))


def test_blank_video(make_video: Callable[..., Path], movement_dir: Path, capfd: pytest.CaptureFixture[str]) -> None:
    path = make_video("blank.mp4", [np.full((1280, 720, 3), 170, np.uint8)] * 30)
    assert rejected(path) == ["nobody_in_view"]
    expect("nobody_in_view", cli_problems(path, capfd))


# ---- made from the fixture ----

def test_over_long_video(
    fixture_frames: Frames, make_video: Callable[..., Path], capfd: pytest.CaptureFixture[str]
) -> None:
    path = make_video("long.mp4", fixture_frames * 3)  # 39 s at 5 fps
    assert rejected(path) == ["too_long"]
    expect("too_long", cli_problems(path, capfd))


def test_side_view_photo(movement_dir: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert rejected(SIDE_PHOTO) == ["side_view"]
    expect("side_view", cli_problems(SIDE_PHOTO, capfd))


def test_too_dark(fixture_frames: Frames, make_video: Callable[..., Path], capfd: pytest.CaptureFixture[str]) -> None:
    path = make_video("dark.mp4", [(f * 0.12).astype(np.uint8) for f in fixture_frames])
    assert "too_dark" in rejected(path)
    expect("too_dark", cli_problems(path, capfd))


def test_blurred(fixture_frames: Frames, make_video: Callable[..., Path], capfd: pytest.CaptureFixture[str]) -> None:
    path = make_video("blurred.mp4", [cv2.GaussianBlur(f, (0, 0), 6) for f in fixture_frames])
    assert "too_blurred" in rejected(path)
    expect("too_blurred", cli_problems(path, capfd))


def test_feet_out_of_frame(
    fixture_frames: Frames, make_video: Callable[..., Path], capfd: pytest.CaptureFixture[str]
) -> None:
    path = make_video("no-feet.mp4", [np.ascontiguousarray(f[:880]) for f in fixture_frames])  # ankles at y ~950
    assert "feet_out_of_frame" in rejected(path)
    expect("feet_out_of_frame", cli_problems(path, capfd))


def test_person_out_of_view_part_of_the_time(
    fixture_frames: Frames, make_video: Callable[..., Path], capfd: pytest.CaptureFixture[str]
) -> None:
    wall = np.full_like(fixture_frames[0], 200)
    path = make_video("leaves.mp4", fixture_frames[:40] + [wall] * 25)
    assert "person_lost" in rejected(path)
    expect("person_lost", cli_problems(path, capfd))


def test_no_squat(fixture_frames: Frames, make_video: Callable[..., Path], capfd: pytest.CaptureFixture[str]) -> None:
    standing = fixture_frames[19:28] + fixture_frames[43:52]  # only the frames where she stands
    path = make_video("standing.mp4", standing * 3)
    assert rejected(path) == ["no_squat"]
    expect("no_squat", cli_problems(path, capfd))


def test_too_few_repetitions(
    fixture_frames: Frames, make_video: Callable[..., Path], capfd: pytest.CaptureFixture[str]
) -> None:
    path = make_video("one-squat.mp4", fixture_frames[:24])  # the first squat only
    assert rejected(path) == ["too_few_reps", "too_few_reps"]  # one line per leg
    lines = cli_problems(path, capfd)
    assert any("1 on the left leg" in line for line in lines) and any("1 on the right leg" in line for line in lines)


def test_the_real_command_exits_2(tmp_path: Path, movement_dir: Path) -> None:
    path = tmp_path / "random.mov"
    path.write_bytes(os.urandom(5000))
    done = subprocess.run([sys.executable, "-m", "kneeassess", "movement", str(path), "--json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [f"{path}: {' '.join(PROBLEMS['not_a_video'])}"]


def test_the_real_command_prints_the_figures(movement_dir: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "kneeassess", "movement", str(VIDEO), "--side", "right", "--json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    import json

    out = json.loads(done.stdout)
    assert list(out["legs"]) == ["right"] and len(out["legs"]["right"]["reps"]) == 3
