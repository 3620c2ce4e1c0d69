"""Any answers the questionnaire allows give a sane assessment (hypothesis explores the answer space)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneeassess.content import catalogue, questionnaire
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


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers())
def test_every_allowed_answer_set_gives_a_sane_assessment(a):
    result = assess(a)
    assert [w.link for w in result.weak_links] and len(result.weak_links) == 3
    assert [w.score for w in result.weak_links] == sorted((w.score for w in result.weak_links), reverse=True)
    assert all(0 <= w.score <= 100 for w in result.weak_links)
    if result.triage == "urgent":
        assert result.phase is None and result.plan == []
    else:
        assert result.phase in ("settle", "build", "progress") and result.plan
        ids = [p.exercise for p in result.plan]
        assert len(ids) == len(set(ids))
        if result.phase == "settle":
            assert all(catalogue().get(i).hip_dominant for i in ids)
            assert "single_leg_hop_landing" not in ids and "strides" not in ids
        if result.phase != "progress":
            assert "strides" not in ids
    if result.akps is not None:
        assert 0 <= result.akps <= 100
