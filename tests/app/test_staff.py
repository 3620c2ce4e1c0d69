"""The clinic's side: sign-in with the staff passcode, the consultation requests console, events."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from kneeassess import events, leads, profiles
from kneeassess.staff_auth import hash_passcode
from kneeassess.storage import NotFound
from kneeassess.ui import console
from kneeassess.ui.navigation import STAFF_KEY
from tests.app.driver import NOT_REGISTERED, ROOT, button, start, unique

PASSCODE = "clinic-passcode-7"
PASSCODE_HASH = hash_passcode(PASSCODE)
STAFF_PAGES = ("pages/staff/staff_requests.py", "pages/staff/staff_events.py")
PLEASE_SIGN_IN = "This page is for clinic staff. Please sign in."


@pytest.fixture(autouse=True)
def passcode(configure):
    configure(staff_passcode_hash=PASSCODE_HASH)


def seed(store, name: str, **fields) -> leads.Request:
    """A request as a runner sends it (each with its own browser session)."""
    data = {"name": name, "email": f"{unique('r')}@example.com", "consent_contact": True} | fields
    return leads.submit_request(store, data, unique("session-"), channels=[])


def staff_downloads(at: AppTest) -> list[dict]:
    """The staff download buttons on the screen (kneeassess/ui/downloads.py): what each was given."""
    return [json.loads(e.proto.json) for e in at.get("bidi_component")]


def everything_shown(at: AppTest) -> str:
    """All the text on the screen, tables included."""
    parts = [str(getattr(e, "value", "")) for kind in ("title", "header", "subheader", "markdown", "caption", "text",
                                                       "success", "error", "info", "warning", "code")
             for e in getattr(at, kind)]
    parts += [df.value.to_csv() for df in at.dataframe]
    return "\n".join(parts)


def sign_in(at: AppTest, code: str, name: str = "Dana") -> None:
    at.switch_page("pages/staff/staff.py").run()  # /staff: registered (hidden) for everyone, the sign-in form
    at.text_input(key="staff_name").input(name)
    at.text_input(key="staff_code").input(code)
    button(at, "Sign in").click().run()
    assert not at.exception, at.exception


def signed_in_app(name: str = "Dana") -> AppTest:
    at = start()
    sign_in(at, PASSCODE, name)
    assert f"Signed in as {name}." in [t.value for t in at.text]
    return at


def open_requests(at: AppTest) -> AppTest:
    at.switch_page("pages/staff/staff_requests.py").run()  # the Clinic menu's "Requests"
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Consultation requests"]
    return at


def listed(at: AppTest) -> list[str]:
    if not at.dataframe:
        return []
    return list(at.dataframe[0].value["Name"])


def test_staff_pages_are_not_there_before_sign_in(store):
    secret = unique("Quinn Private ")
    seed(store, secret)
    at = start()
    for page in STAFF_PAGES:
        with pytest.raises(ValueError, match=NOT_REGISTERED):
            at.switch_page(page)
    at.run()  # what the visitor has on screen: the runner's knee check, nothing of the clinic's
    assert not at.exception
    assert "Runner's knee check" in [t.value for t in at.title]
    assert secret not in everything_shown(at) and not at.dataframe

    at.switch_page("pages/staff/staff.py").run()  # the hidden /staff page is the sign-in form only
    assert [t.value for t in at.title] == ["Clinic staff"]
    assert [ti.label for ti in at.text_input] == ["Your name", "Staff passcode"]
    assert secret not in everything_shown(at) and not at.dataframe


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_each_staff_page_checks_sign_in_itself(store, page):
    secret = unique("Rita Hidden ")
    seed(store, secret, event=None)
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)  # the page run on its own, as by a stale link
    at.run()
    assert [e.value for e in at.error] == [PLEASE_SIGN_IN]
    assert not at.title and not at.dataframe and not at.text_input and not at.get("download_button")
    assert not staff_downloads(at)
    assert secret not in everything_shown(at)

    at.session_state[STAFF_KEY] = "Dana"  # the same page for a signed-in member of staff draws its content
    at.run()
    assert not at.exception and PLEASE_SIGN_IN not in [e.value for e in at.error]
    assert [t.value for t in at.title] == [{"pages/staff/staff_requests.py": "Consultation requests",
                                           "pages/staff/staff_events.py": "Events"}[page]]


def test_wrong_passcode_says_so_and_keeps_staff_pages_away(store):
    at = start()
    sign_in(at, "not-the-passcode")
    assert [e.value for e in at.error] == ["That passcode is not right."]
    assert not at.success
    for page in STAFF_PAGES:
        with pytest.raises(ValueError, match=NOT_REGISTERED):
            at.switch_page(page)


def test_five_wrong_passcodes_lock_out_even_the_right_one(store):
    at = start()
    for attempt in range(1, 6):
        sign_in(at, f"guess-number-{attempt}")
        (error,) = [e.value for e in at.error]
        if attempt < 5:
            assert error == "That passcode is not right.", attempt
    assert error.startswith("Too many wrong attempts. Try again after ")
    sign_in(at, PASSCODE)
    assert [e.value for e in at.error][0].startswith("Too many wrong attempts.")
    assert not at.success
    with pytest.raises(ValueError, match=NOT_REGISTERED):
        at.switch_page("pages/staff/staff_requests.py")


def test_requests_are_listed_and_the_filters_work(store):
    tag = unique("f")
    slug = unique("filter-ev-")
    newer = seed(store, f"Alice Newby {tag}", event=slug)
    called = seed(store, f"Bob Called {tag}", email=None, phone="07400 123457")
    leads.set_status(store, called.id, "contacted", "rang him", "Dana")
    marathon = seed(store, f"Cleo Marathon {tag}", message="Left knee hurts since the marathon " + tag)
    events.create_event(store, "Filter event", date.today(), slug=slug)

    at = open_requests(signed_in_app())
    for r in (newer, called, marathon):
        assert r.name in listed(at)
    assert any(c.value.endswith("updated every 15 seconds") for c in at.caption)
    assert not at.get("download_button")  # no /media/ URL (kneeassess/ui/downloads.py)
    (export,) = staff_downloads(at)
    assert export["label"] == "Export for a spreadsheet (CSV)" and export["prepare"]
    assert export["file"] is None  # made only when asked for

    at.selectbox(key="f_status").set_value("contacted").run()
    assert called.name in listed(at) and newer.name not in listed(at) and marathon.name not in listed(at)
    assert set(at.dataframe[0].value["Status"]) == {"Contacted"}

    at.selectbox(key="f_status").set_value("all")
    at.text_input(key="f_search").input(tag).run()
    assert sorted(listed(at)) == sorted([newer.name, called.name, marathon.name])
    at.text_input(key="f_search").input("since the marathon " + tag).run()  # the message is searched
    assert listed(at) == [marathon.name]
    at.text_input(key="f_search").input("07400 123457").run()  # a phone number typed the local way
    assert listed(at) == [called.name]

    at.text_input(key="f_search").input("")
    at.selectbox(key="f_event").set_value(slug).run()
    assert listed(at) == [newer.name]
    at.text_input(key="f_search").input(unique("nobody-")).run()
    assert listed(at) == [] and "No requests match." in [i.value for i in at.info]


def open_request(at: AppTest, request_id: int) -> None:
    """What a click on the request's row does (AppTest cannot click a table row; the browser tests do)."""
    at.text_input(key="f_search").input("")
    at.session_state[console.OPEN_KEY] = request_id
    at.run()
    assert not at.exception, at.exception


