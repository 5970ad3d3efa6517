"""Integration-event contracts of the unit channels service."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from pydantic import ConfigDict

from events.registry import Contract, contract, upcaster


@contract("units.DirectiveNotified", 1)
class DirectiveNotified(Contract):
    """The unit notified the group that it received a directive: opens the ledgers' closed loop."""

    notification_id: str
    reference_number: str
    issuer: str
    title: str
    issued_on: date
    received_on: date
    lead_department: str


class ReportedItem(Contract):
    reference_number: str
    title: str
    status: str
    """one of: not_started, in_progress, completed"""


@contract("units.SupervisionReportSubmitted", 1)
class SupervisionReportSubmitted(Contract):
    """The unit's own supervision report (督查专报): the other side of reconciliation (对账)."""

    report_id: str
    period: str
    items: list[ReportedItem]


@contract("units.RectificationReported", 1)
class RectificationReported(Contract):
    """The unit reports what it did about a rectification item or recommendation."""

    report_id: str
    subject_ref: str
    """the id of the rectification item, problem or recommendation it answers"""
    summary: str
    completed: bool


# -- inbound from the unit (distribution "unit") ----------------------------------------------


@contract("units.ProgressReported", 1)
class ProgressReportedV1(Contract):
    """The unit reports progress on a directive or answers a scheduling request (调度)."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="ProgressReported")

    report_id: str
    subject_ref: str
    period: str
    summary: str
    answers_item_id: str | None = None


class DirectiveStatus(Contract):
    directive_id: str
    status: str
    """one of: not_started, in_progress, completed"""
    summary: str
    """this directive's progress; empty: the report's summary"""


@contract("units.ProgressReported", 2)
class ProgressReported(Contract):
    """The unit reports progress on a directive, or answers a scheduling round (定期调度) of the ledgers.

    v2 adds the round it answers (`round_id`) and its status per directive (`directive_statuses`); the
    ledgers record them as the round's responses. None and [] when upcast from v1 (or for a report that
    answers no round)."""

    report_id: str
    subject_ref: str
    period: str
    summary: str
    answers_item_id: str | None = None
    round_id: str | None = None
    directive_statuses: list[DirectiveStatus] = []


@upcaster("units.ProgressReported", 1)
def _progress_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "round_id": None, "directive_statuses": []}


@contract("units.SituationNoticed", 1)
class SituationNoticed(Contract):
    """An important-situation notice (重要情况通报) from the unit."""

    notice_id: str
    category: str
    title: str
    summary: str
    occurred_on: date


@contract("units.DemocraticEvaluationReported", 1)
class DemocraticEvaluationReportedV1(Contract):
    """Democratic-evaluation result of one cadre (feeds the integrity file)."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="DemocraticEvaluationReported")

    submission_id: str
    cadre: str
    post: str
    year: int
    grade: str
    """one of: excellent, good, fair, poor"""


@contract("units.DutyIntegrityReportSubmitted", 1)
class DutyIntegrityReportSubmittedV1(Contract):
    """A cadre's annual duty-and-integrity report (述责述廉) (feeds the integrity file)."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="DutyIntegrityReportSubmitted")

    submission_id: str
    cadre: str
    post: str
    year: int


@contract("units.IntegrityOpinionReplied", 1)
class IntegrityOpinionRepliedV1(Contract):
    """The unit's integrity-opinion reply (廉政意见回函) about one cadre."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="IntegrityOpinionReplied")

    submission_id: str
    cadre: str
    request_ref: str
    opinion: str
    """one of: no_objection, objection, pending_verification"""


@contract("units.InboundReceived", 1)
class InboundReceived(Contract):
    """Any other submission from the unit, with its receipt (回执)."""

    submission_id: str
    kind: str
    title: str
    receipt_number: str
    answers_item_id: str | None = None
    attachment_count: int


@contract("units.SubmissionReviewed", 1)
class SubmissionReviewed(Contract):
    """The group marked a submission of the unit as reviewed (已阅); the note stays in the units service."""

    submission_id: str
    reviewed_on: date


# -- roster (distribution "unit") -------------------------------------------------------------


@contract("units.UnitRegistered", 1)
class UnitRegistered(Contract):
    name: str
    party_group_name: str


@contract("units.DepartmentChanged", 1)
class DepartmentChanged(Contract):
    """A department added, renamed or dissolved (司局, 处室, 直属单位)."""

    department_id: str
    change: str
    """one of: added, renamed, dissolved"""
    name: str
    kind: str
    parent_id: str | None = None
    on: date


