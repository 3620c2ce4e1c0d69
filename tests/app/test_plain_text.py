"""Issue 14 item 7: what people type and what their files are called is shown as plain text everywhere: never
in an element whose body is Markdown (where links, remote images and formatting would come alive)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from kneeassess.imports.model import ImportError_, ImportResult, Skipped
from kneeassess.ui.importer import RESULT_KEY
from tests.app.driver import unique
from tests.app.test_booking import book_page, fill, send
from tests.app.test_profile import open_with_link, seeded_profile
from tests.app.test_staff import open_request, open_requests, passcode, seed, signed_in_app  # noqa: F401 - passcode: autouse

HOSTILE = "www.evil.example ![x](https://evil.example/p.png) [click](https://evil.example) **bold**"
MARKDOWN_KINDS = ("title", "header", "subheader", "markdown", "caption", "success", "error", "info", "warning")


def in_markdown(at: AppTest, needle: str) -> list[str]:
    return [e.value for kind in MARKDOWN_KINDS for e in getattr(at, kind) if needle in str(e.value)]


def in_text(at: AppTest, needle: str) -> list[str]:
    return [t.value for t in at.text if needle in t.value]


def test_the_thank_you_shows_the_name_as_plain_text(store):
    at = book_page()
    name = f"Ann {unique('x')} {HOSTILE}"[:100]
    fill(at, name=name, email=f"{unique('a')}@example.com", time=f"after 6 {HOSTILE}"[:80], days=["Monday"],
         consent=True)
    send(at)
    assert in_text(at, "Thank you, Ann") and in_text(at, "evil.example")
    assert in_markdown(at, "evil.example") == []


def test_the_staff_console_shows_a_request_as_plain_text(store):
    request = seed(store, f"Mallory {HOSTILE}"[:100], message=HOSTILE, preferred_time="mornings **now**")
    at = open_requests(signed_in_app())
    open_request(at, request.id)
    assert not at.exception, at.exception
    assert f"Request #{request.id}" in [s.value for s in at.subheader]
    assert in_text(at, f"Name: {request.name}")
    assert in_markdown(at, "evil.example") == [] and in_markdown(at, "**now**") == []


def test_import_problems_show_file_and_entry_names_as_plain_text(store):
    _, token = seeded_profile(store)
    at = open_with_link(token, "pages/runner/log.py")
    entry = "export.zip:a`![i](https://evil.example/i.png)`b.fit"
    at.session_state[RESULT_KEY] = ImportResult(
        errors=[ImportError_(entry, "not an activity file")],
        skipped=[Skipped("export.zip:[x](https://evil.example).gpx", "cycling: not a run")],
    )
    at.run()
    assert not at.exception, at.exception
    assert in_text(at, f"{entry}: not an activity file")
    assert in_text(at, "export.zip:[x](https://evil.example).gpx: cycling: not a run")
    assert in_markdown(at, "evil.example") == []
