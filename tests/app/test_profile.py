"""Saved profiles through the app: save, reopen by link, log, see progress and the phase move, delete."""

from datetime import UTC, date, datetime, timedelta

from kneeassess import logbook, profiles
from kneeassess.records import CheckIn, ExerciseSession, Run, SavedAssessment
from kneeassess.screening import assess
from kneeassess.storage import StorageError
from kneeassess.ui import account
from tests.app.driver import button, start, walk
from tests.factories import HIP_RUNNER


def open_with_link(token, page):
    at = start()
    at.query_params["p"] = token
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_save_results_gives_a_private_link_with_qr(store):
    at = walk(HIP_RUNNER)
    button(at, "Save my results").click().run()
    assert "Saved to your profile." in [s.value for s in at.success]
    link = at.code[0].value
    token = link.split("?p=")[1]
    assert profiles.looks_like_token(token) and len(token) * 6 >= 128
    assert len(at.get("image")) == 1  # the QR code
    profile = store.profile_by_token_hash(profiles.token_hash(token))
    assert profile is not None
    saved = store.list_records(SavedAssessment, profile.id)
    assert len(saved) == 1 and saved[0].result["weak_links"][0]["link"] == "hip"


def seeded_profile(store, weeks_ago=3):
    """A runner who saved a build-phase check some weeks ago."""
    token = profiles.new_token()
    p = store.create_profile(profiles.token_hash(token))
    a = assess(HIP_RUNNER)
    store.add(SavedAssessment(profile_id=p.id, created_at=datetime.now(UTC) - timedelta(weeks=weeks_ago),
                              answers=HIP_RUNNER, result=a.model_dump(mode="json")))
    return p, token


def test_log_a_run_through_the_form_and_see_it_in_progress(store):
    p, token = seeded_profile(store)
    at = open_with_link(token, "pages/runner/log.py")
    at.number_input(key="run_new_km").set_value(8.5)
    at.number_input(key="run_new_min").set_value(50)
    at.date_input(key="run_new_day").set_value(date.today())
    button(at, "Save run").click().run()
    runs = store.list_records(Run, p.id)
    assert [(r.km, r.minutes) for r in runs] == [(8.5, 50)]
    assert at.number_input(key="run_new_km").value is None  # the form is empty for the next run
    at.switch_page("pages/runner/progress.py").run()
    assert any("8.5 km in 1 run" in c.value for c in at.caption)


def test_a_week_of_green_check_ins_moves_the_phase(store):
    p, token = seeded_profile(store)
    monday = date.today() - timedelta(days=date.today().weekday())
    at = open_with_link(token, "pages/runner/progress.py")
    assert "This week: Build strength" in [s.value for s in at.header]
    for week in (2, 1):  # two complete green weeks after the check
        for day in (0, 2, 4):
            d = monday - timedelta(weeks=week) + timedelta(days=day)
            logbook.record_run(store, p, day=d, distance=6, minutes=35)
            logbook.record_checkin(store, p, day=d, during=1, next_morning=0)
    at.run()
    heads = [s.value for s in [*at.header, *at.subheader]]
    assert any(h.startswith("This week: ") and "Build" not in h for h in heads), heads
    assert any("Two weeks with running pain at or below 2/10" in m.value for m in at.markdown)
    assert "Knee pain" in heads and len(at.get("plotly_chart")) == 2  # pain, weekly distance (too few days for
    # the load ratio); the other tabs are drawn when opened
    at.session_state["progress_tab"] = "Knee checks"
    at.run()
    heads = [s.value for s in at.subheader]
    assert "Knee pain" not in heads and {"Knee score (Kujala)", "Weak links over time"} <= set(heads)
    assert any("your most likely weak link was hip stabilisers (80 out of 100)" in c.value for c in at.caption)


def test_next_morning_rating_is_asked_the_next_time(store):
    p, token = seeded_profile(store)
    yesterday = date.today() - timedelta(days=1)
    logbook.record_run(store, p, day=yesterday, distance=5, minutes=30)
    at = open_with_link(token, "pages/runner/log.py")
    assert any("How is your knee this morning" in m.value for m in at.markdown)
    at.pills(key="morning_rating").set_value(1)
    button(at, "Save").click().run()
    assert [(c.day, c.next_morning) for c in store.list_records(CheckIn, p.id)] == [(yesterday, 1)]
    assert not any("How is your knee this morning" in m.value for m in at.markdown)


