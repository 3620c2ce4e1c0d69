"""The plan as a PDF (fpdf2), for the runner or, compact, for a clinician.

The runner's PDF has four sections, each starting on a new page: the result, this week's exercises (with their
illustrations), the pain rules and when to get help, and the clinic's contact with the disclaimer. The clinician's
form (``for_clinician=True``) is a one-to-two-page summary to attach to a consultation request.

Text is set in DejaVu Sans (``data/fonts``), so any Latin, Greek or Cyrillic name prints; nothing here reads system
fonts. Every page's footer names the clinic, says this is a self-screening and not a diagnosis, and numbers pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from kneeassess import illustrations
from kneeassess.content import NO_PLAN_LEVELS, Clinic, catalogue, questionnaire, rulebook, safety_book
from kneeassess.models import Assessment, PlanItem, RedFlag, TriageAdvice, WeakLink
from kneeassess.screening.advice import advice_lines, triage_advice

FONT_DIR = Path(__file__).resolve().parents[2] / "data" / "fonts"
FONT = "DejaVu Sans"  # the family name the SVG illustrations ask for, so their labels use it too

SECTION_TITLES = (
    "Your result",
    "This week's exercises",
    "Pain rules and when to get help",
    "Contact and disclaimer",
)
CLINICIAN_TITLE = "Runner's knee self-screening: summary for a clinician"

LEVEL_WORDS = {"likely": "Likely weak link", "possible": "Possible weak link", "unlikely": "Unlikely"}
PAIN_RULES = (
    ("0–2 out of 10", "Safe", "Carry on."),
    ("3–5 out of 10", "Acceptable", "Only if it has settled by the next morning and is not creeping up week by week."),
    ("Above 5 out of 10", "Too much", "Stop that exercise or run, and do less next time."),
)
NEVER_PUSH = "Never push through pain above 5/10."

INK = (27, 35, 48)
GREY = (90, 100, 112)
LIGHT = (232, 236, 239)
AMBER = (217, 119, 6)
BOX_FILL = {"self_care": (231, 245, 238), "see_clinician": (254, 243, 199), "see_clinician_soon": (253, 228, 228),
            "urgent": (253, 228, 228)}


def advice_of(a: Assessment) -> TriageAdvice:
    """The assessment's triage advice (results saved before 2026-12-02 carry none: built from the data file)."""
    return a.triage_advice or triage_advice(a.triage)


def advice_body(advice: TriageAdvice) -> str:
    """The advice as the box's paragraph: the same lines the screens show (advice_lines), after the title."""
    return "\n".join(advice_lines(advice)[1:])
RULE_FILL = ((231, 245, 238), (254, 243, 199), (253, 228, 228))

