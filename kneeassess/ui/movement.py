"""The movement check on screen: film the single-leg squat, see the figures, confirm them as self-test answers.

The analysis itself is :mod:`kneeassess.movement` (no Streamlit); it runs on a worker thread of
:mod:`kneeassess.movement.queue` while this script run shows a progress bar (or the place in the queue).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

import streamlit as st

from kneeassess.charts import movement_history_figure, movement_reps_figure
from kneeassess.movement import Measurement, MovementResult, Problem, Side, pose_available
from kneeassess.movement import queue as analyses
from kneeassess.movement.rules import movement_rules
from kneeassess.records import MovementCheck, Profile
from kneeassess.storage import Store
from kneeassess.ui import account
from kneeassess.ui.pictures import picture

KEY = "kneeassess_movement"  # {"result": MovementResult | None, "problems": [...], "upload": n}
VIDEO_TYPES = ["mp4", "mov", "m4v", "webm", "jpg", "jpeg", "png"]
SIGNS = {"knee_in": "sls_knee_in", "pelvis_drop": "sls_pelvis_drop", "trunk_lean_proposed": "sls_trunk_lean"}
PRIVACY = (
    "**Your video stays private.** It is measured on the clinic's server and deleted as soon as it is measured: "
    "never stored, logged or sent anywhere. Only the figures are kept, and only when you confirm them and save "
    "your results."
)
HOW_TO = [
    "Put your phone upright at knee height (on a chair or a step), 2 to 3 metres away, facing you.",
    "Your whole body, head to feet, in the picture; good light in front of you, only you in view.",
    "Record, then do 5 slow single-leg squats on each leg (knee over your toes, then stand up). About 20 seconds.",
    "Hold a wall or chair for balance if you need to. Stop if the pain goes above 5 out of 10.",
]


def _state() -> dict[str, Any]:
    if KEY not in st.session_state:
        st.session_state[KEY] = {"result": None, "problems": [], "upload": 0}
    state: dict[str, Any] = st.session_state[KEY]
    return state


class Filmed(Protocol):
    """The check a video's figures answer: the full knee check (``Screening``) or the kiosk's quick check."""

    answers: dict[str, Any]
    movement: dict[str, Any] | None


def movement_check(s: Filmed) -> None:
    """The optional video check above the single-leg squat questions."""
    with st.container(border=True):
        st.subheader("Film your single-leg squat (optional)")
        if not pose_available():
            st.info(
                "The movement check is not available on this server (the pose library could not be loaded). Use a "
                "mirror and answer the questions below; everything else works as usual.",
                icon=":material/info:",
            )
            return
        state = _state()
        if state["result"] is None:
            _how_to()
            _upload(s, state)
        result: MovementResult | None = state["result"]  # this run's measurement shows at once, below
        if state["problems"]:
            _problems(state["problems"])
        if result is not None:
            _show(result.measurement, result.pictures)
            _confirm(s, result.measurement)


def _how_to() -> None:
    st.write("Instead of judging yourself in a mirror, film the squat and let the app measure your knee and hips.")
    picture("film_single_leg_squat", max_width=420)
    st.markdown("\n".join(f"- {line}" for line in HOW_TO))
    st.info(PRIVACY, icon=":material/lock:")


def _upload(s: Filmed, state: dict[str, Any]) -> None:
    limits = movement_rules().video
    upload = st.file_uploader(
        "Your squat video (or, if the video fails, a photo at the deepest point)", type=VIDEO_TYPES,
        key=f"w_movement_upload_{state['upload']}",
    )
    st.caption(f"On a phone, choose 'Take video' or 'Camera'. Up to {limits.max_seconds:g} seconds and "
               f"{limits.max_megabytes:g} MB.")  # a caption, not a help icon: a 16 px target is too small to tap
    if not st.button("Measure my squat", type="primary", disabled=upload is None, key="movement_measure"):
        return
    assert upload is not None
    data = upload.getvalue()
    state["upload"] += 1  # a new, empty uploader next run: the video leaves the session with this run
    job = analyses.submit(data, sex=s.answers.get("sex"))
    del data, upload
    bar = st.progress(0.0, text="Starting")
    while not job.finished:
        ahead = job.position()
        if job.state == "queued":
            bar.progress(0.0, text=f"In the queue: {ahead + 1} video{'s' if ahead else ''} ahead of yours…")
        else:
            bar.progress(min(1.0, job.fraction), text=f"{job.text}… {job.fraction:.0%}")
        time.sleep(0.25)
    bar.empty()
    state["result"], state["problems"] = job.result, job.problems


def _problems(problems: list[Problem]) -> None:
    st.error("**We could not measure this video.** No figures were made from it.", icon=":material/error:")
    if problems:
        st.markdown("\n".join(f"- **{p.message}** {p.how_to_refilm}" for p in problems))


def _words(value: float) -> str:
    return f"{abs(value):.0f}° {'inwards' if value >= 0 else 'outwards'}"


def _show(m: Measurement, pictures: Mapping[Side, bytes]) -> None:
    if m.comparison is not None:
        st.markdown(f"#### {m.comparison.sentence}")
    cols = st.columns(len(m.legs) or 1)
    for col, (side, leg) in zip(cols, m.legs.items(), strict=False):
        with col:
            if side in pictures:
                st.image(pictures[side], caption=f"{side.capitalize()} leg, deepest squat: knee {_words(leg.fppa)}",
                         width="stretch")
    for line in m.sentences[1 if m.comparison else 0:]:
        st.markdown(line)
    if m.squat != "photo":
        reps: dict[str, list[float]] = {side: [r.fppa for r in leg.reps] for side, leg in m.legs.items()}
        st.plotly_chart(movement_reps_figure(reps, m.fppa_threshold), key="movement_reps",
                        config={"displayModeBar": False})
    for note in m.notes:
        st.caption(note)
    with st.expander("What this figure cannot tell"):
        st.markdown("\n".join(f"- {line}" for line in m.limits))


def _proposed(m: Measurement) -> dict[str, bool]:
    return {f"{aid}_{side}": bool(getattr(leg, attr)) for side, leg in m.legs.items() for attr, aid in SIGNS.items()}


def _confirm(s: Filmed, m: Measurement) -> None:
    answers = _proposed(m)
    labels = {"sls_knee_in": "knee drifted inwards", "sls_pelvis_drop": "the other hip dropped",
              "sls_trunk_lean": "upper body leaned"}
    if s.movement == m.model_dump(mode="json"):
        st.success("These figures answer the single-leg squat questions below. You can still change the answers.",
                   icon=":material/check_circle:")
    else:
        legs = []
        for side in m.legs:
            seen = [labels[aid] for aid in SIGNS.values() if answers[f"{aid}_{side}"]]
            legs.append(f"- {side.capitalize()} leg: {', '.join(seen) if seen else 'none of these'}")
        st.markdown("\n".join(["**What the video suggests for the questions below:**", "", *legs]))
        st.caption("They become your answers only when you confirm them.")
    left, right = st.columns(2)
    left.button("Use these answers", type="primary", on_click=_use, args=(s, m), key="movement_use",
                disabled=s.movement == m.model_dump(mode="json"), width="stretch")
    right.button("Film again", on_click=_discard, args=(s,), key="movement_again", width="stretch")


def _use(s: Filmed, m: Measurement) -> None:
    answers = _proposed(m)
    s.answers |= answers
    s.movement = m.model_dump(mode="json")
    for side in m.legs:
        picked = [aid for aid in SIGNS.values() if answers[f"{aid}_{side}"]]
        st.session_state[f"w_signs_{side}"] = picked or ["__none__"]  # the form's pills show the answers
        st.session_state.pop(f"q_signs_{side}", None)  # the quick check's chips: drawn again from the answers


def _discard(s: Filmed) -> None:
    state = _state()
    state["result"], state["problems"] = None, []
    s.movement = None


# ---- the results' "Why?" and the progress page ----

def why_lines(s: Filmed) -> list[str]:
    """The confirmed figures, for the hip link's "Why?"."""
    if not s.movement:
        return []
    m = Measurement.model_validate(s.movement)
    legs = m.legs.values()
    lines = [
        "Movement check (video), knee inwards at the deepest point: "
        + ", ".join(f"{leg.side} {_words(leg.fppa)}" for leg in legs)
        + f" (usual up to {m.fppa_threshold:g}°, a starting point; sex used: {m.fppa_threshold_sex}).",
        "Hip on the other side dropped: " + ", ".join(f"{leg.side} {leg.pelvic_drop:.0f}°" for leg in legs)
        + "; upper body lean: " + ", ".join(f"{leg.side} {abs(leg.trunk_lean):.0f}°" for leg in legs) + ".",
    ]
    if m.comparison is not None:
        lines.append(m.comparison.sentence)
    return lines


