import pytest

from kneeassess.screening.load import change_pct, ewma, ewma_acwr, load_findings, uncoupled_acwr
from tests.factories import safe


def weeks(w0, w1, w2, w3):
    return {"km_week_0": w0, "km_week_1": w1, "km_week_2": w2, "km_week_3": w3}


def test_brief_example_figures():
    load = load_findings(weeks(36, 20, 22, 21))
    assert load.weekly_km == [21, 22, 20, 36]  # oldest to newest
    assert load.change_pct == 71.4
    assert load.acwr == pytest.approx(36 / 21, abs=0.005)
    assert load.flags == ["big_jump"]


def test_uncoupled_ratio_is_3A_over_B():
    # A = last 7 days, B = the 21 days before: uncoupled = 3A / B
    assert uncoupled_acwr(30, [10, 20, 30]) == pytest.approx(3 * 30 / 60, abs=0.005)
    assert uncoupled_acwr(5, [0, 0, 0]) is None


def test_change_pct_sign_and_zero_base():
    assert change_pct(15, [20, 20, 20]) == -25.0
    assert change_pct(10, [0, 0, 0]) is None


@pytest.mark.parametrize(
    "w,flagged",
    [
        ((31, 20, 20, 20), True),   # ratio 1.55 > 1.5
        ((30, 20, 20, 20), True),   # ratio 1.5 is not above 1.5, but +50% on the week before is
        ((25, 19, 20, 21), True),   # ratio 1.25, +31.6% on the week before
        ((26, 20, 20, 20), False),  # ratio 1.3, +30% exactly: not "over 30%"
        ((22, 22, 18, 20), False),  # ratio 1.1, no rise on the week before
    ],
)
def test_big_jump_flag(w, flagged):
    assert ("big_jump" in load_findings(weeks(*w)).flags) is flagged


def test_two_week_rise_over_30_percent_alone_flags():
    load = load_findings(weeks(27, 20, 20, 20))  # ratio 1.35, +35% on the week before
    assert load.acwr < 1.5 and load.week_on_week_pct == 35.0
    assert "big_jump" in load.flags
    assert any("easing off" in f for f in load.findings)
    assert not any("will get injured" in f and "not" not in f for f in load.findings)


def test_steady_load_has_no_alert():
    load = load_findings(weeks(20, 20, 20, 20))
    assert load.flags == [] and load.acwr == 1.0 and load.change_pct == 0.0


def test_missing_week_means_not_judged():
    load = load_findings({"km_week_0": 10})
    assert load.change_pct is None and load.acwr is None
    assert load.weekly_km == [None, None, None, 10]


def test_steady_only_and_build_back_findings():
    load = load_findings(safe(easy_share="almost_all", speed_work="none", recent_changes=["returned_after_break"]))
    assert load.flags == ["steady_only", "build_back_gradually"]
    assert any("clinic's" in f for f in load.findings)
    assert "build_back_gradually" in load_findings({"onset_after_change": True}).flags


def test_ewma_uses_lambda_2_over_n_plus_1():
    series = ewma([10, 0, 0], 7)
    assert series == pytest.approx([10, 7.5, 5.625])  # lambda 0.25


def test_ewma_acwr_needs_28_days_and_rises_with_a_spike():
    assert ewma_acwr([5] * 27) is None
    assert ewma_acwr([5] * 28) == 1.0
    assert ewma_acwr([5] * 28 + [15] * 7) > 1.3
