"""Any answers the questionnaire allows give a sane assessment (hypothesis explores the answer space)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneeassess.content import questionnaire
from kneeassess.screening import assess


def value_of(q):
    if q.kind == "choice":
        return st.sampled_from([o.value for o in q.options])
    if q.kind == "multi":
        plain = [o.value for o in q.options if o.value != q.exclusive]
        return st.lists(st.sampled_from(plain), unique=True, max_size=4) | st.just([q.exclusive] if q.exclusive
                                                                                     else plain[:1])
    if q.kind == "bool":
        return st.booleans()
    if q.kind == "pain":
        return st.integers(0, 10)
    if q.kind == "int":
        return st.integers(int(q.min), int(q.max))
    return st.floats(q.min, q.max, allow_nan=False).map(lambda x: round(x, 1))


@st.composite
def answers(draw):
    out = {}
    for q in questionnaire().questions:
        for aid in q.answer_ids:
            required = q.required or (q.ask_when and out.get("age_band") == "under_16")
            if required or draw(st.booleans()):
                out[aid] = draw(value_of(q))
    return out


HIP_EXERCISES = {"side_plank", "banded_hip_flexion"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers())
def test_every_allowed_answer_set_gives_a_sane_assessment(a):
    result = assess(a)
    assert [w.link for w in result.weak_links] and len(result.weak_links) == 3
    assert [w.score for w in result.weak_links] == sorted((w.score for w in result.weak_links), reverse=True)
    assert all(0 <= w.score <= 100 for w in result.weak_links)
    assert result.triage_advice is not None and result.triage_advice.level == result.triage
    if result.triage in ("urgent", "see_clinician_soon"):
        assert result.phase is None and result.plan == [], "no plan at all for urgent / see_clinician_soon"
    else:
        assert result.phase in ("settle", "build", "progress") and result.plan
        ids = [p.exercise for p in result.plan]
        assert len(ids) == len(set(ids))
        if result.phase == "settle":
            assert set(ids) <= {"floor_reach", "banded_hip_flexion", "side_plank", "bent_knee_calf_raise"}
            assert "reverse_lunge" not in ids
        else:
            assert set(ids) & HIP_EXERCISES, "a hip exercise in every plan from build on"
        if result.phase != "progress":
            assert "strides" not in ids and "single_leg_hop_landing" not in ids
        if result.triage == "see_clinician":
            assert result.phase != "progress", "never above build with a see_clinician flag"
        for p in result.plan:
            if p.exercise in ("single_leg_hop_landing", "strides"):
                assert p.level == 1, "first hop landings and strides at level 1"
        for link in (w.link for w in result.weak_links if w.level in ("likely", "possible")):
            assert any(link in p.serves for p in result.plan), f"the {link} link is served"
    assert not any(n.startswith(("Get medical help", "See a")) for n in result.notes), "notes carry no triage advice"
    if result.akps is not None:
        assert 0 <= result.akps <= 100