@contract("units.PersonAppointed", 1)
class PersonAppointedV1(Contract):
    """A key person or network member took up a post (key persons; three-level network)."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="PersonAppointed")

    post_id: str
    person_name: str
    post_kind: str
    """head, leadership, department_head, discipline_secretary, discipline_member, branch_discipline_member"""
    title: str
    department_id: str
    since: date


@contract("units.PersonLeftPost", 1)
class PersonLeftPostV1(Contract):
    model_config = ConfigDict(frozen=True, extra="forbid", title="PersonLeftPost")

    post_id: str
    person_name: str
    post_kind: str
    left_on: date
    reason: str


@contract("units.CounterpartAssigned", 1)
class CounterpartAssigned(Contract):
    """Routing matrix: the group member who speaks for a counterpart of the unit (distribution "hq")."""

    counterpart_id: str
    level: str
    member: str
    member_role: str


# -- outbound to the unit (distribution "unit") -----------------------------------------------


@contract("units.OutboundIssued", 1)
class OutboundIssued(Contract):
    """Feedback, a recommendation, a document or scheduling request sent to the unit."""

    item_id: str
    kind: str
    title: str
    reference_number: str
    counterpart_id: str
    counterpart_name: str
    level: str
    signed_by: str
    deadline: date
    issued_on: date
    source_ref: str | None = None
    """for a recommendation: clues' recommendation_id"""


class OutboundStep(Contract):
    item_id: str
    kind: str
    source_ref: str | None = None


@contract("units.OutboundDelivered", 1)
class OutboundDelivered(OutboundStep):
    channel: str
    delivered_on: date


@contract("units.OutboundAcknowledged", 1)
class OutboundAcknowledged(OutboundStep):
    acknowledged_on: date


@contract("units.OutboundAnswered", 1)
class OutboundAnswered(OutboundStep):
    submission_id: str
    completed: bool
    answered_on: date


@contract("units.OutboundOverdue", 1)
class OutboundOverdue(OutboundStep):
    deadline: date
    detected_on: date


@contract("units.OutboundWithdrawn", 1)
class OutboundWithdrawn(OutboundStep):
    reason: str


# -- feedback deliberation (distribution "group") ---------------------------------------------


@contract("units.FeedbackDrafted", 1)
class FeedbackDrafted(Contract):
    """The group drafted feedback to the unit (group-internal): what its list shows, never the body."""

    draft_id: str
    title: str
    form: str
    """written or oral"""
    important: bool
    counterpart_id: str
    drafted_by: str
    deadline: date


@contract("units.FeedbackOpinionRecorded", 1)
class FeedbackOpinionRecorded(Contract):
    """A member's stance on the draft's current revision (a later one of the same member replaces it); never
    the opinion's text."""

    draft_id: str
    member: str
    stance: str
    """agree, amend or object"""
    revision: int


@contract("units.FeedbackRevised", 1)
class FeedbackRevised(Contract):
    """The draft was revised: earlier opinions and decision no longer apply; never the body or the reason."""

    draft_id: str
    important: bool


@contract("units.FeedbackDecided", 1)
class FeedbackDecided(Contract):
    """The group leadership decided on an important feedback draft (组领导研究决定)."""

    draft_id: str
    decision: str
    """approve or return"""
    decided_on: date


@contract("units.FeedbackIssued", 1)
class FeedbackIssued(Contract):
    """A feedback draft issued after collective deliberation."""

    draft_id: str
    item_id: str
    important: bool
    opinion_count: int
    revision: int


# -- power operation (distribution "hq") ------------------------------------------------------


@contract("units.PowerMatterRegistered", 1)
class PowerMatterRegistered(Contract):
    """A 三重一大 matter (major decision, cadre appointment, major project, large fund use)."""

    matter_id: str
    category: str
    title: str
    department_id: str
    department_name: str
    decided_on: date
    source: str
    """unit_report or meeting_observation"""
    amount_yuan: int | None = None


@contract("units.PowerObservationRecorded", 1)
class PowerObservationRecorded(Contract):
    matter_id: str
    note: str
    concern: bool
    observed_on: date


@contract("units.PowerListRevised", 1)
class PowerListRevised(Contract):
    department_id: str
    department_name: str
    powers: list[str]
    revised_on: date


@contract("units.RiskPointChanged", 1)
class RiskPointChanged(Contract):
    """An integrity risk point (风险点) recorded or retired."""

    department_id: str
    point_id: str
    change: str
    """recorded or retired"""
    power: str
    level: str
    on: date


