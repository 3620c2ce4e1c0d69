from datetime import date, timedelta

from kneeassess.screening.phase import weekly_pain, weekly_phases

MON = date(2026, 9, 7)  # a Monday
TODAY = date(2026, 11, 24)


def week(n, during, morning, runs=3):
    """Check-ins for week n after MON: the same ratings on `runs` days."""
    return [(MON + timedelta(weeks=n, days=2 * i), during, morning) for i in range(runs)]


def phases(start, *weeks_):
    checkins = [c for w in weeks_ for c in w]
    return weekly_phases(start, weekly_pain(checkins), TODAY)


def test_two_green_weeks_move_build_to_progress():
    d = phases("build", week(0, 2, 0), week(1, 1, 0))
    assert [x.phase for x in d] == ["build", "progress"]
    assert d[-1].changed and "Two weeks" in d[-1].reason


def test_one_green_week_is_not_enough():
    d = phases("build", week(0, 2, 0))
    assert d[-1].phase == "build" and "1 of 2" in d[-1].reason


def test_settle_moves_to_build_with_two_acceptable_settled_weeks():
    d = phases("settle", week(0, 4, 1), week(1, 5, 2))
    assert d[-1].phase == "build"


def test_next_morning_pain_drops_back():
    d = phases("progress", week(0, 2, 3))
    assert d[-1].phase == "build" and "did not settle overnight" in d[-1].reason


def test_pain_above_5_drops_back_and_settle_stays_settle():
    assert phases("build", week(0, 6, 0))[-1].phase == "settle"
    d = phases("settle", week(0, 7, 0))
    assert d[-1].phase == "settle" and not d[-1].changed


def test_rising_weekly_pain_drops_back():
    d = phases("progress", week(0, 1, 0), week(1, 4, 1))  # mean 1 -> 4: +3
    assert [x.phase for x in d] == ["progress", "build"]
    assert "rose from 1 to 4" in d[-1].reason


def test_a_gap_week_breaks_the_streak():
    d = phases("build", week(0, 1, 0), week(2, 1, 0))
    assert d[-1].phase == "build"


def test_missing_morning_rating_does_not_count_as_good():
    d = phases("build", week(0, 1, None), week(1, 1, None))
    assert d[-1].phase == "build"


def test_current_week_does_not_decide_yet():
    monday_now = TODAY - timedelta(days=TODAY.weekday())
    checkins = [(monday_now, 9, 9)]
    assert weekly_phases("progress", weekly_pain(checkins), TODAY) == []


def test_weekly_pain_groups_by_monday():
    w = weekly_pain([(date(2026, 11, 16), 3, 1), (date(2026, 11, 22), 5, None), (date(2026, 11, 23), 1, 0)])
    assert [x.week_start for x in w] == [date(2026, 11, 16), date(2026, 11, 23)]
    assert (w[0].worst, w[0].morning, w[0].mean) == (5, 1, 4.0)