def save_check(store: Store, profile_id: str, s: Filmed) -> None:
    """Save the confirmed figures with the results (never the video)."""
    if not s.movement:
        return
    m = Measurement.model_validate(s.movement)
    legs = m.legs
    store.add(MovementCheck(
        profile_id=profile_id, created_at=datetime.now(UTC), squat=m.squat,
        fppa_left=legs["left"].fppa if "left" in legs else None,
        fppa_right=legs["right"].fppa if "right" in legs else None, figures=s.movement,
    ))


def history(profile: Profile) -> None:
    """The progress page: each saved movement check's knee figure per leg (read once per profile revision)."""
    _history(profile.id, profile.revision)


@st.cache_data(ttl=900, show_spinner=False, max_entries=256)
def _history(profile_id: str, revision: int) -> None:
    checks = account.store().list_records(MovementCheck, profile_id)
    if not checks:
        return
    st.subheader("Movement check")
    sdd = movement_rules().smallest_detectable_difference.fppa_degrees
    days = [c.created_at for c in checks]
    st.plotly_chart(movement_history_figure(days, [c.fppa_left for c in checks], [c.fppa_right for c in checks], sdd),
                    key="movement_history", config={"displayModeBar": False})
    last = checks[-1]
    shown = ", ".join(f"{side} {_words(v)}" for side, v in (("left", last.fppa_left), ("right", last.fppa_right))
                      if v is not None)
    st.caption(f"Knee inwards at the deepest point of the single-leg squat; latest ({last.created_at:%d %b}): "
               f"{shown}. A change under {sdd:g}° cannot be told from measurement error.")
