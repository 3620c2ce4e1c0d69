"""This week's plan for the tab: the saved profile's (phase moved by its check-ins, capped by its safety status),
else this screening's (only once the safety confirmation allows it)."""

from __future__ import annotations

from datetime import date

from kneeassess.models import PlanItem
from kneeassess.progress import CurrentPhase, current_phase, this_weeks_plan
from kneeassess.records import Profile
from kneeassess.safety import safety_status, status_of_assessment
from kneeassess.ui import account
from kneeassess.ui.safety import confirmed
from kneeassess.ui.session_results import current_assessment
from kneeassess.ui.state import screening


def profile_plan(profile: Profile, today: date | None = None) -> tuple[CurrentPhase, list[PlanItem]]:
    """The profile's phase this week and its plan, from the records shared per revision (account.records)."""
    today = today or date.today()
    recs = account.records(profile)
    phase = current_phase(recs.assessments, recs.checkins, today, safety_status(profile))
    return phase, this_weeks_plan(recs.assessments, phase, recs.sessions, today)


def current_plan(profile: Profile | None) -> list[PlanItem]:
    """The plan to show, or [] when the safety status does not allow one here (not confirmed, or no plan at all)."""
    if profile is not None:
        status = safety_status(profile)
        if status.blocks_plan or (status.needs_confirmation and not confirmed(status)):
            return []
        return profile_plan(profile)[1]
    a = current_assessment(screening())
    if a is None:
        return []
    status = status_of_assessment(a)
    if status.blocks_plan or (status.needs_confirmation and not confirmed(status)):
        return []
    return a.plan
