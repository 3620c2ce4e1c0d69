"""Downloadable reports of an assessment: the plan as a PDF (for the runner or a clinician) and as a calendar file.

    from kneeassess.reports import plan_pdf, plan_ics

Pure functions returning bytes; no Streamlit, no storage.
"""

from kneeassess.reports.calendar import plan_ics
from kneeassess.reports.pdf import plan_pdf

__all__ = ["plan_ics", "plan_pdf"]
