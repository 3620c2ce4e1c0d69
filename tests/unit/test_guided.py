from kneeassess.guided import done_exercises, remaining, steps_for
from kneeassess.models import PlanItem


def item(**kw):
    base = dict(exercise="x", name="X", level=1, sets=2, reps=None, seconds=None, per_side=False, dose="",
                origin="article", why="")
    return PlanItem(**(base | kw))


def test_reps_per_side_with_rests_between_sets():
    steps = steps_for([item(exercise="lunge", name="Reverse lunge", sets=3, reps=12, per_side=True)])
    kinds = [(s.kind, s.set_no, s.side) for s in steps]
    assert kinds == [("reps", 1, "left"), ("reps", 1, "right"), ("rest", 1, None),
                     ("reps", 2, "left"), ("reps", 2, "right"), ("rest", 2, None),
                     ("reps", 3, "left"), ("reps", 3, "right")]
    assert steps[0].title == "Reverse lunge · set 1 of 3 · left side" and steps[0].instruction == "12 reps"
    assert steps[2].seconds == 60


def test_holds_use_the_exercise_rest():
    steps = steps_for([item(exercise="side_plank", name="Side plank", sets=5, seconds=25, rest_seconds=10,
                            per_side=True)])
    holds = [s for s in steps if s.kind == "hold"]
    rests = [s for s in steps if s.kind == "rest"]
    assert len(holds) == 10 and all(s.seconds == 25 for s in holds)
    assert len(rests) == 4 and all(s.seconds == 10 for s in rests)


def test_countdown_and_time_scale(configure):
    [hold] = steps_for([item(sets=1, seconds=30)])
    assert remaining(hold, started_at=100.0, now=110.0) == 20
    assert remaining(hold, started_at=100.0, now=200.0) == 0
    configure(time_scale=0.1)
    assert remaining(hold, started_at=100.0, now=101.0) == 20


def test_sets_count_when_both_sides_are_done():
    steps = steps_for([item(exercise="a", sets=2, reps=8, per_side=True), item(exercise="b", sets=1, reps=10)])
    assert done_exercises(steps, 0) == {"a": 0, "b": 0}
    assert done_exercises(steps, 1) == {"a": 0, "b": 0}
    assert done_exercises(steps, 2) == {"a": 1, "b": 0}
    assert done_exercises(steps, len(steps)) == {"a": 2, "b": 1}


def test_position_counts_exercises_and_sets_not_rests():
    from kneeassess.guided import position

    steps = steps_for([item(exercise="lunge", name="Reverse lunge", sets=3, reps=12, per_side=True),
                       item(exercise="plank", name="Side plank", sets=2, seconds=25, per_side=True)])
    assert len(steps) == 13  # 6 + 2 rests, 4 + 1 rest: a runner would read "Step 1 of 13"
    assert position(steps, 0) == "Exercise 1 of 2 · set 1 of 3"
    assert position(steps, 1) == "Exercise 1 of 2 · set 1 of 3"  # the other side of the same set
    assert position(steps, 2) == "Exercise 1 of 2 · rest before set 2"
    assert position(steps, 8) == "Exercise 2 of 2 · set 1 of 2"
    assert position(steps, 13) == "All 2 exercises done"
