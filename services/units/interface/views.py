"""What the units service's queries return: records as the group's workbench and the unit's portal show them."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from services.common.interface import Result
from services.units.interface.fields import (
    ConsultationKind,
    DepartmentKind,
    DraftStatus,
    FeedbackForm,
    InboundKind,
    IsoDay,
    ItemStatus,
    MatterCategory,
    MatterSource,
    MemberRole,
    OutboundKind,
    PostKind,
    UpwardKind,
)
from services.units.interface.results import Attachment


class Department(Result):
    department_id: str
    name: str
    kind: DepartmentKind
    kind_label: str
    parent_id: str | None
    active: bool
    since: IsoDay | None
    until: IsoDay | None
    important_fields: list[str] = Field(default_factory=list, description="重要岗位、重点领域 (监测环评、督察执法 …)")


class Post(Result):
    post_id: str
    person_id: str = Field(description="人员编号: the roster's id of the person (two cadres of one name are two)")
    person_name: str
    key_minority: bool = Field(default=False, description="关键少数: 一把手 or leadership-team member")
    important_fields: list[str] = Field(default_factory=list, description="重要岗位、重点领域 of the post itself")
    post_kind: PostKind
    post_kind_label: str
    title: str
    department_id: str
    since: IsoDay
    left_on: IsoDay | None
    leave_reason: str | None
    note: str | None


class UnitView(Result):
    unit_id: str
    group_id: str
    name: str
    departments: list[Department]
    posts: list[Post]
    network: dict[str, list[dict[str, Any]]] = Field(description="三级监督网络: the posts of each network kind")
    version: int
    history: list[dict[str, Any]] | None = None


class Route(Result):
    counterpart_id: str
    counterpart_name: str
    level: DepartmentKind
    member: str = Field(description="the named member ('' when only the role is set)")
    member_role: MemberRole


class RoutingView(Result):
    unit_id: str
    group_id: str
    routes: list[Route]
    version: int


class AttachmentContent(Result):
    sha256: str
    content_base64: str


class AttachmentFile(Attachment):
    content_base64: str


class SubmissionReceipt(Result):
    number: str
    received_at: str


class SubmissionView(Result):
    submission_id: str
    group_id: str
    unit_id: str
    distribution: str
    kind: InboundKind
    kind_label: str
    title: str
    details: dict[str, Any] = Field(description="the fields of the submission's kind")
    attachments: list[Attachment]
    submitted_by: str
    receipt: SubmissionReceipt
    answers_item_id: str | None
    reviewed: dict[str, str] | None = Field(description="reviewer and note, once reviewed")
    version: int


class ItemView(Result):
    item_id: str
    group_id: str
    unit_id: str
    distribution: str
    kind: OutboundKind
    kind_label: str
    title: str
    body: str
    reference_number: str
    counterpart_id: str
    counterpart_name: str
    level: DepartmentKind
    signed_by: str
    signer_role: MemberRole
    deadline: IsoDay
    issued_on: IsoDay
    source_ref: str | None
    status: ItemStatus
    delivered: dict[str, Any] | None = Field(description="channel and date")
    acknowledged: dict[str, Any] | None = Field(description="by whom and when")
    answers: list[dict[str, Any]]
    overdue_on: IsoDay | None
    withdrawn: str | None = Field(description="the reason, once withdrawn")
    version: int


class DraftView(Result):
    draft_id: str
    group_id: str
    unit_id: str
    distribution: str
    title: str
    body: str
    form: FeedbackForm
    important: bool
    counterpart_id: str
    drafted_by: str
    deadline: IsoDay
    revision: int
    status: DraftStatus
    opinions: list[dict[str, Any]]
    decision: dict[str, Any] | None
    issued_item_id: str | None
    history: list[dict[str, Any]]
    version: int


class PowerMatterView(Result):
    matter_id: str
    group_id: str
    unit_id: str
    distribution: str
    category: MatterCategory
    category_label: str
    title: str
    department_id: str
    department_name: str
    decided_on: IsoDay
    source: MatterSource
    meeting: str | None
    amount_yuan: int | None
    submission_id: str | None
    observations: list[dict[str, Any]]
    version: int


class PowerListView(Result):
    unit_id: str
    group_id: str
    department_id: str
    distribution: str
    department_name: str | None = None
    powers: list[dict[str, str]]
    risk_points: list[dict[str, Any]]
    history: list[dict[str, Any]]
    version: int | None = Field(default=None, description="None while the department has no list yet")


class UpwardView(Result):
    upward_id: str
    group_id: str
    unit_id: str | None
    distribution: str
    kind: UpwardKind
    title: str
    body: str
    submitted_by: str
    submitted_on: IsoDay
    replies: list[dict[str, Any]]
    version: int


class ConsultationView(Result):
    consultation_id: str
    group_id: str
    unit_id: str
    distribution: str
    kind: ConsultationKind
    held_on: IsoDay
    participants: list[str]
    topics: list[str]
    minutes: str
    actions: list[dict[str, Any]]
    version: int


class AnnouncementView(Result):
    announcement_id: str
    group_id: str
    unit_id: str
    distribution: str
    title: str
    body: str
    published_on: IsoDay
    published_by: str
