"""Integration-event contracts of the clues service. Only what dashboards may know travels here.

Clue events carry ids, status, category codes, disposition, four-forms outcome and deadlines; never a
subject's name, post, allegation text, notes or documents. They are published with distribution `hq`
(the group and HQ): a unit never sees them, not even as counts. Recommendations are addressed to the
unit (distribution `unit`) and name no clue and no person.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ConfigDict, Field

from events.registry import Contract, contract, upcaster


@contract("clues.RecommendationIssued", 1)
class RecommendationIssuedV1(Contract):
    """A supervision recommendation (纪检监察建议) for common, systemic problems, addressed to the unit.

    It names no clue and no person: it is the recommendation the unit must act on.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", title="RecommendationIssued")

    recommendation_id: str
    reference_number: str
    title: str
    problems: list[str]
    recommendations: list[str]
    responsible_department: str
    deadline: date


@contract("clues.ClueRegistered", 1)
class ClueRegisteredV1(Contract):
    """A clue entered the group's register (statistics only)."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="ClueRegistered")

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
class ClueStatusChangedV1(Contract):
    """A clue moved to another status (statistics only: no reasons, no names)."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="ClueStatusChanged")

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
class RecommendationClosedV1(Contract):
    """The unit's rectification of a recommendation was verified and the recommendation closed."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="RecommendationClosed")

    recommendation_id: str
    closed_on: date


@contract("clues.RecommendationOverdue", 1)
class RecommendationOverdue(Contract):
    """The deadline of a recommendation passed before it was closed."""

    recommendation_id: str
    deadline: date


# -- version 2: what the clue queue needs (who is in the compartment, which deadline a step opened) --------
@contract("clues.ClueRegistered", 2)
class ClueRegistered(Contract):
    """A clue entered the group's register: statistics, and the user ids of its compartment (no content).

    v2 adds `compartment` (who may know the clue: the leader, the staff assigned, the registrar; empty for a
    referral awaiting the leader) and `round_id` (the inspection round of a referral).
    """

    clue_id: str
    source: str
    """petition | inspection_referral | audit_referral | supervision_finding | assignment"""
    categories: list[str]
    """codes of the six disciplines plus duty_illegality"""
    key_person: bool
    received_on: date
    status: str
    referral_id: str | None
    round_id: str | None = None
    disposition_due_on: date | None
    compartment: list[str] = Field(default_factory=list)


@upcaster("clues.ClueRegistered", 1)
def _registered_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """A v1 registration named nobody: its compartment is unknown, so nobody reads it in the queue (fail closed)."""
    return {**payload, "round_id": None, "compartment": []}


STEPS = ("accepted", "reopened", "proposed", "decided", "declined", "inquiry", "reply", "verification",
         "concluded")


@contract("clues.ClueStatusChanged", 2)
class ClueStatusChanged(Contract):
    """A clue moved to another status (statistics only: no reasons, no names).

    v2 adds `step` (which step of the clue made the change, one of `STEPS`; empty when upcast from v1),
    `deadline` (the kind of the statutory deadline `due_on` belongs to) and `compartment_added` (users the step
    put into the compartment: the staff a leader assigned when taking a referral in).
    """

    clue_id: str
    status: str
    disposition: str | None
    four_forms: int | None
    result: str | None
    """case_filed | closed once concluded"""
    due_on: date | None
    """the statutory deadline this change opened, if any"""
    step: str = ""
    deadline: str | None = None
    """disposition | inquiry_reply | verification | hold_review"""
    compartment_added: list[str] = Field(default_factory=list)


@upcaster("clues.ClueStatusChanged", 1)
def _status_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "step": "", "deadline": None, "compartment_added": []}


@contract("clues.ClueCompartmentChanged", 1)
class ClueCompartmentChanged(Contract):
    """Someone was added to or removed from a clue's compartment (user ids only, no reason)."""

    clue_id: str
    added: list[str]
    removed: list[str]


@contract("clues.ClueJointScreeningChanged", 1)
class ClueJointScreeningChanged(Contract):
    """Joint screening with the unit's discipline committee opened or ended (no parts, no users, no reason)."""

    clue_id: str
    open: bool


# -- recommendations as the group and the unit list them (no clue, no person) ------------------------------
@contract("clues.RecommendationDrafted", 1)
class RecommendationDrafted(Contract):
    """A recommendation drafted by the group (distribution `group`: the unit sees it only once issued).

    It names no clue and no person (its source clues stay on the clues' side)."""

    recommendation_id: str
    reference_number: str
    title: str
    problems: list[str]
    recommendations: list[str]
    responsible_department: str
    deadline: date


@contract("clues.RecommendationIssued", 2)
class RecommendationIssued(Contract):
    """A supervision recommendation (纪检监察建议) for common, systemic problems, addressed to the unit.

    It names no clue and no person: it is the recommendation the unit must act on. v2 adds `issued_on`.
    """

    recommendation_id: str
    reference_number: str
    title: str
    problems: list[str]
    recommendations: list[str]
    responsible_department: str
    deadline: date
    issued_on: date | None = None


@upcaster("clues.RecommendationIssued", 1)
def _issued_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "issued_on": None}


@contract("clues.RecommendationResponseRecorded", 1)
class RecommendationResponseRecorded(Contract):
    """The unit's report on its rectification of a recommendation, as the group recorded it."""

    recommendation_id: str
    report_id: str
    summary: str
    completed: bool
    received_on: date


@contract("clues.RecommendationClosed", 2)
class RecommendationClosed(Contract):
    """The unit's rectification of a recommendation was verified and the recommendation closed (销号).

    v2 adds `evidence`, the group's note of what proved the rectification."""

    recommendation_id: str
    closed_on: date
    evidence: str = ""


@upcaster("clues.RecommendationClosed", 1)
def _closed_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "evidence": ""}
