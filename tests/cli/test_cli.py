"""python -m kneeassess assess / schema, exactly as brief §10 specifies."""

import json
import subprocess
import sys

import jsonschema
import pytest

from tests.factories import HIP_RUNNER, safe


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "kneeassess", *args], input=stdin, capture_output=True, text=True)


@pytest.fixture
def answers_file(tmp_path):
    def write(obj, name="answers.json"):
        path = tmp_path / name
        path.write_text(json.dumps(obj) if not isinstance(obj, str) else obj)
        return str(path)

    return write


def test_assess_prints_the_brief_shape(answers_file):
    out = run("assess", answers_file(HIP_RUNNER))
    assert out.returncode == 0, out.stderr
    a = json.loads(out.stdout)
    assert {"triage", "red_flags", "notes", "akps", "weak_links", "load", "phase", "plan"} <= set(a)
    assert a["triage"] == "self_care" and a["red_flags"] == []
    assert a["akps"] == 100 - 2 - 1 - 2  # stairs 8, squatting 4, running 8
    assert [w["link"] for w in a["weak_links"]][0] == "hip" and len(a["weak_links"]) == 3
    hip = a["weak_links"][0]
    assert {"link", "score", "level", "tested", "reasons"} <= set(hip)
    assert {"text": "Knee drifted inwards in the single-leg squat (right)", "points": 25} in [
        {k: r[k] for k in ("text", "points")} for r in hip["reasons"]
    ]
    assert a["load"]["weekly_km"] == [21, 22, 20, 36] and a["load"]["change_pct"] == 71.4
    assert a["load"]["flags"] == ["big_jump"]
    assert a["phase"] == "build"
    side = next(p for p in a["plan"] if p["exercise"] == "side_plank")
    assert {k: side[k] for k in ("level", "sets", "reps", "seconds", "per_side")} == {
        "level": 1, "sets": 5, "reps": None, "seconds": 25, "per_side": True}


def test_urgent_has_null_phase_and_empty_plan(answers_file):
    a = json.loads(run("assess", answers_file(safe(rf_rapid_swelling=True))).stdout)
    assert (a["triage"], a["phase"], a["plan"], a["red_flags"]) == ("urgent", None, [], ["rf_rapid_swelling"])
    assert a["akps"] is None


def test_stdin_is_accepted():
    out = run("assess", "-", stdin=json.dumps(safe()))
    assert out.returncode == 0 and json.loads(out.stdout)["triage"] == "self_care"


def test_invalid_answers_exit_2_one_line_per_field_nothing_on_stdout(answers_file):
    bad = safe(pain_run_worst=11, akps_limp=4, km_week_0="5", sex="robot", nonsense=1)
    del bad["rf_locking"]
    out = run("assess", answers_file(bad))
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    fields = [line.split(":")[0] for line in lines]
    assert sorted(fields) == sorted(["pain_run_worst", "akps_limp", "km_week_0", "sex", "nonsense", "rf_locking"])


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", "", "\"answers\""])
def test_unreadable_input_exits_2(answers_file, text):
    out = run("assess", answers_file(text))
    assert out.returncode == 2 and out.stdout == "" and out.stderr.strip()
    assert "Traceback" not in out.stderr


def test_missing_file_exits_2(tmp_path):
    out = run("assess", str(tmp_path / "nope.json"))
    assert out.returncode == 2 and out.stdout == "" and "nope.json" in out.stderr


def test_usage_error_exits_2():
    assert run("assess").returncode == 2
    assert run("frobnicate").returncode == 2


def test_schema_is_a_json_schema_that_matches_the_validator():
    out = run("schema")
    assert out.returncode == 0
    schema = json.loads(out.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    v = jsonschema.Draft202012Validator(schema)
    assert not list(v.iter_errors(HIP_RUNNER))
    assert list(v.iter_errors(safe(pain_run_worst=11)))
    assert list(v.iter_errors({"rf_locking": False}))  # safety screen required
    assert list(v.iter_errors(safe(age_band="under_16")))  # child hip question then required
    assert list(v.iter_errors(safe(extra_field=True)))
    assert set(schema["properties"]) >= {"akps_limp", "heel_raise_reps_left", "hop_landing_right", "km_week_3"}


def test_deliver_and_hash_passcode_commands(tmp_path):
    import os

    env = {**os.environ, "KNEEASSESS_VAR_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "kneeassess", "deliver", "--once"], capture_output=True, text=True,
                         env=env)
    assert out.returncode == 0, out.stderr
    hashed = subprocess.run([sys.executable, "-m", "kneeassess", "hash-passcode"], input="letmein-2026\n",
                            capture_output=True, text=True)
    assert hashed.returncode == 0 and hashed.stdout.startswith("$argon2id$")
    from argon2 import PasswordHasher, extract_parameters
    from argon2.profiles import RFC_9106_LOW_MEMORY

    assert PasswordHasher().verify(hashed.stdout.strip(), "letmein-2026")
    assert extract_parameters(hashed.stdout.strip()) == RFC_9106_LOW_MEMORY  # the real cost (the unit tests lower it)
