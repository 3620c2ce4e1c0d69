"""Booking a free consultation from the results page: messages by the fields, stored before "thank you", limits."""

from __future__ import annotations

import re
from typing import Any

from streamlit.testing.v1 import AppTest

from kneeassess import leads
from kneeassess.content import questionnaire
from kneeassess.storage import StorageError
from kneeassess.ui import booking
from tests.app.driver import ROOT, button, fill_step, unique
from tests.factories import HIP_RUNNER


def book_page(event: str | None = None) -> AppTest:
    """A runner who finished the knee check (HIP_RUNNER) and pressed "Book a free consultation"."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if event:
        at.query_params["event"] = event  # the link the runner came by: /?event=<slug>
    at.run()
    for step in questionnaire().steps:
        fill_step(at, HIP_RUNNER, step.id)
        button(at, "Next").click().run()
        assert not at.exception, at.exception
    assert "Your results" in [h.value for h in at.header]
    button(at, "Book a free consultation").click().run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Book a free consultation"]
    return at


def fill(at: AppTest, name: str = "", email: str = "", phone: str = "", days: list[str] | None = None,
         time: str = "", message: str = "", consent: bool = False, attach: bool = False) -> None:
    at.text_input(key="bk_name").input(name)
    at.text_input(key="bk_email").input(email)
    at.text_input(key="bk_phone").input(phone)
    at.pills(key="bk_days").set_value(days or [])
    at.text_input(key="bk_time").input(time)
    at.text_area(key="bk_message").input(message)
    at.checkbox(key="bk_consent").set_value(consent)
    at.checkbox(key="bk_attach").set_value(attach)


def send(at: AppTest) -> None:
    button(at, "Send my request").click().run()
    assert not at.exception, at.exception


def form_items(at: AppTest) -> list[Any]:
    """The booking form's elements in the order the runner sees them."""
    out: list[Any] = []

    def walk(node: Any) -> None:
        for child in getattr(node, "children", {}).values():
            out.append(child)
            walk(child)

    (form,) = at.get("form")  # the booking page has one form
    walk(form)
    return out


def message_under(at: AppTest, key: str) -> str | None:
    """The error shown right under the field with this key (None when the next element is not an error)."""
    items = form_items(at)
    at_field = [i for i, node in enumerate(items) if getattr(node, "key", None) == key]
    assert at_field, f"no field {key!r} in the form"
    following = items[at_field[0] + 1] if at_field[0] + 1 < len(items) else None
    return following.value if type(following).__name__ == "Error" else None


def thanked(at: AppTest) -> bool:
    return any(t.value.startswith("Thank you") for t in at.text)


def stored(store, name: str) -> list:
    return [r for r in leads.list_requests(store, search=name) if r.name == name]


def test_missing_consent_and_contact_are_said_next_to_the_fields(store):
    at = book_page()
    name = unique("Ann Nocontact ")
    fill(at, name=name, time="after 5 pm", message="Sore after long runs")
    send(at)
    assert message_under(at, "bk_email") == leads.CONTACT_MESSAGE
    assert message_under(at, "bk_phone") == leads.CONTACT_MESSAGE
    assert message_under(at, "bk_consent") == leads.CONSENT_MESSAGE
    assert message_under(at, "bk_name") is None and message_under(at, "bk_time") is None
    assert not thanked(at)
    assert stored(store, name) == []
    # what was typed is still there
    assert at.text_input(key="bk_name").value == name
    assert at.text_input(key="bk_time").value == "after 5 pm"
    assert at.text_area(key="bk_message").value == "Sore after long runs"


def test_bad_email_and_bad_phone_are_said_next_to_them_then_fixed(store):
    at = book_page()
    name = unique("Bea Typo ")
    fill(at, name=name, email="bea.example.com", phone="12345", days=["Tuesday"], consent=True)
    send(at)
    assert (message_under(at, "bk_email") or "").startswith("That email address does not look right")
    assert message_under(at, "bk_phone") == leads.PHONE_MESSAGE
    assert message_under(at, "bk_consent") is None
    assert not thanked(at) and stored(store, name) == []
    assert at.text_input(key="bk_email").value == "bea.example.com"
    assert at.text_input(key="bk_phone").value == "12345"
    assert at.pills(key="bk_days").value == ["Tuesday"]
    assert at.checkbox(key="bk_consent").value is True

    at.text_input(key="bk_email").input(f"{unique('bea')}@example.com")
    at.text_input(key="bk_phone").input("07400 123456")
    send(at)
    assert thanked(at), [e.value for e in at.error]
    (request,) = stored(store, name)
    assert request.phone == "+447400123456"  # stored in international form
    assert request.preferred_days == ["Tuesday"]