def test_status_moves_from_new_to_contacted_with_a_note(store):
    request = seed(store, unique("Gus Workflow "), phone="+44 7400 123458", message="Pain on stairs")
    at = open_requests(signed_in_app("Dana"))
    open_request(at, request.id)
    assert f"Request #{request.id}" in [s.value for s in at.subheader]
    assert f"Name: {request.name}" in [t.value for t in at.text]
    status = at.radio(key=f"status_{request.id}_to")
    assert status.value == "new"
    # what the workflow allows from new
    assert list(status.options) == ["New (now)", "Contacted", "Booked", "Not booked"]

    status.set_value("contacted")
    at.text_area(key=f"status_{request.id}_note").input("Phoned, booked in for Tuesday")
    button(at, "Save").click().run()
    assert not at.exception and not at.error

    saved = leads.get_request(store, request.id)
    assert saved.status == "contacted"
    (note,) = saved.notes
    assert (note.text, note.staff, note.status_from, note.status_to) == (
        "Phoned, booked in for Tuesday", "Dana", "new", "contacted")
    assert any("Dana · New → Contacted" in t.value for t in at.text)
    assert "Phoned, booked in for Tuesday" in [t.value for t in at.text]
    assert any(m.value.startswith("**Contacted**") for m in at.markdown)
    assert at.text_area(key=f"status_{request.id}_note").value == ""  # ready for the next note