# -- upward and coordination ------------------------------------------------------------------


@contract("units.UpwardSubmitted", 1)
class UpwardSubmitted(Contract):
    """A request (请示) or report (报告) from the group to the commission (distribution "hq")."""

    submission_id: str
    kind: str
    title: str
    submitted_on: date


@contract("units.UpwardReplied", 1)
class UpwardReplied(Contract):
    submission_id: str
    final: bool
    replied_on: date


@contract("units.ConsultationHeld", 1)
class ConsultationHeld(Contract):
    """A consultation with the unit (定期会商) and the actions agreed (distribution "unit")."""

    consultation_id: str
    kind: str
    held_on: date
    topics: list[str]
    action_count: int


@contract("units.ConsultationActionCompleted", 1)
class ConsultationActionCompleted(Contract):
    consultation_id: str
    action_id: str
    done_on: date


@contract("units.JointSupervisionAnnounced", 1)
class JointSupervisionAnnounced(Contract):
    announcement_id: str
    title: str
    published_on: date


# -- organisations and membership (distribution "hq"; who may act as whom) -----------------------


@contract("units.OrganisationRegistered", 1)
class OrganisationRegistered(Contract):
    """An organisation people act for: HQ, a group, an inspection team, a unit (with its group), audit."""

    org_id: str
    kind: str
    """one of: hq, group, inspection_team, unit, audit"""
    name: str
    name_en: str
    supervised_by: str | None
    """a unit's supervising group"""


@contract("units.MemberAdded", 1)
class MemberAdded(Contract):
    """A user became a member of an organisation with these roles (added again: the roles replace the old)."""

    org_id: str
    user_id: str
    name: str
    roles: list[str]


@contract("units.MemberRemoved", 1)
class MemberRemoved(Contract):
    """A user's membership of an organisation ended."""

    org_id: str
    user_id: str


# -- people keyed by the roster's person id (issue #11), supervising people (issue #15) -----------------------
PERSON_NAMESPACE = uuid.UUID("6f1d2c3b-4a5e-4f60-8a7b-706572736f6e")


def legacy_person_id(unit_id: str | None, name: str) -> str:
    """The person id of a cadre recorded before persons had ids: one per name within a unit (what the old
    history could tell apart). New appointments get their own id, so two cadres of one name stay two people."""
    return str(uuid.uuid5(PERSON_NAMESPACE, f"{unit_id or ''}:{name.strip()}"))


@contract("units.PersonAppointed", 2)
class PersonAppointed(Contract):
    """A key person or network member took up a post. v2 adds `person_id` (the roster's id of the person;
    empty when upcast from v1: the reader derives it with `legacy_person_id`) and `key_minority`."""

    post_id: str
    person_id: str
    person_name: str
    post_kind: str
    """head, leadership, department_head, discipline_secretary, discipline_member, branch_discipline_member"""
    title: str
    department_id: str
    since: date
    key_minority: bool = False
    """关键少数: the head (一把手) or a member of the leadership team, of the unit or of a subordinate body"""


@upcaster("units.PersonAppointed", 1)
def _appointed_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "person_id": "", "key_minority": payload.get("post_kind") in ("head", "leadership")}


@contract("units.PersonLeftPost", 2)
class PersonLeftPost(Contract):
    """v2 adds `person_id` (empty when upcast from v1)."""

    post_id: str
    person_id: str
    person_name: str
    post_kind: str
    left_on: date
    reason: str


@upcaster("units.PersonLeftPost", 1)
def _left_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "person_id": ""}


@contract("units.DemocraticEvaluationReported", 2)
class DemocraticEvaluationReported(Contract):
    """Democratic-evaluation result of one cadre (feeds the integrity file). v2 adds `person_id` (the roster's
    person; empty for a cadre not on the roster or when upcast from v1)."""

    submission_id: str
    person_id: str
    cadre: str
    post: str
    year: int
    grade: str
    """one of: excellent, good, fair, poor"""


@upcaster("units.DemocraticEvaluationReported", 1)
def _evaluation_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "person_id": ""}


@contract("units.DutyIntegrityReportSubmitted", 2)
class DutyIntegrityReportSubmitted(Contract):
    """A cadre's annual duty-and-integrity report (述责述廉). v2 adds `person_id`."""

    submission_id: str
    person_id: str
    cadre: str
    post: str
    year: int