def test_bad_run_input_shows_message_by_the_field(store):
    _, token = seeded_profile(store)
    at = open_with_link(token, "pages/runner/log.py")
    at.number_input(key="run_new_km").set_value(5)
    at.number_input(key="run_new_min").set_value(30)
    at.number_input(key="run_new_fast").set_value(40)
    button(at, "Save run").click().run()
    assert "Fast minutes cannot be more than the run's minutes." in [e.value for e in at.error]
    assert at.number_input(key="run_new_km").value == 5  # what was typed is kept


def test_failed_write_keeps_the_form(store, monkeypatch):
    p, token = seeded_profile(store)
    at = open_with_link(token, "pages/runner/log.py")

    def down(*a, **k):
        raise StorageError("database unavailable")

    monkeypatch.setattr(logbook, "record_run", down)
    at.number_input(key="run_new_km").set_value(12)
    at.number_input(key="run_new_min").set_value(70)
    button(at, "Save run").click().run()
    assert any("Saving failed" in e.value for e in at.error)
    assert at.number_input(key="run_new_km").value == 12 and at.number_input(key="run_new_min").value == 70
    assert store.list_records(Run, p.id) == []


def test_delete_all_my_data_and_the_link_stops_working(store):
    p, token = seeded_profile(store)
    open_with_link(token, "pages/runner/progress.py")  # the records are now in this process's memory
    _, kept = account._records_cache()
    assert p.id in kept
    at = open_with_link(token, "pages/runner/profile.py")
    at.checkbox(key="confirm_delete").check().run()
    button(at, "Delete all my data").click().run()
    assert "Your data has been deleted." in [s.value for s in at.success]
    assert store.profile_by_token_hash(profiles.token_hash(token)) is None
    assert p.id not in kept  # nor in memory
    again = open_with_link(token, "pages/runner/log.py")
    assert any("does not open a profile" in w.value for w in again.warning)


def test_unit_preference_changes_the_figures(store):
    p, token = seeded_profile(store)
    logbook.record_run(store, p, day=date.today(), distance=10, minutes=55)
    at = open_with_link(token, "pages/runner/profile.py")
    at.segmented_control(key="profile_unit").set_value("mi").run()
    assert store.profile_by_token_hash(profiles.token_hash(token)).unit == "mi"
    at.switch_page("pages/runner/progress.py").run()
    assert any("6.2 mi in 1 run" in c.value for c in at.caption)


def test_a_made_up_link_opens_nothing(store):
    at = open_with_link("x" * 32, "pages/runner/progress.py")
    assert any("does not open a profile" in w.value for w in at.warning)
    at = open_with_link("<script>alert(1)</script>", "pages/runner/progress.py")
    assert not at.exception


def test_progress_shows_the_last_12_weeks_or_everything_by_week(store):
    p, token = seeded_profile(store, weeks_ago=30)
    long_ago = date.today() - timedelta(weeks=20)
    for i in range(10):  # ratings only from 20 weeks ago: outside the default period
        logbook.record_checkin(store, p, day=long_ago + timedelta(days=i), during=5, next_morning=1)
    at = open_with_link(token, "pages/runner/progress.py")
    assert at.segmented_control(key="progress_period").value == "recent"
    assert any("No pain ratings in the last 12 weeks" in i.value for i in at.info)
    at.segmented_control(key="progress_period").set_value("all").run()
    assert not any("No pain ratings" in i.value for i in at.info)
    assert any(c.value.startswith("Each point is the worst rating of its week. Week of") and "worst running pain 5/10"
               in c.value for c in at.caption), [c.value for c in at.caption]


def test_progress_reads_the_records_again_only_after_a_write(store, monkeypatch):
    p, token = seeded_profile(store)
    logbook.record_run(store, p, day=date.today(), distance=5, minutes=30)
    at = open_with_link(token, "pages/runner/progress.py")
    reads = []
    real_list = type(account.store()).list_records
    monkeypatch.setattr(type(account.store()), "list_records", lambda self, kind, pid: reads.append(kind) or
                        real_list(self, kind, pid))
    at.run()
    assert reads == [] and any("5.0 km in 1 run" in c.value for c in at.caption)  # same revision: from the cache
    logbook.record_run(store, p, day=date.today(), distance=7, minutes=40)  # raises the profile's revision
    at.run()
    assert reads and any("12.0 km in 2 runs" in c.value for c in at.caption)