def test_booked_then_attended_or_not_booked_with_a_reason_each_dated(store):
    request = seed(store, unique("Uma Outcome "))
    at = open_requests(signed_in_app("Dana"))
    open_request(at, request.id)
    at.radio(key=f"status_{request.id}_to").set_value("not_booked")
    button(at, "Save").click().run()  # no reason chosen
    assert [e.value for e in at.error] == ["Please choose why the consultation was not booked."]
    assert leads.get_request(store, request.id).status == "new"

    at.radio(key=f"status_{request.id}_to").set_value("booked")
    button(at, "Save").click().run()
    assert not at.error and leads.get_request(store, request.id).status == "booked"
    assert list(at.radio(key=f"status_{request.id}_to").options) == [
        "Booked (now)", "Contacted", "Attended", "Not booked"]
    at.radio(key=f"status_{request.id}_to").set_value("attended")
    button(at, "Save").click().run()
    saved = leads.get_request(store, request.id)
    assert saved.status == "attended"
    steps = leads.status_history(store, request.id)
    assert [(s.status_from, s.status_to) for s in steps] == [(None, "new"), ("new", "booked"), ("booked", "attended")]
    assert steps[0].at <= steps[1].at <= steps[2].at
    assert any(c.value.startswith("Status history: New ") and "→ Attended " in c.value for c in at.caption)

    other = seed(store, unique("Vic Elsewhere "))
    open_request(at, other.id)
    at.radio(key=f"status_{other.id}_to").set_value("not_booked")
    at.selectbox(key=f"status_{other.id}_reason").set_value("went_elsewhere")
    button(at, "Save").click().run()
    saved = leads.get_request(store, other.id)
    assert (saved.status, saved.not_booked_reason) == ("not_booked", "went_elsewhere")
    assert any("**Not booked** (Went elsewhere)" in m.value for m in at.markdown)


def test_staff_home_counts_what_needs_doing_now(store):
    at = signed_in_app()
    before = {m.label: int(m.value) for m in at.metric}
    assert set(before) == {"New requests", "Waiting more than a working day", "Follow-ups due"}
    fresh = seed(store, unique("Wes Fresh "))
    old = leads.submit_request(store, {"name": unique("Xan Waiting "), "email": f"{unique('x')}@example.com",
                                       "consent_contact": True}, unique("s-"), channels=[],
                               now=datetime.now(UTC) - timedelta(days=6))
    chased = leads.submit_request(store, {"name": unique("Yan Chase "), "email": f"{unique('y')}@example.com",
                                          "consent_contact": True}, unique("s-"), channels=[],
                                  now=datetime.now(UTC) - timedelta(days=9))
    leads.set_status(store, chased.id, "contacted", "", "Dana", now=datetime.now(UTC) - timedelta(days=8))
    at.run()
    after = {m.label: int(m.value) for m in at.metric}
    assert after["New requests"] == before["New requests"] + 2
    assert after["Waiting more than a working day"] == before["Waiting more than a working day"] + 1
    assert after["Follow-ups due"] == before["Follow-ups due"] + 1
    tables = [list(df.value["Name"]) for df in at.dataframe]
    assert fresh.name in tables[0] and old.name in tables[0] and old.name in tables[1] and chased.name in tables[2]
    assert fresh.name not in tables[1]


