"""The flag follows the runner (brief §2, §7): what a saved profile's latest triage allows. Pure: no Streamlit.

    status = safety_status(profile)       # or status_of_assessment(a) for a screening not saved
    status.blocks_plan                    # urgent / see_clinician_soon: no plan at all
    status.needs_confirmation             # an unresolved see_clinician flag: the plan only after "I understand"
    status.max_phase                      # "build" while that flag is unresolved, else "progress"
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from kneeassess.content import NO_PLAN_LEVELS, Phase, Triage
from kneeassess.models import Assessment
from kneeassess.records import Profile


@dataclass(frozen=True)
class SafetyStatus:
    level: Triage
    flags: tuple[str, ...] = ()
    since: datetime | None = None  # when the assessment that raised it was made
    clinician_checked_on: date | None = None

    @property
    def resolved(self) -> bool:
        """A see_clinician flag is resolved once the runner recorded a clinician's check on or after it was raised.
        urgent and see_clinician_soon are cleared only by a new assessment without them (brief §2)."""
        if self.level == "self_care":
            return True
        if self.level != "see_clinician" or self.clinician_checked_on is None:
            return False
        return self.since is None or self.clinician_checked_on >= self.since.date()

    @property
    def blocks_plan(self) -> bool:
        return self.level in NO_PLAN_LEVELS

    @property
    def needs_confirmation(self) -> bool:
        return self.level == "see_clinician" and not self.resolved

    @property
    def max_phase(self) -> Phase:
        return "build" if self.needs_confirmation else "progress"

    @property
    def key(self) -> str:
        """Identifies this flag, so a confirmation given for it is not carried over to a new one."""
        return f"{self.level}:{self.since.isoformat() if self.since else ''}:{','.join(self.flags)}"


NO_FLAG = SafetyStatus("self_care")


def safety_status(profile: Profile) -> SafetyStatus:
    if profile.triage is None:
        return NO_FLAG
    return SafetyStatus(profile.triage, tuple(profile.red_flags), profile.triage_at, profile.clinician_checked_on)


def status_of_assessment(a: Assessment) -> SafetyStatus:
    return SafetyStatus(a.triage, tuple(a.red_flags))