def test_exercises_tab_logs_a_session_and_shows_it_in_the_table(store):
    p, token = seeded_profile(store)
    at = open_with_link(token, "pages/runner/log.py")
    assert "Tick off today's session" not in [s.value for s in at.header]  # only the open tab is drawn
    at.session_state["log_tab"] = "Exercises"
    at.run()
    assert "Tick off today's session" in [s.value for s in at.header]
    assert "No exercise sessions logged yet." in [c.value for c in at.caption]
    first = next(cb for cb in at.checkbox if cb.key.startswith("sess_done_"))
    first.check()
    at.pills(key="sess_pain").set_value(2)
    button(at, "Log this session").click().run()
    logged = store.list_records(ExerciseSession, p.id)
    assert [(s.exercise, s.pain, s.day) for s in logged] == [(first.key.removeprefix("sess_done_"), 2, date.today())]
    table = next(m.value for m in at.markdown if m.value.startswith("| Date |")).splitlines()
    assert len(table) == 3 and table[0].endswith("| Pain |") and table[2].endswith("| 2 |")  # the cached table
    # was drawn again after the write
    assert not at.dataframe and not at.expander  # the data grid of every session: only when there are more


def test_reassess_tab_starts_a_reassessment(store):
    _, token = seeded_profile(store)
    at = open_with_link(token, "pages/runner/log.py")
    at.session_state["log_tab"] = "Reassess"
    at.run()
    button(at, "Start a reassessment").click().run()
    assert not at.exception
    assert any(c.value.startswith("Step 1 of") for c in at.caption)


def test_a_session_logged_from_the_log_is_saved_whole_or_not_at_all(store, monkeypatch):
    p, token = seeded_profile(store)
    at = open_with_link(token, "pages/runner/log.py")
    at.session_state["log_tab"] = "Exercises"
    at.run()
    ticks = [cb for cb in at.checkbox if cb.key.startswith("sess_done_")][:2]
    for cb in ticks:
        cb.check()
    real_add = type(account.store()).add
    calls = []

    def failing_second(self, record):
        calls.append(record)
        if len(calls) == 2:
            raise StorageError("The database could not be reached or is busy. Please try again in a moment.")
        return real_add(self, record)

    monkeypatch.setattr(type(account.store()), "add", failing_second)
    button(at, "Log this session").click().run()
    assert len(calls) == 2 and any("Saving failed" in e.value for e in at.error)
    assert store.list_records(ExerciseSession, p.id) == []
    assert all(at.checkbox(key=cb.key).value for cb in ticks)  # what was ticked is still there
    monkeypatch.undo()
    button(at, "Log this session").click().run()  # try again
    logged = [s.exercise for s in store.list_records(ExerciseSession, p.id)]
    assert sorted(logged) == sorted(cb.key.removeprefix("sess_done_") for cb in ticks)


def test_progress_draws_this_weeks_plan_when_its_expander_is_opened(store):
    """The plan's exercise cards are drawn only while their expander is open (they are not sent, hidden, with
    every view of the page)."""
    _, token = seeded_profile(store)
    at = open_with_link(token, "pages/runner/progress.py")
    assert [e.label for e in at.expander] == ["This week's plan (3 sessions)"]
    assert not any(m.value.startswith("#### ") for m in at.markdown)
    at.session_state["progress_plan"] = True  # what opening it does
    at.run()
    assert not at.exception
    cards = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert cards and all(e.label in ("This week's plan (3 sessions)", "How to do it") for e in at.expander), cards


def test_log_shows_the_latest_runs_and_every_run_in_a_grid_on_request(store):
    p, token = seeded_profile(store)
    for i in range(12):
        logbook.record_run(store, p, day=date.today() - timedelta(days=i), distance=5 + i, minutes=30)
    at = open_with_link(token, "pages/runner/log.py")
    latest = next(m.value for m in at.markdown if m.value.startswith("| Date |")).splitlines()
    assert latest[0] == "| Date | Distance (km) | Minutes | Effort | Fast min | Source |" and len(latest) == 12
    assert latest[2].startswith(f"| {date.today():%d/%m/%Y} | 5 | 30 |") and latest[3].split(" | ")[1] == "6"
    assert all(r.endswith("| by hand |") for r in latest[2:]) and not at.dataframe  # no grid while closed
    assert [e.label for e in at.expander if e.label.startswith("All your runs")] == ["All your runs (12)"]
    at.session_state["log_all_runs"] = True  # what opening it does
    at.run()
    assert len(at.dataframe[0].value) == 12


def test_log_edits_a_run_from_its_expander(store):
    p, token = seeded_profile(store)
    logbook.record_run(store, p, day=date.today(), distance=5, minutes=30)
    at = open_with_link(token, "pages/runner/log.py")
    assert not at.selectbox  # drawn only while the expander is open
    at.session_state["log_edit_run"] = True
    at.run()
    at.selectbox(key="edit_run").select_index(0).run()
    at.number_input(key=next(n.key for n in at.number_input if n.key.endswith("_km") and n.key != "run_new_km")
                    ).set_value(6)
    button(at, "Save changes").click().run()
    assert not at.exception and [r.km for r in store.list_records(Run, p.id)] == [6]
