"""Do today's session through AppTest: counters, holds, rests, and logging at the end."""

from kneeassess import profiles
from kneeassess.guided import steps_for
from kneeassess.records import ExerciseSession
from kneeassess.screening import assess
from kneeassess.storage import StorageError
from kneeassess.storage.sql import SqlStore
from kneeassess.ui.guided_session import KEY
from tests.app.driver import button, start, walk
from tests.factories import HIP_RUNNER


def test_no_plan_yet_sends_to_the_check():
    at = start()
    at.switch_page("pages/runner/session.py").run()
    assert "Do the knee check first" in at.info[0].value


def test_steps_through_reps_and_holds():
    at = walk(HIP_RUNNER)
    at.switch_page("pages/runner/session.py").run()
    assert not at.exception
    assert at.header[0].value == "Floor reach · set 1 of 3"
    button(at, "+1 rep").click().run()
    assert at.metric[0].value == "1 / 12"
    button(at, "Set done").click().run()
    assert at.header[0].value.startswith("Rest")
    button(at, "Skip the rest").click().run()
    assert at.header[0].value == "Floor reach · set 2 of 3"
    # jump to the first side-plank hold
    steps = steps_for(assess(HIP_RUNNER).plan)
    hold = next(i for i, s in enumerate(steps) if s.kind == "hold")
    at.session_state[KEY] = {"index": hold, "started": None, "reps": 0, "logged": False}
    at.run()
    assert at.header[0].value == "Side plank · set 1 of 5 · left side"
    button(at, "Start the hold").click().run()
    assert at.metric[0].label == "Hold"
    button(at, "Done early").click().run()
    assert at.header[0].value == "Side plank · set 1 of 5 · right side"


def test_finishing_logs_the_session_to_the_profile(store):
    p2, token = profiles.save_results(store, HIP_RUNNER, assess(HIP_RUNNER))
    at = start()
    at.query_params["p"] = token
    at.switch_page("pages/runner/session.py").run()
    steps = steps_for(assess(HIP_RUNNER).plan)
    at.session_state[KEY] = {"index": len(steps), "started": None, "reps": 0, "logged": False}
    at.run()
    assert "Session done" in at.success[0].value
    at.pills(key="guided_pain").set_value(2)
    button(at, "Log this session").click().run()
    logged = store.list_records(ExerciseSession, p2.id)
    assert {s.exercise for s in logged} == {i.exercise for i in assess(HIP_RUNNER).plan}
    assert all(s.pain == 2 for s in logged)
    assert "Logged to your profile." in at.info[0].value


def test_a_failed_log_saves_nothing_and_try_again_logs_each_exercise_once(store, monkeypatch):
    """The reported defect: the second exercise's save failed, and "try again" logged the first one twice."""
    p2, token = profiles.save_results(store, HIP_RUNNER, assess(HIP_RUNNER))
    at = start()
    at.query_params["p"] = token
    at.switch_page("pages/runner/session.py").run()
    at.session_state[KEY] = {"index": len(steps_for(assess(HIP_RUNNER).plan)), "started": None, "reps": 0,
                             "logged": False}
    at.run()
    real_add = SqlStore.add
    calls = []

    def failing_second(self, record):
        calls.append(record.exercise)
        if len(calls) == 2:
            raise StorageError("The database could not be reached or is busy. Please try again in a moment.")
        return real_add(self, record)

    monkeypatch.setattr(SqlStore, "add", failing_second)
    at.pills(key="guided_pain").set_value(2)
    button(at, "Log this session").click().run()
    assert len(calls) == 2 and "Logging failed" in at.error[0].value
    assert store.list_records(ExerciseSession, p2.id) == []
    monkeypatch.undo()
    button(at, "Log this session").click().run()  # try again
    logged = [s.exercise for s in store.list_records(ExerciseSession, p2.id)]
    assert sorted(logged) == sorted(i.exercise for i in assess(HIP_RUNNER).plan)  # each exactly once
    assert "Logged to your profile." in at.info[0].value
