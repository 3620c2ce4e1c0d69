"""Staff downloads (the requests export, the clinician summary, the dashboard's numbers) that never sit behind a URL.

``st.download_button`` hands the browser a ``/media/<id>`` URL that anyone holding it can fetch, without a cookie,
for as long as the session keeps the file. Here the file's bytes travel to the signed-in staff member's own tab over
its session's WebSocket, inside a small ``st.components.v2`` component; the component's button turns them into a
Blob in that tab and saves it through an object URL that only that tab can open (revoked afterwards). Nothing is
registered with Streamlit's media store, so there is no address to share, log or replay.

Two kinds:

- ``data`` as bytes (small, already computed, e.g. a chart's numbers): the bytes come with the page; one press saves.
- ``data`` as a callable (a database read, a PDF): made only when asked. The first press ("Export …") asks the
  server (a trigger; its callback makes the file before the one rerun); the button then reads "Save <file>" and a
  second press saves it. The file is shown for that one run only: any later rerun drops it from the page.

Not inside ``st.form``: Streamlit ignores a component's triggers there.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Literal

import streamlit as st

from kneeassess.storage import StorageError

# The button and its status line, built in the component's own (shadow) root from ``data``. Text is only ever set
# with textContent. The look follows Streamlit's secondary button and the app's focus ring (style.css), which
# do not reach into the shadow root.
CSS = """
.ka-download { --ka-shade: color-mix(in srgb, var(--st-secondary-background-color, #f0f2f6), #000000 30%);
  display: inline-flex; align-items: center; justify-content: center; gap: 0.5rem;
  min-height: 48px; padding: 0.25rem 0.75rem; margin: 0; box-sizing: border-box; cursor: pointer;
  font-family: var(--st-font, "Source Sans", sans-serif); font-size: var(--st-base-font-size, 1rem);
  font-weight: 400; line-height: 1.6; color: var(--st-text-color, #1b2330);
  background: var(--st-background-color, #ffffff); border: 1px solid var(--st-border-color, rgba(49, 51, 63, 0.2));
  border-radius: var(--st-button-radius, 0.5rem); user-select: none; }
.ka-download.ka-stretch { width: 100%; }
.ka-download:hover { background: color-mix(in srgb, var(--ka-shade) 15%, transparent); }
.ka-download:active { background: color-mix(in srgb, var(--ka-shade) 25%, transparent); }
.ka-download:focus-visible { outline: 3px solid #0f6e6e; outline-offset: 2px; }
.ka-download[aria-disabled="true"] { cursor: progress; }
.ka-download svg { width: 1.25rem; height: 1.25rem; flex: none; fill: currentColor; }
.ka-download-said { display: block; font-family: var(--st-font, sans-serif); font-size: 0.875rem; color: #4d535c; }
.ka-download-said:empty { display: none; }
"""

# Material Symbols "download" (Apache 2.0), as Streamlit's own ":material/download:" icon draws it.
ICON = ("M480-320 280-520l56-58 104 104v-326h80v326l104-104 56 58-200 200ZM240-160q-33 0-56.5-23.5T160-240v-120h80"
        "v120h480v-120h80v120q0 33-23.5 56.5T720-160H240Z")

JS = """
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement;
  let button = root.querySelector("button.ka-download");
  let said = root.querySelector(".ka-download-said");
  if (!button) {
    button = document.createElement("button");
    button.type = "button";
    button.className = "ka-download";
    const svgNs = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(svgNs, "svg");
    svg.setAttribute("viewBox", "0 -960 960 960");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(svgNs, "path");
    path.setAttribute("d", ICON);
    svg.appendChild(path);
    button.appendChild(svg);
    button.appendChild(document.createElement("span"));
    said = document.createElement("span");
    said.className = "ka-download-said";
    said.setAttribute("role", "status");
    root.appendChild(button);
    root.appendChild(said);
  }
  const label = button.querySelector("span");
  button.classList.toggle("ka-stretch", !!data.stretch);
  const urls = [];
  let file = data.file || null;

  function show(text, busy) {
    label.textContent = text;
    if (busy) { button.setAttribute("aria-disabled", "true"); } else { button.removeAttribute("aria-disabled"); }
  }

  function save() {
    const raw = atob(file);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    const url = URL.createObjectURL(new Blob([bytes], { type: data.mime }));
    urls.push(url);
    const link = document.createElement("a");
    link.href = url;
    link.download = data.file_name;
    link.hidden = true;
    root.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  if (!data.prepare) {
    show(data.label, false);
  } else if (file) {
    show("Save " + data.file_name, false);
    said.textContent = data.file_name + " is ready to save.";
  } else {
    show(data.label, false);
    said.textContent = data.error || "";
  }

  button.onclick = () => {
    if (button.getAttribute("aria-disabled") === "true") { return; }
    if (file) {
      save();
      if (data.prepare) {
        file = null;  // made for this one press: the next one makes it afresh
        show(data.label, false);
        said.textContent = "Saved " + data.file_name + ".";
      }
      return;
    }
    show("Preparing " + data.file_name + "…", true);
    said.textContent = "";
    setTriggerValue("prepare", true);
  };

  return () => {
    button.onclick = null;
    urls.forEach((url) => URL.revokeObjectURL(url));
  };
}
""".replace("ICON", f'"{ICON}"')

_render = st.components.v2.component("kneeassess_staff_download", css=CSS, js=JS)


def _file_key(key: str) -> str:
    return f"{key}__file"


def _count_key(key: str) -> str:
    return f"{key}__made"


def _error_key(key: str) -> str:
    return f"{key}__error"


def _make(key: str, make: Callable[[], bytes]) -> None:
    """The callback of the first press: make the file before the rerun that shows it (or say why not)."""
    st.session_state[_count_key(key)] = st.session_state.get(_count_key(key), 0) + 1  # new data: the button resets
    try:
        st.session_state[_file_key(key)] = make()
    except StorageError:
        st.session_state[_error_key(key)] = "The file could not be made: the database is not answering. Try again."


def staff_download(label: str, data: bytes | Callable[[], bytes], file_name: str, mime: str, key: str,
                   width: Literal["content", "stretch"] = "content") -> None:
    """A button that saves ``data`` as ``file_name`` in this browser tab, with no URL behind it.

    ``data`` as bytes: sent with the page, one press saves. As a callable: called only when the staff member asks
    (the first press), then a second press saves what it made.
    """
    make = data if callable(data) else None
    prepare = make is not None
    file = st.session_state.pop(_file_key(key), None) if prepare else data
    payload = {
        "label": label, "file_name": file_name, "mime": mime, "prepare": prepare, "stretch": width == "stretch",
        "file": base64.b64encode(file).decode("ascii") if isinstance(file, bytes) else None,
        "error": st.session_state.pop(_error_key(key), None) if prepare else None,
        "made": st.session_state.get(_count_key(key), 0),  # a new file is new data, even with the same bytes
    }
    with st.container(key=key):
        _render(key=f"{key}_button", data=payload, width=width,
                on_prepare_change=None if make is None else lambda: _make(key, make))
