"""Request models of the units routes."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Text = Field(min_length=1, max_length=500)
LongText = Field(min_length=1, max_length=20000)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AttachmentRef(Strict):
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$")
    filename: str = Field(min_length=1, max_length=200)


class WithAttachments(Strict):
    attachments: list[AttachmentRef] = Field(default_factory=list, max_length=20)


class UnitCreate(Strict):
    group_id: str = Field(min_length=1, max_length=64)
    unit_id: str = Field(min_length=1, max_length=64)
    name: str = Text
    party_group_name: str = Field(min_length=1, max_length=200, description="党组名称")


class DepartmentCreate(Strict):
    department_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["bureau", "division", "subordinate"]
    parent_id: str | None = Field(default=None, max_length=64)
    since: date | None = None


class DepartmentRename(Strict):
    new_name: str = Field(min_length=1, max_length=200)
    on: date | None = None


class DepartmentDissolve(Strict):
    on: date | None = None


class PostCreate(Strict):
    person_name: str = Field(min_length=1, max_length=100)
    post_kind: str = Field(min_length=1, max_length=50)
    title: str = Field(min_length=1, max_length=200)
    department_id: str = Field(min_length=1, max_length=64)
    since: date
    note: str | None = Field(default=None, max_length=1000)


class PostLeave(Strict):
    left_on: date
    reason: str = Field(min_length=1, max_length=500)


class CounterpartAssign(Strict):
    counterpart_id: str = Field(min_length=1, max_length=64)
    member: str = Field(min_length=1, max_length=64)
    member_role: Literal["group_leader", "group_deputy", "group_staff"]
    since: date | None = None


class DirectiveNotification(WithAttachments):
    title: str = Text
    reference_number: str = Field(min_length=1, max_length=100)
    issuer: str = Field(min_length=1, max_length=200)
    issued_on: date
    received_on: date
    lead_department: str = Field(min_length=1, max_length=200)


class ProgressReport(WithAttachments):
    title: str = Text
    subject_ref: str = Field(min_length=1, max_length=200)
    period: str = Field(min_length=1, max_length=50)
    summary: str = LongText


class ReportedItemIn(Strict):
    reference_number: str = Field(min_length=1, max_length=100)
    title: str = Text
    status: Literal["not_started", "in_progress", "completed"]


class SupervisionReport(WithAttachments):
    title: str = Text
    period: str = Field(min_length=1, max_length=50)
    items: list[ReportedItemIn] = Field(min_length=1, max_length=500)


class RectificationReport(WithAttachments):
    title: str = Text
    subject_ref: str = Field(min_length=1, max_length=200)
    summary: str = LongText
    completed: bool = False


class SituationNotice(WithAttachments):
    title: str = Text
    category: str = Field(min_length=1, max_length=100)
    summary: str = LongText
    occurred_on: date


class DemocraticEvaluation(WithAttachments):
    title: str = Text
    cadre: str = Field(min_length=1, max_length=100)
    post: str = Field(min_length=1, max_length=200)
    year: int = Field(ge=2000, le=2100)
    grade: Literal["excellent", "good", "fair", "poor"]
    summary: str | None = Field(default=None, max_length=5000)


class DutyIntegrityReport(WithAttachments):
    title: str = Text
    cadre: str = Field(min_length=1, max_length=100)
    post: str = Field(min_length=1, max_length=200)
    year: int = Field(ge=2000, le=2100)
    summary: str = LongText


class IntegrityOpinionReply(WithAttachments):
    title: str = Text
    cadre: str = Field(min_length=1, max_length=100)
    request_ref: str = Field(min_length=1, max_length=200)
    opinion: Literal["no_objection", "objection", "pending_verification"]
    summary: str | None = Field(default=None, max_length=5000)


class PowerMatterReport(WithAttachments):
    category: Literal["major_decision", "cadre_appointment", "major_project", "large_fund"]
    title: str = Text
    department_id: str = Field(min_length=1, max_length=64)
    decided_on: date
    amount_yuan: int | None = Field(default=None, ge=0)


class SubmissionReview(Strict):
    note: str = Field(default="", max_length=2000)


class RequestCreate(Strict):
    kind: Literal["document_request", "scheduling_request", "directive_relay"]
    title: str = Text
    body: str = LongText
    counterpart_id: str = Field(min_length=1, max_length=64)
    deadline: date
    reference_number: str = Field(default="", max_length=100)


class Delivery(Strict):
    channel: Literal["portal", "paper", "in_person"] = "portal"


class ItemReply(WithAttachments):
    title: str = Text
    summary: str = LongText
    completed: bool = False
    period: str | None = Field(default=None, max_length=50)


class Withdrawal(Strict):
    reason: str = Field(min_length=1, max_length=1000)


class FeedbackDraftCreate(Strict):
    title: str = Text
    body: str = LongText
    counterpart_id: str = Field(min_length=1, max_length=64)
    deadline: date
    important: bool = False
    form: Literal["written", "oral"] = "written"


class Opinion(Strict):
    stance: Literal["agree", "amend", "object"]
    text: str = Field(default="", max_length=5000)


class FeedbackRevision(Strict):
    body: str = LongText
    important: bool
    reason: str = Field(default="", max_length=2000)


class FeedbackDecision(Strict):
    decision: Literal["approve", "return"]
    note: str = Field(default="", max_length=2000)


class FeedbackIssue(Strict):
    reference_number: str = Field(default="", max_length=100)


class PowerMatterObserved(Strict):
    category: Literal["major_decision", "cadre_appointment", "major_project", "large_fund"]
    title: str = Text
    department_id: str = Field(min_length=1, max_length=64)
    decided_on: date
    meeting: str = Field(min_length=1, max_length=300)
    note: str = LongText
    concern: bool = False
    amount_yuan: int | None = Field(default=None, ge=0)


class Observation(Strict):
    note: str = LongText
    concern: bool = False


class PowerIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    basis: str = Field(default="", max_length=1000)
    boundary: str = Field(default="", max_length=1000)


class PowerListRevision(Strict):
    powers: list[PowerIn] = Field(min_length=1, max_length=200)
    reason: str = Field(default="", max_length=1000)


class RiskPointCreate(Strict):
    power: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=2000)
    level: Literal["high", "medium", "low"]
    controls: str = Field(default="", max_length=2000)


class RiskPointRetire(Strict):
    reason: str = Field(min_length=1, max_length=1000)


class UpwardCreate(Strict):
    group_id: str = Field(min_length=1, max_length=64)
    kind: Literal["request", "report"]
    title: str = Text
    body: str = LongText
    unit_id: str | None = Field(default=None, max_length=64)


class UpwardReply(Strict):
    reply: str = LongText
    final: bool = True


class AgreedAction(Strict):
    text: str = Field(min_length=1, max_length=1000)
    owner: str = Field(min_length=1, max_length=200)
    due: date | None = None


class ConsultationCreate(Strict):
    kind: Literal["regular", "thematic", "joint_clue_screening"] = "regular"
    held_on: date
    participants: list[str] = Field(default_factory=list, max_length=100)
    topics: list[str] = Field(min_length=1, max_length=50)
    minutes: str = LongText
    actions: list[AgreedAction] = Field(default_factory=list, max_length=100)


class ActionDone(Strict):
    note: str = Field(default="", max_length=2000)


class AnnouncementCreate(Strict):
    title: str = Text
    body: str = LongText