@upcaster("units.DutyIntegrityReportSubmitted", 1)
def _duty_report_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "person_id": ""}


@contract("units.IntegrityOpinionReplied", 2)
class IntegrityOpinionReplied(Contract):
    """The unit's integrity-opinion reply (廉政意见回函) about one cadre. v2 adds `person_id` and `request_id`
    (the group's request it answers, None for a reply sent without one)."""

    submission_id: str
    person_id: str
    cadre: str
    request_ref: str
    opinion: str
    """one of: no_objection, objection, pending_verification"""
    request_id: str | None = None


@upcaster("units.IntegrityOpinionReplied", 1)
def _opinion_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "person_id": "", "request_id": None}


@contract("units.ImportantFieldsSet", 1)
class ImportantFieldsSet(Contract):
    """A department or post marked as an important post or field (重要岗位、重点领域: 监测环评、督察执法、
    核安全监管 …); an empty list clears the mark (distribution `unit`)."""

    target: str
    """department | post"""
    target_id: str
    fields: list[str]
    on: date


@contract("units.KeyPersonFlagged", 1)
class KeyPersonFlagged(Contract):
    """The group flagged (or unflagged) a person of the roster as a key person (重点人): group-internal
    (distribution `group`); the reason stays in the units service."""

    person_id: str
    person_name: str
    flagged: bool
    on: date


@contract("units.LeaderEvaluated", 1)
class LeaderEvaluated(Contract):
    """The group's evaluation of one of the unit's responsible leaders for a period (既监督事也监督人): a grade per
    aspect (政治站位, 履职担当, 作风 …) and overall; group-internal (distribution `group`). A second evaluation of
    the same person and period revises the first (`revision` counts from 1)."""

    evaluation_id: str
    person_id: str
    person_name: str
    period: str
    """a year (2026), a half (2026H1) or a quarter (2026Q3)"""
    aspects: dict[str, str]
    """aspect -> grade (excellent, good, fair, poor)"""
    overall: str
    observation: str
    evaluated_on: date
    revision: int


@contract("units.IntegrityOpinionRequested", 1)
class IntegrityOpinionRequested(Contract):
    """The group asked the unit for an integrity opinion (征求廉政意见) about a cadre; the request travels to the
    unit as the outbound item `item_id` (distribution `unit`)."""

    request_id: str
    item_id: str
    person_id: str
    person_name: str
    purpose: str
    deadline: date
    requested_on: date


@contract("units.ClueOutcomeTied", 1)
class ClueOutcomeTied(Contract):
    """A concluded clue's final, shareable outcome tied to a cadre's integrity file by a member of the clue's
    compartment (distribution `compartment:<clue_id>`: only its compartment ever reads the tie). Only codes the
    clues service publishes travel: result, disposition, four forms; never content."""

    tie_id: str
    clue_id: str
    person_id: str
    person_name: str
    result: str
    four_forms: int | None
    disposition: str | None
    tied_on: date

# -- meeting supervision (会议监督) and the three-level network (三级联动) -------------------------------


@contract("units.LeadershipContactRecorded", 1)
class LeadershipContactRecorded(Contract):
    """A leadership meeting the group attended, an exchange of views with the 一把手, or a talk (distribution
    "hq"); what was observed is read by id from the units service."""

    contact_id: str
    kind: str
    """one of: leadership_meeting, exchange_of_views, talk"""
    meeting_kind: str | None = None
    held_on: date
    title: str
    person_ids: list[str]
    """roster ids of the persons concerned"""
    concern: bool
    directive_id: str | None = None
    stage: str | None = None


@contract("units.LeadershipContactObserved", 1)
class LeadershipContactObserved(Contract):
    """A later observation on a meeting, exchange of views or talk (its text stays with the service)."""

    contact_id: str
    concern: bool
    observed_on: date


@contract("units.MeetingMatterLinked", 1)
class MeetingMatterLinked(Contract):
    """A 三重一大 matter (units.PowerMatterRegistered) was seen at this attended meeting."""

    contact_id: str
    matter_id: str


@contract("units.NetworkActivityRecorded", 1)
class NetworkActivityRecorded(Contract):
    """A joint meeting, training, 以干代训 or guidance of the unit's discipline network (distribution "unit")."""

    activity_id: str
    kind: str
    """one of: joint_meeting, training, training_by_doing, guidance"""
    held_on: date
    title: str
    participant_ids: list[str]
    """roster ids of the network members who took part"""
    assignment: str | None = None