def test_valid_request_is_stored_before_thank_you_with_event_and_assessment(store, monkeypatch):
    email = f"{unique('cara')}@example.com"
    seen_when_thanked: list[int] = []
    real_thank_you = booking.thank_you

    def watching_thank_you() -> bool:
        shown = real_thank_you()
        if shown:
            seen_when_thanked.append(len(leads.list_requests(store, search=email)))
        return shown

    monkeypatch.setattr(booking, "thank_you", watching_thank_you)
    at = book_page(event="spring-10k")
    name = unique("Cara Runner ")
    fill(at, name=name, email=email, days=["Monday", "Thursday"], time="after 5 pm",
         message="Knee hurts on stairs", consent=True, attach=True)
    send(at)

    assert seen_when_thanked and seen_when_thanked[0] == 1  # in the database by the time "thank you" showed
    success = [s.value for s in at.success]
    assert f"Thank you, {name}." in [t.value for t in at.text]
    assert "Your request has reached ReSync Physiotherapy." in success, success
    assert any("contact you by email" in m.value for m in at.markdown)
    assert "Send my request" not in [b.label for b in at.button]
    (request,) = stored(store, name)
    assert request.email == email and request.phone is None
    assert request.event == "spring-10k"
    assert request.preferred_days == ["Monday", "Thursday"] and request.preferred_time == "after 5 pm"
    assert request.message == "Knee hurts on stairs"
    assert request.consent_contact and request.consent_assessment and not request.consent_marketing
    assert request.status == "new"
    assert request.assessment is not None and request.assessment["weak_links"][0]["link"] == "hip"


def test_assessment_is_attached_only_when_ticked(store):
    at = book_page()  # no ?event= in the link
    name = unique("Dev Private ")
    fill(at, name=name, phone="+44 7400 123456", consent=True, attach=False)
    send(at)
    assert thanked(at)
    assert any("contact you by phone" in m.value for m in at.markdown)
    (request,) = stored(store, name)
    assert request.assessment is None and request.consent_assessment is False
    assert request.event is None


def test_filled_honeypot_is_refused_neutrally_and_nothing_is_stored(store):
    at = book_page()
    name = unique("Bot Spammer ")
    fill(at, name=name, email=f"{unique('bot')}@example.com", consent=True)
    at.text_input(key=booking.HONEYPOT).input("https://spam.example")
    send(at)
    errors = [e.value for e in at.error]
    assert errors == ["Sorry, this request could not be sent. Please contact the clinic directly."]
    assert not re.search(r"bot|honeypot|website|spam", errors[0], re.IGNORECASE)  # says nothing about why
    assert not thanked(at)
    assert stored(store, name) == []


def test_fourth_request_of_a_session_is_refused_and_points_to_the_clinic(store):
    at = book_page()
    names = [unique(f"Eve Repeat{i} ") for i in range(4)]
    for name in names[:3]:
        fill(at, name=name, email=f"{unique('eve')}@example.com", consent=True)
        send(at)
        assert thanked(at), [e.value for e in at.error]
        button(at, "Send another request").click().run()
        assert "Send my request" in [b.label for b in at.button]
    fill(at, name=names[3], email=f"{unique('eve')}@example.com", consent=True)
    send(at)
    assert not thanked(at)
    refusal = message_under(at, "bk_attach") or ""  # the form's own message, above the send button
    assert "this one was not sent" in refusal, [e.value for e in at.error]
    assert re.search(r"(call|phone)[^.]*clinic", refusal), refusal
    assert at.text_input(key="bk_name").value == names[3]  # what was typed is still there
    assert [len(stored(store, n)) for n in names] == [1, 1, 1, 0]


def test_database_failure_keeps_what_was_typed_and_shows_no_thank_you(store, monkeypatch):
    at = book_page()

    def down(*args, **kwargs):
        raise StorageError("database unavailable")

    monkeypatch.setattr(leads, "submit_request", down)
    name = unique("Fay Offline ")
    fill(at, name=name, email=f"{unique('fay')}@example.com", consent=True)
    send(at)
    assert not thanked(at)
    assert any("could not send your request just now" in e.value for e in at.error)
    assert at.text_input(key="bk_name").value == name
    assert at.checkbox(key="bk_consent").value is True
