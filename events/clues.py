"""Integration-event contracts of the clues service. Only what dashboards may know travels here.

Clue events carry ids, status, category codes, disposition, four-forms outcome and deadlines; never a
subject's name, post, allegation text, notes or documents. They are published with distribution `hq`
(the group and HQ): a unit never sees them, not even as counts. Recommendations are addressed to the
unit (distribution `unit`) and name no clue and no person.
"""

from __future__ import annotations

from datetime import date

from events.registry import Contract, contract


@contract("clues.RecommendationIssued", 1)
class RecommendationIssued(Contract):
    """A supervision recommendation (纪检监察建议) for common, systemic problems, addressed to the unit.

    It names no clue and no person: it is the recommendation the unit must act on.
    """

    recommendation_id: str
    reference_number: str
    title: str
    problems: list[str]
    recommendations: list[str]
    responsible_department: str
    deadline: date


@contract("clues.ClueRegistered", 1)
class ClueRegistered(Contract):
    """A clue entered the group's register (statistics only)."""

    clue_id: str
    source: str
    """petition | inspection_referral | audit_referral | supervision_finding | assignment"""
    categories: list[str]
    """codes of the six disciplines plus duty_illegality"""
    key_person: bool
    received_on: date
    status: str
    referral_id: str | None
    disposition_due_on: date | None


@contract("clues.ClueStatusChanged", 1)
class ClueStatusChanged(Contract):
    """A clue moved to another status (statistics only: no reasons, no names)."""

    clue_id: str
    status: str
    disposition: str | None
    four_forms: int | None
    result: str | None
    """case_filed | closed once concluded"""
    due_on: date | None
    """the statutory deadline this change opened, if any"""


@contract("clues.ClueOverdue", 1)
class ClueOverdue(Contract):
    """A statutory time limit of a clue passed without the step being done."""

    clue_id: str
    deadline: str
    """disposition | inquiry_reply | verification | hold_review"""
    due_on: date


@contract("clues.RecommendationClosed", 1)
class RecommendationClosed(Contract):
    """The unit's rectification of a recommendation was verified and the recommendation closed."""

    recommendation_id: str
    closed_on: date


@contract("clues.RecommendationOverdue", 1)
class RecommendationOverdue(Contract):
    """The deadline of a recommendation passed before it was closed."""

    recommendation_id: str
    deadline: date
