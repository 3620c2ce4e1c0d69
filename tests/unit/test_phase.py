import pytest

from kneeassess.screening.phase import phase_for


@pytest.mark.parametrize(
    "worst,morning,phase",
    [
        (0, 0, "progress"), (2, 2, "progress"), (2, 0, "progress"),
        (3, 0, "build"), (5, 2, "build"), (4, 1, "build"),
        (6, 0, "settle"), (10, 0, "settle"), (2, 3, "settle"), (5, 3, "settle"),
    ],
)
def test_phase_boundaries(worst, morning, phase):
    got, reason = phase_for(worst, morning)
    assert got == phase
    assert str(worst) in reason or str(morning) in reason


def test_unknown_pain_is_cautious():
    assert phase_for(None, None)[0] == "settle"
    assert phase_for(None, 0)[0] == "settle"
    assert phase_for(1, None)[0] == "build"  # no progression without knowing it settles
    assert phase_for(7, None)[0] == "settle"
