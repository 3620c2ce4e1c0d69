from kneeassess.content import catalogue
from kneeassess.screening import assess
from kneeassess.screening.plan import build_plan
from kneeassess.screening.weak_links import score_links
from tests.factories import HIP_RUNNER, safe

ARTICLE = ["floor_reach", "banded_hip_flexion", "single_leg_hop_landing", "side_plank", "reverse_lunge"]


def test_catalogue_has_the_article_five_with_brief_doses():
    cat = catalogue()
    assert [e.id for e in cat.exercises if e.origin == "article"] == ARTICLE
    sp = cat.get("side_plank")
    assert (sp.levels[1].sets, sp.levels[1].seconds, sp.levels[1].rest_seconds) == (5, 25, 10)
    assert (sp.levels[2].sets, sp.levels[2].seconds, sp.levels[2].seconds_max) == (3, 30, 45)
    fr = cat.get("floor_reach")
    assert (fr.levels[1].sets, fr.levels[1].reps, fr.levels[2].sets, fr.levels[2].reps) == (3, 12, 4, 12)
    assert "10 kg" in fr.levels[2].load
    hop = cat.get("single_leg_hop_landing").levels[2]
    assert (hop.sets, hop.reps) == (5, 8)
    assert cat.get("reverse_lunge").levels[2].reps == 10
    assert set(cat.get("single_leg_hop_landing").links) == {"foot", "hip"}


def test_additions_are_labelled_and_sourced():
    for ex in catalogue().exercises:
        if ex.id not in ARTICLE:
            assert ex.origin == "addition" and ex.source
    assert catalogue().get("strides").phases == ["progress"]
    assert "settle" not in catalogue().get("wall_sit").phases


def ids(plan):
    return [p.exercise for p in plan]


def test_settle_is_level_1_hip_dominant_without_hops_or_strides():
    links = score_links(HIP_RUNNER)
    plan = build_plan("settle", links)
    assert plan and all(p.level == 1 for p in plan)
    assert all(catalogue().get(p.exercise).hip_dominant for p in plan)
    assert "single_leg_hop_landing" not in ids(plan) and "strides" not in ids(plan)


def test_build_is_level_1_of_matching_exercises():
    plan = build_plan("build", score_links(HIP_RUNNER))
    assert all(p.level == 1 for p in plan)
    assert "side_plank" in ids(plan)
    assert "single_leg_calf_raise" not in ids(plan)  # foot is unlikely for this runner
    sp = next(p for p in plan if p.exercise == "side_plank")
    assert (sp.sets, sp.reps, sp.seconds, sp.per_side) == (5, None, 25, True)


def test_progress_is_level_2_with_hops_and_strides():
    plan = build_plan("progress", score_links(HIP_RUNNER))
    assert {"single_leg_hop_landing", "strides"} <= set(ids(plan))
    assert next(p for p in plan if p.exercise == "floor_reach").level == 2


def test_foot_runner_gets_foot_exercises():
    foot = safe(heel_raise_reps_left=12, heel_raise_reps_right=14, other_pain=["achilles"],
                pain_run_worst=3, pain_next_morning=0)
    a = assess(foot)
    assert a.weak_links[0].link == "foot" and a.phase == "build"
    assert "single_leg_calf_raise" in ids(a.plan)
    assert "floor_reach" not in ids(a.plan)  # hamstring/hip, neither flagged


def test_no_weak_link_gives_a_general_programme():
    a = assess(safe(pain_run_worst=1, pain_next_morning=0))
    assert a.plan and any("general" in p.why for p in a.plan)


def test_urgent_has_no_phase_and_no_plan():
    a = assess(safe(rf_numb_cold_foot=True, pain_run_worst=1, pain_next_morning=0))
    assert a.phase is None and a.plan == []


def test_settle_with_only_a_foot_link_still_gets_exercises():
    foot = safe(heel_raise_reps_left=12, heel_raise_reps_right=14, other_pain=["achilles"], pain_run_worst=7,
                pain_next_morning=3)
    a = assess(foot)
    assert a.phase == "settle" and a.weak_links[0].link == "foot"
    assert a.plan, "a settle-phase runner always gets exercises"
    ids = [p.exercise for p in a.plan]
    assert set(ids) <= {"floor_reach", "banded_hip_flexion", "side_plank", "bent_knee_calf_raise"}
    assert "bent_knee_calf_raise" in ids, "the foot link is served in settle by the bent-knee calf raise (brief §6)"
    assert next(p for p in a.plan if p.exercise == "bent_knee_calf_raise").serves == ["foot"]


def test_a_flagged_link_without_an_exercise_this_phase_is_named_with_the_phase_that_trains_it():
    from kneeassess.models import WeakLink
    from kneeassess.screening.plan import unserved_links

    links = [WeakLink(link="foot", score=70, level="likely", tested=True, reasons=[]),
             WeakLink(link="hip", score=40, level="possible", tested=True, reasons=[]),
             WeakLink(link="hamstring", score=0, level="unlikely", tested=True, reasons=[])]
    settle = build_plan("settle", links)
    assert unserved_links(settle, links, "settle") == []  # every flagged link has an exercise of its own
    no_foot = [p for p in settle if "foot" not in p.serves]  # e.g. a self-test answer took the calf raise out
    assert unserved_links(no_foot, links, "settle") == [("foot", "build")]  # named with the phase that trains it
    assert unserved_links(no_foot, links, "progress") == [("foot", None)]