def test_erase_needs_confirmation_and_removes_request_and_profile(store):
    token = profiles.new_token()
    profile = store.create_profile(profiles.token_hash(token))
    request = seed(store, unique("Hal Erase "), profile_id=profile.id)
    other = seed(store, unique("Ida Stays "))
    at = open_requests(signed_in_app())
    open_request(at, request.id)

    erase = at.button(key=f"erase_{request.id}")
    assert erase.disabled  # not before the confirmation is ticked
    at.checkbox(key=f"erase_ok_{request.id}").check().run()
    at.button(key=f"erase_{request.id}").click().run()
    assert not at.exception, at.exception

    assert any(s.value.startswith("Erased 1 request(s) and 1 linked profile(s)") for s in at.success)
    with pytest.raises(NotFound):
        leads.get_request(store, request.id)
    assert store.profile_by_token_hash(profiles.token_hash(token)) is None  # the linked profile went too
    assert leads.get_request(store, other.id).name == other.name
    assert request.name not in listed(at) and other.name in listed(at)
    assert console.OPEN_KEY not in at.session_state
    assert not [s for s in at.subheader if s.value.startswith(f"Request #{request.id}")]


def in_order(node) -> list:
    out = []
    for child in getattr(node, "children", {}).values():
        out.append(child)
        out.extend(in_order(child))
    return out


def today_figures(at: AppTest, event_name: str) -> list:
    """The three figures under "Today: <event name>" (every event of the day has its own)."""
    items = in_order(at.main)
    heading = [i for i, e in enumerate(items)
               if type(e).__name__ == "Text" and e.value == f"Today: {event_name}"]
    assert heading, f"no figures for {event_name!r} today"
    return [e for e in items[heading[0]:] if type(e).__name__ == "Metric"][:3]


def test_events_page_creates_an_event_and_shows_its_counters(store):
    at = signed_in_app()
    at.switch_page("pages/staff/staff_events.py").run()
    assert not at.exception and [t.value for t in at.title] == ["Events"]

    name = unique("Spring parkrun ")
    at.text_input(key="ev_name").input(name)
    at.text_input(key="ev_place").input("Riverside park")
    at.text_input(key="ev_slug").input("Not A Slug!")
    button(at, "Create event").click().run()
    assert any(e.value.startswith("Use 2 to 40 lowercase letters, digits and hyphens") for e in at.error)
    assert name not in [e.name for e in events.list_events(store)]
    assert at.text_input(key="ev_name").value == name  # kept for the correction

    slug = unique("spring-parkrun-")
    at.text_input(key="ev_slug").input(slug)
    button(at, "Create event").click().run()
    assert not at.exception and not at.error
    (event,) = [e for e in events.list_events(store) if e.slug == slug]
    assert (event.name, event.day, event.place) == (name, date.today(), "Riverside park")

    events.record_screening(store, triage="self_care", top_weak_link="hip", event=slug)
    seed(store, unique("Jo Event "), event=slug)
    at.run()
    figures = {m.label: m.value for m in today_figures(at, name)}
    assert figures == {"Screenings": "1", "Took it home": "0", "Consultation requests": "1"}
    table = at.dataframe[0].value
    row = table[table["Event"] == name].iloc[0]
    assert (row["Screenings"], row["Requests"], row["Hip"], row["Conversion"]) == (1, 1, 1, "100%")
    at.selectbox(key="ev_links").set_value(slug).run()
    codes = [c.value for c in at.code]
    assert any(c.endswith(f"/?event={slug}") for c in codes)
    assert any(c.endswith(f"/?event={slug}&kiosk=1") for c in codes)


def test_a_blank_name_still_signs_in_as_staff(store):
    at = start()
    sign_in(at, PASSCODE, name="   ")
    assert "Signed in as staff." in [t.value for t in at.text]
    open_requests(at)

