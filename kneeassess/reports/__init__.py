"""Downloadable reports of an assessment: the plan as a PDF (for the runner or a clinician) and as a calendar file.

    from kneeassess.reports import plan_pdf, plan_ics

Pure functions returning bytes; no Streamlit, no storage. The PDF module (fpdf2 with its font and image libraries,
slow to import) is imported when ``plan_pdf`` is first asked for, not with the calendar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kneeassess.reports.calendar import plan_ics

if TYPE_CHECKING:
    from kneeassess.reports.pdf import plan_pdf

__all__ = ["plan_ics", "plan_pdf"]


def __getattr__(name: str) -> Any:
    if name == "plan_pdf":
        from kneeassess.reports.pdf import plan_pdf

        return plan_pdf
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
