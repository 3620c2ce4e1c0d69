"""Wording the evidence supports (issue 13): one test per fixed wording, each able to fail if it comes back."""

from __future__ import annotations

from kneeassess.content import catalogue, data_dir, questionnaire
from kneeassess.screening import assess
from kneeassess.screening.kujala import VERSION, meaning
from kneeassess.screening.load import RATIO_NOTE, load_findings
from tests.factories import akps_all, safe

LEARN = (data_dir() / "learn.md").read_text(encoding="utf-8")


def _findings(**answers):
    return " ".join(load_findings(answers).findings)


def test_big_jump_is_the_most_cited_modifiable_factor_not_the_most_common_change():
    text = _findings(km_week_0=40, km_week_1=20, km_week_2=20, km_week_3=20)
    assert "most cited training factor you can change" in text
    assert "most common training change" not in text
    assert "most cited" in LEARN and "seen most often before running pain" not in LEARN


def test_returned_after_break_alone_does_not_say_the_pain_began_after_a_change():
    text = _findings(recent_changes=["returned_after_break"])
    assert "came back to running after a break" in text and "Your pain began after a change" not in text
    assert "Your pain began after a change" in _findings(onset_after_change=True)


def test_load_ratio_threshold_uses_the_exact_ratio():
    # 15.04 / 10 = 1.504: shown as 1.5, but above the 1.5 threshold
    just_above = load_findings({"km_week_0": 15.04, "km_week_1": 10, "km_week_2": 10, "km_week_3": 10})
    assert just_above.acwr == 1.5 and "big_jump" in just_above.flags
    at = load_findings({"km_week_0": 15, "km_week_1": 14, "km_week_2": 8, "km_week_3": 8})  # 15/10 = 1.5
    assert at.acwr == 1.5 and "big_jump" not in at.flags


def test_ratio_note_cites_impellizzeri_2021():
    assert "Impellizzeri 2021" in RATIO_NOTE and "2020" not in RATIO_NOTE


def test_kujala_ten_points_is_the_clinically_important_change_not_not_chance():
    text = meaning(80)
    assert "real change, not chance" not in text
    assert "smallest change that matters clinically" in text


def test_kujala_65_to_80_is_not_stated_as_fact():
    assert "could not confirm" in meaning(72)


def test_weak_quads_claim_is_limited_to_military_recruits():
    note = catalogue().get("wall_sit").evidence_note or ""
    assert "only strength risk factor" not in note.replace("\n", " ")
    assert "military recruits" in note


def test_calf_raise_and_bridge_do_not_cite_test_papers_as_their_source():
    for ex_id, paper in (("bent_knee_calf_raise", "Hébert-Losier"), ("single_leg_calf_raise", "Lunsford"),
                         ("single_leg_bridge", "Freckleton")):
        source = " ".join(catalogue().get(ex_id).source.split())
        assert "about the" in source and "not this exercise" in source, ex_id
        assert paper in source  # still named, as the test's paper


def test_when_to_get_help_names_every_warning_sign_and_says_promptly():
    section = LEARN[LEARN.index("## When to get help"):]
    for words in ("weight loss", "lump", "hip or groin", "limp", "promptly", "today"):
        assert words in section, words


def test_kujala_kneecap_options_use_the_published_wording():
    q = questionnaire().question("akps_kneecap")
    labels = {o.value: o.label for o in q.options}
    assert labels[2].startswith("At least one documented dislocation")
    assert labels[0] == "More than two dislocations"
    assert labels[6] == "Occasionally in sports activities" and labels[4] == "Occasionally in daily activities"


def test_the_scored_kujala_version_is_named():
    a = assess(safe(**akps_all(0)))
    assert a.kujala.version == VERSION and "J Orthop 2023" in VERSION


def test_sex_question_says_what_it_is_used_for_truthfully():
    help_text = questionnaire().question("sex").help or ""
    assert "heel-raise" in help_text and "24" in help_text and "21" in help_text