LH = 5.2  # line height (mm) of body text at 10.5 pt
SECTION_ROOM = 60  # mm: a section starts on a new page unless at least this much of the page is left
PAIN_RULES_HEIGHT = 45  # mm: the pain rules' headings and introduction (the table's height is added)
CONTACT_HEIGHT = 85  # mm: the clinic, the free consultation and the disclaimer stay together


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _when(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _pct(v: float | None) -> str:
    return "not known" if v is None else f"{v:+g}%"


def _num(v: float | None) -> str:
    return "?" if v is None else f"{v:g}"


class _Doc(FPDF):
    def __init__(self, clinic: Clinic, heading: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.clinic = clinic
        self.heading = heading
        self.primary = _rgb(clinic.colours.primary)
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(16, 18, 16)
        self.set_auto_page_break(True, margin=20)
        self.set_title(heading)
        self.set_author(clinic.name)
        self.set_creator("KneeAssess")
        self.set_subject("Self-screening for runners with knee pain, not a diagnosis")
        self.set_lang("en-GB")

    def multi_cell(self, *args: Any, **kwargs: Any) -> FPDF.MultiCellResult:  # FPDF's arguments, passed on
        kwargs.setdefault("align", "L")  # ragged right: fpdf2 justifies by default
        return super().multi_cell(*args, **kwargs)

    def text_height(self, w: float, h: float, text: str, padding: int = 0) -> float:
        """The height ``multi_cell`` would take for the text (nothing is drawn)."""
        height = self.multi_cell(w, h, text, padding=padding, dry_run=True, output="HEIGHT")
        assert isinstance(height, int | float), height
        return float(height)

    # ---- page furniture
    def header(self) -> None:
        self.set_y(8)
        self.set_font(FONT, "B", 8.5)
        self.set_text_color(*self.primary)
        self.cell(self.epw / 2, 5, self.clinic.name)
        self.set_font(FONT, "", 8.5)
        self.set_text_color(*GREY)
        self.cell(self.epw / 2, 5, self.heading, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*self.primary)
        self.set_line_width(0.4)
        self.line(self.l_margin, 14, self.w - self.r_margin, 14)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_draw_color(*LIGHT)
        self.set_line_width(0.3)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(
            0, 7, f"{self.clinic.name} · Self-screening, not a diagnosis · Page {self.page_no()} of {{nb}}",
            align="C",
        )

    # ---- text helpers
    def section(self, text: str, room: float = SECTION_ROOM) -> None:
        """A section's heading: on a new page when less than ``room`` mm is left on this one, else after a gap
        on the same page (so that a few lines spilling over never leave a page nearly empty). A section that
        should stay whole (the pain rules) asks for its own height as ``room``."""
        if self.page_no() == 0 or self.get_y() > self.h - self.b_margin - room:
            self.add_page()
        else:
            self.ln(6)
            self.set_draw_color(*LIGHT)
            self.set_line_width(0.3)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(4)
        self.h1(text)

    def h1(self, text: str) -> None:
        self.set_font(FONT, "B", 19)
        self.set_text_color(*self.primary)
        self.multi_cell(0, 9, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def h2(self, text: str, space: float = 4) -> None:
        if self.will_page_break(space + 7 + 2 * LH):
            self.add_page()
        else:
            self.ln(space)
        self.set_font(FONT, "B", 13)
        self.set_text_color(*INK)
        self.multi_cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def para(self, text: str, size: float = 10.5, colour: tuple[int, int, int] = INK, bold: bool = False,
             lh: float = LH, w: float = 0) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*colour)
        x = self.get_x()
        self.multi_cell(w, lh, text, new_x=XPos.LEFT if w else XPos.LMARGIN, new_y=YPos.NEXT)
        if w:
            self.set_x(x)

    def bullets(self, items: Iterable[str], size: float = 10.5, colour: tuple[int, int, int] = INK,
                indent: float = 3, w: float | None = None, lh: float = LH) -> None:
        x0 = self.get_x() if w is not None else self.l_margin
        width = (w if w is not None else self.epw) - indent - 4
        self.set_font(FONT, "", size)
        self.set_text_color(*colour)
        for item in items:
            self.set_x(x0 + indent)
            self.cell(4, lh, "•")
            self.multi_cell(width, lh, item, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_x(x0)

    def box(self, title: str, body: str, fill: tuple[int, int, int], items: Iterable[str] = ()) -> None:
        """A tinted box: a bold title line, a paragraph and bullets."""
        items = list(items)
        with self.offset_rendering() as dummy:
            self._box(title, body, fill, items)
        if dummy.page_break_triggered:
            self.add_page()
        self._box(title, body, fill, items)

    def _box(self, title: str, body: str, fill: tuple[int, int, int], items: list[str]) -> None:
        self.set_fill_color(*fill)
        self.set_x(self.l_margin)
        self.set_font(FONT, "B", 12)
        self.set_text_color(*INK)
        self.multi_cell(0, 7, title, fill=True, padding=(3, 4, 0, 4), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 10.5)
        self.multi_cell(0, LH, body, fill=True, padding=(1, 4, 3 if not items else 1, 4),
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for item in items:
            self.multi_cell(0, LH, f"•  {item}", fill=True, padding=(0, 4, 1, 8), new_x=XPos.LMARGIN,
                            new_y=YPos.NEXT)
        if items:
            self.multi_cell(0, 2, "", fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def score_bar(self, score: int, w: float = 60, h: float = 2.6) -> None:
        x, y = self.l_margin, self.get_y() + 0.6
        self.set_fill_color(*LIGHT)
        self.rect(x, y, w, h, style="F")
        self.set_fill_color(*self.primary)
        if score:
            self.rect(x, y, w * min(score, 100) / 100, h, style="F")
        self.set_y(y + h + 1.6)

    def illustration(self, item_id: str, x: float, y: float, w: float) -> float:
        """Draw an illustration at (x, y), ``w`` wide; returns its height (0 when there is none)."""
        if not illustrations.has_illustration(item_id):
            return 0.0
        self.image(illustrations.drawing_only(item_id).encode("utf-8"), x=x, y=y, w=w,
                   alt_text=illustrations.alt_text(item_id))
        return w / 2  # the drawings are 480 × 240


# --------------------------------------------------------------------------------------------------
# The runner's PDF
# --------------------------------------------------------------------------------------------------


def _weak_link(doc: _Doc, w: WeakLink) -> None:
    info = rulebook().links[w.link]
    level = LEVEL_WORDS.get(w.level, w.level)
    if not w.tested and w.level == "unlikely":
        level += " (not tested)"
    with doc.offset_rendering() as dummy:
        _weak_link_body(doc, info.name, level, w)
    if dummy.page_break_triggered:
        doc.add_page()
    _weak_link_body(doc, info.name, level, w)


def _weak_link_body(doc: _Doc, name: str, level: str, w: WeakLink) -> None:
    doc.ln(1.5)
    doc.set_font(FONT, "B", 11.5)
    doc.set_text_color(*INK)
    doc.cell(doc.epw * 0.55, 6.5, name)
    doc.set_font(FONT, "B", 10.5)
    doc.set_text_color(*doc.primary)
    doc.cell(doc.epw * 0.45, 6.5, f"{level} · {w.score}/100", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.score_bar(w.score, doc.epw)
    if w.reasons:
        doc.bullets([f"+{r.points}  {r.text}" for r in w.reasons], size=10)
    else:
        doc.bullets(["None of your answers pointed to this link."], size=10, colour=GREY)
    if w.untested_note:
        doc.para(w.untested_note, size=9.5, colour=GREY)


def _result_page(doc: _Doc, a: Assessment, created: date) -> None:
    doc.section(SECTION_TITLES[0])
    doc.para(f"Runner's knee self-screening · {_when(created)}", size=10, colour=GREY)
    doc.ln(3)
    advice = advice_of(a)
    items = [f"{f.text}. {f.advice or ''}".strip() for f in a.red_flag_details]
    doc.box(advice.title, advice_body(advice), BOX_FILL[a.triage], items)
    extra = [*a.notes, *(limit.text for limit in a.plan_limits)]
    if extra:
        doc.bullets(extra, size=10)

    doc.h2("Your weak links")
    doc.para("Scored 0 to 100 from your answers and self-tests: 60 or more is likely, 30 to 59 possible. Each "
             "point has a reason.", size=9.5, colour=GREY)
    for w in a.weak_links:
        _weak_link(doc, w)

    doc.h2("Knee score (Kujala)")
    if a.kujala.total is not None:
        doc.para(f"{a.kujala.total} / 100", size=15, bold=True, colour=doc.primary, lh=8)
    doc.para(a.kujala.meaning, size=10)
    if a.kujala.version:
        doc.para(f"Version scored: {a.kujala.version}", size=9, colour=GREY, lh=4.4)

    if a.phase is not None:
        info = catalogue().phases[a.phase]
        doc.h2(f"Your phase: {info.title}")
        doc.para(a.phase_reason or info.rule, size=10)
        doc.ln(1)
        doc.para("Running: " + info.running, size=10)
        if "big_jump" in a.load.flags:
            doc.para("But first: last week was a big jump in distance. Ease back towards your usual weekly distance "
                     "before you build up again.", size=10)
        doc.para("Exercises: " + info.exercise, size=10)
    else:
        doc.h2("Your phase")
        doc.para("None yet: get your knee checked first. No exercise plan is given until then.", size=10)

    if a.load.findings:
        doc.h2("Your running load")
        doc.bullets(a.load.findings, size=10)
    if a.not_judged:
        doc.h2("What we could not judge")
        doc.bullets(a.not_judged, size=10, colour=GREY)


def _exercise(doc: _Doc, p: PlanItem) -> None:
    with doc.offset_rendering() as dummy:
        _exercise_body(doc, p)
    if dummy.page_break_triggered:
        doc.add_page()
    _exercise_body(doc, p)


def _exercise_body(doc: _Doc, p: PlanItem) -> None:
    ex = catalogue().get(p.exercise)
    img_w = 70.0
    top = doc.get_y() + 2
    img_h = doc.illustration(p.exercise, doc.l_margin, top, img_w)
    gap = 5 if img_h else 0
    x = doc.l_margin + (img_w if img_h else 0) + gap
    w = doc.epw - (img_w if img_h else 0) - gap
    doc.set_xy(x, top)
    doc.set_font(FONT, "B", 12.5)
    doc.set_text_color(*INK)
    doc.multi_cell(w, 6.5, p.name, new_x=XPos.LEFT, new_y=YPos.NEXT)
    doc.set_font(FONT, "B", 10.5)
    doc.set_text_color(*doc.primary)
    doc.multi_cell(w, LH, f"{p.dose} · level {p.level}", new_x=XPos.LEFT, new_y=YPos.NEXT)
    doc.set_font(FONT, "", 9)
    doc.set_text_color(*GREY)
    doc.multi_cell(w, 4.4, p.why, new_x=XPos.LEFT, new_y=YPos.NEXT)
    doc.ln(1)
    doc.set_x(x)
    doc.bullets(ex.cues, size=9.5, w=w, indent=0, lh=4.7)
    if ex.equipment:
        doc.set_x(x)
        doc.para(f"You need: {ex.equipment}", size=9, colour=GREY, lh=4.4, w=w)
    bottom = max(doc.get_y(), top + img_h)
    doc.set_draw_color(*LIGHT)
    doc.set_line_width(0.3)
    doc.line(doc.l_margin, bottom + 3, doc.w - doc.r_margin, bottom + 3)
    doc.set_xy(doc.l_margin, bottom + 4)


def _exercises_page(doc: _Doc, a: Assessment) -> None:
    doc.section(SECTION_TITLES[1])
    cat = catalogue()
    if a.triage != "self_care":
        advice = advice_of(a)
        doc.box(advice.title, advice_body(advice), BOX_FILL[a.triage])
    if not a.plan:
        if a.triage in NO_PLAN_LEVELS:
            doc.para("No exercises for now: follow the advice above first.")
        else:
            doc.para("No exercises were chosen for you this week.")
        return
    phase = cat.phases[a.phase].title if a.phase else ""
    doc.para(f"{cat.sessions_per_week} sessions this week{', phase: ' + phase if phase else ''}. Do every "
             "exercise in each session, with a rest day in between when you can.", size=10.5)
    doc.para(cat.sessions_note, size=9, colour=GREY, lh=4.4)
    doc.para("Pain guides the dose: up to 5 out of 10 is acceptable if it has settled by the next morning. "
             + NEVER_PUSH, size=10, bold=True, colour=INK)
    doc.ln(1)
    for p in a.plan:
        _exercise(doc, p)


def _red_flag_lines() -> dict[str, list[str]]:
    """The warning signs of the safety screen and the secondary flags, by triage level."""
    out: dict[str, list[str]] = {"urgent": [], "see_clinician_soon": [], "see_clinician": []}
    q = questionnaire()
    for item in q.step("safety").questions:
        text = item.label
        for dep, values in (item.ask_when or {}).items():
            labels = [q.question(dep).option_label(v).lower() for v in values]
            text += f" (if you are {' or '.join(labels)})"
        if item.triage in out:
            out[item.triage].append(text)
    for xf in safety_book().secondary_flags:
        out[xf.triage].append(xf.label)
    return out


def _pain_table_height(doc: _Doc) -> float:
    """The three rows' height (mm), as drawn below."""
    doc.set_font(FONT, "", 10)
    return sum(max(9.0, doc.text_height(doc.epw - 70, LH, meaning, padding=2)) + 1 for _, _, meaning in PAIN_RULES)


def _pain_rules_page(doc: _Doc) -> None:
    # the heading, "How much pain is OK", its line and the whole table stay together
    doc.section(SECTION_TITLES[2], room=PAIN_RULES_HEIGHT + _pain_table_height(doc))
    doc.h2("How much pain is OK", space=0)
    doc.para("Rate your knee pain from 0 (none) to 10 (the worst you can imagine) during and after exercise and "
             "running, and again the next morning.", size=10)
    doc.ln(2)
    widths = (42, 28, doc.epw - 70)
    for (score, word, meaning), fill in zip(PAIN_RULES, RULE_FILL, strict=True):
        doc.set_fill_color(*fill)
        doc.set_text_color(*INK)
        doc.set_font(FONT, "", 10)
        h = max(9.0, doc.text_height(widths[2], LH, meaning, padding=2))
        if doc.will_page_break(h + 1):  # a row never splits (its cells are placed from one y)
            doc.add_page()
        y = doc.get_y()
        doc.set_font(FONT, "B", 10.5)
        doc.cell(widths[0], h, "  " + score, fill=True)
        doc.cell(widths[1], h, word, fill=True)
        doc.set_font(FONT, "", 10)
        doc.multi_cell(widths[2], LH, meaning, fill=True, padding=2, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
        doc.set_y(y + h + 1)
    doc.ln(2)
    doc.para(NEVER_PUSH, size=12, bold=True, colour=doc.primary, lh=7)
    doc.para("If your pain stays low for two weeks and settles overnight, you can move on to the next phase. If "
             "next-morning pain rises, or your pain creeps up from week to week, drop back a phase.", size=10)

    by_level = _red_flag_lines()
    doc.h2("When to get help")
    for level in ("urgent", "see_clinician_soon", "see_clinician"):
        advice = triage_advice(level)
        doc.para(f"{advice.title} ({advice.by_when.lower()}) if:", bold=True, size=10.5)
        lines = by_level[level]
        if level == "see_clinician":
            lines = [*lines, "Your pain gets worse, or has not improved after a few weeks of these exercises.",
                     "Pain is on the outside, inside or back of the knee, or just below the kneecap: that may not "
                     "be runner's knee."]
        doc.bullets(lines, size=10)
        doc.para(advice.what_to_do, size=9.5, colour=GREY, lh=4.4)
        doc.ln(2)


def contact_lines(clinic: Clinic) -> list[tuple[str, str, str]]:
    """(label, text, link) for each configured contact detail of the clinic."""
    out = []
    if clinic.phone:
        out.append(("Phone", clinic.phone, f"tel:{clinic.phone.replace(' ', '')}"))
    if clinic.email:
        out.append(("Email", clinic.email, f"mailto:{clinic.email}"))
    if clinic.address:
        out.append(("Address", clinic.address, ""))
    if clinic.booking_url:
        out.append(("Book online", clinic.booking_url, clinic.booking_url))
    if clinic.website:
        out.append(("Website", clinic.website, clinic.website))
    return out


def _contact_page(doc: _Doc, a: Assessment, clinic: Clinic) -> None:
    doc.section(SECTION_TITLES[3], room=CONTACT_HEIGHT)
    doc.h2(clinic.name, space=0)
    if clinic.tagline:
        doc.para(clinic.tagline, size=10, colour=GREY)
        doc.ln(1)
    doc.para(f"{clinic.name} offers a free consultation if you are unsure whether physiotherapy is right for you.",
             size=10.5)
    doc.ln(2)
    lines = contact_lines(clinic)
    if lines:
        for label, value, link in lines:
            doc.set_font(FONT, "B", 10.5)
            doc.set_text_color(*INK)
            doc.cell(30, 6.5, label)
            doc.set_font(FONT, "", 10.5)
            doc.set_text_color(*(doc.primary if link else INK))
            doc.multi_cell(doc.epw - 30, 6.5, value, link=link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    else:  # no contact details configured: the way to ask that always works, nothing about configuration
        doc.para(f"To ask for it, open your private link and choose \u201cFree consultation\u201d: {clinic.name} "
                 "will contact you.", size=10.5)
    doc.h2("Disclaimer")
    doc.para(a.disclaimer, size=10.5)
    doc.ln(2)
    doc.para("The exercises come from the clinic's article '5 Exercises for Runners Knee Pain'; exercises added to "
             "the article are labelled as additions and name their source in the app. Doses are typical starting "
             "doses, not results of a trial for runner's knee.", size=9, colour=GREY, lh=4.4)


# --------------------------------------------------------------------------------------------------
# The clinician's form
# --------------------------------------------------------------------------------------------------


def _kv(doc: _Doc, key: str, value: str, key_w: float = 42) -> None:
    """A key in a narrow left column and its value beside it; either may wrap."""
    doc.set_x(doc.l_margin)
    doc.set_font(FONT, "B", 9.5)
    doc.set_text_color(*INK)
    key_h = doc.text_height(key_w - 2, 4.8, key)
    if doc.will_page_break(key_h):
        doc.add_page()
    top = doc.get_y()
    doc.multi_cell(key_w - 2, 4.8, key, new_x=XPos.RIGHT, new_y=YPos.TOP)
    doc.set_xy(doc.l_margin + key_w, top)
    doc.set_font(FONT, "", 9.5)
    doc.multi_cell(doc.epw - key_w, 4.8, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if doc.get_y() < top + key_h:
        doc.set_y(top + key_h)


def _flag_line(f: RedFlag) -> str:
    answer = f" (answer: {', '.join(f.raised_by)})" if f.id.startswith("xf_") else ""
    return f"{f.text} [{f.id}, {f.triage}]{answer}"


def _clinician(doc: _Doc, a: Assessment, created: date) -> None:
    doc.add_page()
    doc.h1(CLINICIAN_TITLE)
    doc.para(f"Created {_when(created)} by the runner with KneeAssess. Self-reported answers and self-tests; not an "
             "examination.", size=9, colour=GREY, lh=4.4)

    doc.h2("Safety triage", space=3)
    advice = advice_of(a)
    _kv(doc, "Triage", f"{a.triage} — {advice.title} (by when: {advice.by_when})")
    if a.red_flag_details:
        _kv(doc, "Flags raised", "; ".join(_flag_line(f) for f in a.red_flag_details))
    else:
        _kv(doc, "Flags raised", "None")
    if a.self_tests_not_asked:
        _kv(doc, "Not asked", a.self_tests_not_asked)
    for n in [*a.notes, *(limit.text for limit in a.plan_limits)]:
        _kv(doc, "Note", n)

    doc.h2("Kujala / AKPS", space=3)
    total = f"{a.kujala.total} / 100" if a.kujala.total is not None else "not scored"
    _kv(doc, "Total", f"{total} ({a.kujala.answered} of 13 items answered)")
    if a.kujala.version:
        _kv(doc, "Version", a.kujala.version)

    doc.h2("Weak links (rule-based, points capped at 100)", space=3)
    for w in a.weak_links:
        name = rulebook().links[w.link].name
        tested = "self-tests done" if w.tested else "self-tests skipped"
        _kv(doc, name, f"{w.score}/100, {w.level} ({tested})")
        for r in w.reasons:
            doc.set_x(doc.l_margin + 42)
            doc.set_font(FONT, "", 8.8)
            doc.set_text_color(*INK)
            doc.multi_cell(doc.epw - 42, 4.3, f"+{r.points} {r.text} [rule {r.rule}]", new_x=XPos.LMARGIN,
                           new_y=YPos.NEXT)
            doc.set_x(doc.l_margin + 46)
            doc.set_text_color(*GREY)
            doc.set_font(FONT, "", 8)
            doc.multi_cell(doc.epw - 46, 3.9, f"Source: {r.source}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    doc.h2("Training load", space=3)
    km = " · ".join("?" if v is None else f"{v:g}" for v in a.load.weekly_km)
    _kv(doc, "Weekly km", f"{km} (oldest to newest: 3 weeks ago … last 7 days)")
    _kv(doc, "Change", f"last week vs mean of the 3 before: {_pct(a.load.change_pct)}; week on week: "
                       f"{_pct(a.load.week_on_week_pct)}")
    _kv(doc, "Acute:chronic ratio", f"{_num(a.load.acwr)} (uncoupled, last 7 days / mean of days 8–28; descriptive)")
    _kv(doc, "Flags", ", ".join(a.load.flags) or "none")

    doc.h2("Phase and plan", space=3)
    if a.phase:
        _kv(doc, "Phase", f"{a.phase} — {a.phase_reason or ''}")
    else:
        _kv(doc, "Phase", "none (no plan given)")
    for p in a.plan:
        _kv(doc, p.name, f"level {p.level}: {p.dose} ({p.origin})")
    if a.not_judged:
        doc.h2("Not judged", space=3)
        doc.bullets(a.not_judged, size=9, lh=4.4)
    doc.ln(3)
    doc.para(a.disclaimer, size=8.5, colour=GREY, lh=4.2)


# --------------------------------------------------------------------------------------------------


def plan_pdf(assessment: Assessment, clinic: Clinic, *, for_clinician: bool = False,
             created: date | None = None) -> bytes:
    """The assessment and this week's plan as an A4 PDF: the runner's four sections, or the clinician's summary."""
    created = created or date.today()
    doc = _Doc(clinic, "Summary for a clinician" if for_clinician else "Your knee plan")
    if for_clinician:
        _clinician(doc, assessment, created)
    else:
        _result_page(doc, assessment, created)
        _exercises_page(doc, assessment)
        _pain_rules_page(doc)
        _contact_page(doc, assessment, clinic)
    return bytes(doc.output())
