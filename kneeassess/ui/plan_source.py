"""This week's plan for the tab: the saved profile's (phase moved by its check-ins), else this screening's."""

from __future__ import annotations

from datetime import date

from kneeassess.models import PlanItem
from kneeassess.progress import current_phase, this_weeks_plan
from kneeassess.records import Profile
from kneeassess.ui import account
from kneeassess.ui.session_results import current_assessment
from kneeassess.ui.state import screening


def current_plan(profile: Profile | None) -> list[PlanItem]:
    if profile is not None:  # the records shared per revision (account.records), not read again each rerun
        recs = account.records(profile)
        return this_weeks_plan(recs.assessments, current_phase(recs.assessments, recs.checkins, date.today()))
    s = screening()
    a = current_assessment(s)
    if a is None or (a.triage == "see_clinician" and not s.show_plan_anyway):
        return []
    return a.plan
