"""The units service's interface: its commands, queries and results (see services.common.interface).

Request fields a route takes from the body are `*Body` models; the command adds the record's id from the path.
Vocabularies come from the domain modules' label dicts (one source for the check and the OpenAPI enum).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator, Field

from services.common.interface import (
    NO_CONTROL_CHARACTERS,
    Body,
    Command,
    Day,
    Fields,
    Id,
    Name,
    Query,
    Result,
    Title,
    vocabulary,
)
from services.units.attachments import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS
from services.units.deliberation import DECISIONS, DRAFT_STATUSES, FORMS, STANCES
from services.units.inbound import (
    EVALUATION_GRADES,
    INBOUND_KIND_LABELS,
    INTEGRITY_OPINIONS,
    REPORTED_STATUSES,
    check_cadre,
    check_grade,
    check_opinion,
    check_reported_status,
    check_year,
)
from services.units.outbound import DELIVERY_CHANNELS, ITEM_STATUSES, OUTBOUND_KINDS
from services.units.power import MATTER_CATEGORIES, RISK_LEVELS, SOURCES, check_meeting
from services.units.roster import ADDABLE_DEPARTMENT_KINDS, DEPARTMENT_KINDS, POST_KINDS
from services.units.routing import ROLE_LABEL
from services.units.upward import CONSULTATION_KINDS, UPWARD_KINDS


def checked(check: Callable[[Any], object], kind: type = str) -> BeforeValidator:
    """Run the domain's own check of a field first, so a request refused here has the aggregate's code."""

    def run(value: Any) -> Any:
        if isinstance(value, kind) and not isinstance(value, bool):
            check(value)
        return value

    return BeforeValidator(run)


if TYPE_CHECKING:
    DepartmentKind = str
    AddableDepartmentKind = str
    PostKind = str
    MemberRole = str
    InboundKind = str
    ReportedStatus = str
    EvaluationGrade = str
    IntegrityOpinion = str
    OutboundKind = str
    DeliveryChannel = str
    ItemStatus = str
    Stance = str
    Decision = str
    FeedbackForm = str
    DraftStatus = str
    MatterCategory = str
    MatterSource = str
    RiskLevel = str
    UpwardKind = str
    ConsultationKind = str
else:
    DepartmentKind = vocabulary(DEPARTMENT_KINDS)
    AddableDepartmentKind = vocabulary(ADDABLE_DEPARTMENT_KINDS)
    PostKind = vocabulary(POST_KINDS)
    MemberRole = vocabulary(ROLE_LABEL)
    InboundKind = vocabulary(INBOUND_KIND_LABELS)
    ReportedStatus = Annotated[vocabulary(REPORTED_STATUSES), checked(check_reported_status)]
    EvaluationGrade = Annotated[vocabulary(EVALUATION_GRADES), checked(check_grade)]
    IntegrityOpinion = Annotated[vocabulary(INTEGRITY_OPINIONS), checked(check_opinion)]
    OutboundKind = vocabulary(OUTBOUND_KINDS)
    DeliveryChannel = vocabulary(DELIVERY_CHANNELS)
    ItemStatus = vocabulary(ITEM_STATUSES)
    Stance = vocabulary(STANCES)
    Decision = vocabulary(DECISIONS)
    FeedbackForm = vocabulary(FORMS)
    DraftStatus = vocabulary(DRAFT_STATUSES)
    MatterCategory = vocabulary(MATTER_CATEGORIES)
    MatterSource = vocabulary(SOURCES)
    RiskLevel = vocabulary(RISK_LEVELS)
    UpwardKind = vocabulary(UPWARD_KINDS)
    ConsultationKind = vocabulary(CONSULTATION_KINDS)

LongText = Annotated[str, Field(min_length=1, max_length=20_000, pattern=NO_CONTROL_CHARACTERS)]
"""A document's text: a body, minutes, a summary the unit reports."""
Remark = Annotated[str, Field(max_length=2000, pattern=NO_CONTROL_CHARACTERS)]
"""An optional short text that may be left empty (a note, a reason)."""
Reference = Annotated[str, Field(max_length=100, pattern=NO_CONTROL_CHARACTERS, description="文号 (may be empty)")]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-fA-F]{64}$", description="SHA-256 of the bytes (hex)")]
Year = Annotated[int, checked(check_year, int), Field(ge=2000, le=2100)]
Cadre = Annotated[Name, checked(check_cadre), Field(description="干部姓名")]
Yuan = Annotated[int, Field(ge=0, le=10**15, description="金额（元）")]
IsoDay = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", json_schema_extra={"format": "date"})]
"""A date in a view, as its ISO text."""
Position = Annotated[int, Field(ge=0, description="position of the last published event the command wrote")]
Base64 = Annotated[str, Field(max_length=4 * ((MAX_ATTACHMENT_BYTES + 1 + 2) // 3) + 4)]
"""File content as base64; one byte more than the limit passes, so the service names the size refusal."""


# -- roster and routing matrix ---------------------------------------------------------------------
class UnitRegistered(Result):
    unit_id: str
    position: Position


class DepartmentRecorded(Result):
    unit_id: str
    department_id: str
    position: Position


class PostRecorded(Result):
    unit_id: str
    post_id: str
    position: Position


class CounterpartRecorded(Result):
    unit_id: str
    counterpart_id: str
    position: Position


class RegisterUnit(Command[UnitRegistered]):
    """Register a supervised unit (with its party leadership group) and the group's routing matrix for it."""

    service = "units"

    group_id: Id
    unit_id: Id
    name: Title
    party_group_name: Name = Field(description="党组名称")


class DepartmentBody(Body):
    department_id: Id
    name: Name
    kind: AddableDepartmentKind
    parent_id: Id | None = Field(default=None, description="上级司局 (a division's bureau)")
    since: Day | None = None


class AddDepartment(Command[DepartmentRecorded], DepartmentBody):
    """Add a bureau (司局), division (处室, under a bureau) or subordinate body (直属单位)."""

    service = "units"

    unit_id: Id


class RenameBody(Body):
    new_name: Name
    on: Day | None = None


class RenameDepartment(Command[DepartmentRecorded], RenameBody):
    """Rename a department (the old name stays in its history)."""

    service = "units"

    unit_id: Id
    department_id: Id


class DissolveBody(Body):
    on: Day | None = None


class DissolveDepartment(Command[DepartmentRecorded], DissolveBody):
    """Dissolve a department that has no active divisions and nobody in post."""

    service = "units"

    unit_id: Id
    department_id: Id


class AppointmentBody(Body):
    person_name: Name
    post_kind: PostKind
    title: Name
    department_id: Id
    since: Day
    note: Remark | None = None


class AppointPerson(Command[PostRecorded], AppointmentBody):
    """Record that a person took up a post: head, leadership, department head, or a network post."""

    service = "units"

    unit_id: Id


class LeavingBody(Body):
    left_on: Day
    reason: Name


class RecordLeaving(Command[PostRecorded], LeavingBody):
    """Record that a person left a post (transfer, retirement, removal...)."""

    service = "units"

    unit_id: Id
    post_id: Id


class CounterpartBody(Body):
    counterpart_id: Id
    member: Id = Field(description="the group member's user id")
    member_role: MemberRole
    since: Day | None = None


class AssignCounterpart(Command[CounterpartRecorded], CounterpartBody):
    """Name the group member who speaks for a counterpart (e.g. the deputy leader in charge of a bureau)."""

    service = "units"

    unit_id: Id


class Department(Result):
    department_id: str
    name: str
    kind: DepartmentKind
    kind_label: str
    parent_id: str | None
    active: bool
    since: IsoDay | None
    until: IsoDay | None


class Post(Result):
    post_id: str
    person_name: str
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


class GetUnit(Query[UnitView]):
    """The unit's roster: departments, people in post (and who left, with history), the network."""

    service = "units"

    unit_id: Id
    include_history: bool = False


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


class GetRouting(Query[RoutingView]):
    """The routing matrix: for every active counterpart, the level and who speaks for it."""

    service = "units"

    unit_id: Id


# -- attachments -------------------------------------------------------------------------------------
class AttachmentRef(Fields):
    """An uploaded attachment a record cites."""

    sha256: Sha256
    filename: Annotated[str, Field(min_length=1, max_length=200)]


class Attachment(Result):
    sha256: str
    size: int
    media_type: str
    filename: str


class AttachmentStored(Attachment):
    position: Position


class UploadAttachment(Command[AttachmentStored]):
    """Store an attachment by its SHA-256 (size, type by its bytes and the declared hash checked).

    The content travels as base64 so the command is the same in-process and over HTTP.
    """

    service = "units"

    filename: Annotated[str, Field(max_length=1000)]
    content_base64: Base64
    declared_sha256: Sha256 | None = None


class AttachmentContent(Result):
    sha256: str
    content_base64: str


class GetAttachment(Query[AttachmentContent]):
    """A stored attachment's bytes by hash (internal: the route reads attachments through the record citing them)."""

    service = "units"

    sha256: Sha256


class AttachmentFile(Attachment):
    content_base64: str


class GetSubmissionAttachment(Query[AttachmentFile]):
    """An attachment a submission cites, to whoever may read the submission."""

    service = "units"

    submission_id: Id
    sha256: Sha256


# -- inbound: the unit liaison portal ----------------------------------------------------------------
class Receipt(Result):
    number: str = Field(description="回执号")
    received_at: str
    kind_label: str


class SubmissionReceipted(Result):
    submission_id: str
    receipt: Receipt
    position: Position


class ItemAnswered(SubmissionReceipted):
    item_id: str
    item_status: ItemStatus


class PowerMatterReported(SubmissionReceipted):
    matter_id: str


class WithAttachments(Body):
    attachments: list[AttachmentRef] = Field(default_factory=list, max_length=MAX_ATTACHMENTS)


class DirectiveNotificationBody(WithAttachments):
    title: Title
    reference_number: Annotated[str, Field(min_length=1, max_length=100, pattern=NO_CONTROL_CHARACTERS)]
    issuer: Name
    issued_on: Day
    received_on: Day
    lead_department: Name


class NotifyDirective(Command[SubmissionReceipted], DirectiveNotificationBody):
    """The unit notifies the group of a directive it received (opens the closed loop in the ledgers)."""

    service = "units"

    unit_id: Id


class ProgressReportBody(WithAttachments):
    title: Title
    subject_ref: Name = Field(description="所报事项 (a reference number or an item id)")
    period: Annotated[str, Field(min_length=1, max_length=50, pattern=NO_CONTROL_CHARACTERS)]
    summary: LongText


class SubmitProgressReport(Command[SubmissionReceipted], ProgressReportBody):
    """A progress report on a directive or matter (进展情况)."""

    service = "units"

    unit_id: Id


class ReportedItem(Fields):
    reference_number: Annotated[str, Field(min_length=1, max_length=100, pattern=NO_CONTROL_CHARACTERS)]
    title: Title
    status: ReportedStatus


class SupervisionReportBody(WithAttachments):
    title: Title
    period: Annotated[str, Field(min_length=1, max_length=50, pattern=NO_CONTROL_CHARACTERS)]
    items: list[ReportedItem] = Field(min_length=1, max_length=500)


class SubmitSupervisionReport(Command[SubmissionReceipted], SupervisionReportBody):
    """The unit's own supervision report (督查专报), the other side of reconciliation."""

    service = "units"

    unit_id: Id


class RectificationReportBody(WithAttachments):
    title: Title
    subject_ref: Name
    summary: LongText
    completed: bool = False


class SubmitRectificationReport(Command[SubmissionReceipted], RectificationReportBody):
    """What the unit did about a rectification item (整改情况)."""

    service = "units"

    unit_id: Id


class SituationNoticeBody(WithAttachments):
    title: Title
    category: Annotated[str, Field(min_length=1, max_length=100, pattern=NO_CONTROL_CHARACTERS)]
    summary: LongText
    occurred_on: Day


class SubmitSituationNotice(Command[SubmissionReceipted], SituationNoticeBody):
    """An important-situation notice (重要情况通报)."""

    service = "units"

    unit_id: Id


class DemocraticEvaluationBody(WithAttachments):
    title: Title
    cadre: Cadre
    post: Name
    year: Year
    grade: EvaluationGrade
    summary: Annotated[str, Field(max_length=5000, pattern=NO_CONTROL_CHARACTERS)] | None = None


class SubmitDemocraticEvaluation(Command[SubmissionReceipted], DemocraticEvaluationBody):
    """A cadre's democratic-evaluation result (民主测评)."""

    service = "units"

    unit_id: Id


class DutyIntegrityReportBody(WithAttachments):
    title: Title
    cadre: Cadre
    post: Name
    year: Year
    summary: LongText


class SubmitDutyIntegrityReport(Command[SubmissionReceipted], DutyIntegrityReportBody):
    """A cadre's annual duty-and-integrity report (述责述廉)."""

    service = "units"

    unit_id: Id


class IntegrityOpinionBody(WithAttachments):
    title: Title
    cadre: Cadre
    request_ref: Name = Field(description="征求意见函号")
    opinion: IntegrityOpinion
    summary: Annotated[str, Field(max_length=5000, pattern=NO_CONTROL_CHARACTERS)] | None = None


class ReplyIntegrityOpinion(Command[SubmissionReceipted], IntegrityOpinionBody):
    """The unit's integrity-opinion reply about a cadre (廉政意见回函)."""

    service = "units"

    unit_id: Id


class PowerMatterReportBody(WithAttachments):
    category: MatterCategory
    title: Title
    department_id: Id
    decided_on: Day
    amount_yuan: Yuan | None = None


class ReportPowerMatter(Command[PowerMatterReported], PowerMatterReportBody):
    """The unit reports a 三重一大 matter; the group's record of it is created with the receipt."""

    service = "units"

    unit_id: Id


class ItemReplyBody(WithAttachments):
    title: Title
    summary: LongText
    completed: bool = False
    period: Annotated[str, Field(min_length=1, max_length=50, pattern=NO_CONTROL_CHARACTERS)] | None = None


class ReplyToOutbound(Command[ItemAnswered], ItemReplyBody):
    """The unit answers feedback, a recommendation, a document or scheduling request (recorded on the item)."""

    service = "units"

    item_id: Id


class ReviewBody(Body):
    note: Remark = ""


class SubmissionReviewed(Result):
    submission_id: str
    position: Position


class ReviewSubmission(Command[SubmissionReviewed], ReviewBody):
    """The group marks a submission as reviewed (已阅), with a note."""

    service = "units"

    submission_id: Id


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


class GetSubmission(Query[SubmissionView]):
    """One submission with its receipt and attachments."""

    service = "units"

    submission_id: Id


class ListSubmissions(Query[list[SubmissionView]]):
    """The unit's submissions, newest first (optionally of one kind)."""

    service = "units"

    unit_id: Id
    kind: InboundKind | None = None


# -- items to the unit -------------------------------------------------------------------------------
class ItemRecorded(Result):
    item_id: str
    position: Position


class RequestBody(Body):
    kind: OutboundKind = Field(description="document_request, scheduling_request or directive_relay; feedback "
                                           "is issued after deliberation, recommendations come from clues")
    title: Title
    body: LongText
    counterpart_id: Id
    deadline: Day
    reference_number: Reference = ""


class IssueRequest(Command[ItemRecorded], RequestBody):
    """Send a document request (调阅资料), scheduling request (调度) or relay of HQ instructions to the unit."""

    service = "units"

    unit_id: Id


class DeliveryBody(Body):
    channel: DeliveryChannel = "portal"


class RecordDelivery(Command[ItemRecorded], DeliveryBody):
    """Record that an item reached the unit (portal, paper, in person)."""

    service = "units"

    item_id: Id


class AcknowledgeItem(Command[ItemRecorded]):
    """The unit signs for an item (签收); an item not yet marked delivered is delivered by the portal."""

    service = "units"

    item_id: Id


class WithdrawalBody(Body):
    reason: Annotated[str, Field(min_length=1, max_length=1000, pattern=NO_CONTROL_CHARACTERS)]


class WithdrawItem(Command[ItemRecorded], WithdrawalBody):
    """Withdraw an item sent in error (the record and its reason stay)."""

    service = "units"

    item_id: Id


class OverdueRecorded(Result):
    overdue: list[str] = Field(description="ids of the items recorded overdue now")
    position: Position


class RecordOverdue(Command[OverdueRecorded]):
    """Scheduler: record an Overdue event, once, for each open unanswered item past its deadline."""

    service = "units"


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


class GetItem(Query[ItemView]):
    """One item sent to the unit, with its delivery, acknowledgement and answers."""

    service = "units"

    item_id: Id


class ListItems(Query[list[ItemView]]):
    """Items sent to the unit, by deadline (optionally with one status)."""

    service = "units"

    unit_id: Id
    status: ItemStatus | None = None


# -- feedback deliberation (集体研判) ------------------------------------------------------------------
class DraftRecorded(Result):
    draft_id: str
    position: Position


class DraftDeliberated(Result):
    draft_id: str
    status: DraftStatus
    position: Position


class DraftRevised(Result):
    draft_id: str
    revision: int
    position: Position


class FeedbackIssued(Result):
    draft_id: str
    item_id: str
    position: Position


class FeedbackDraftBody(Body):
    title: Title
    body: LongText
    counterpart_id: Id
    deadline: Day
    important: bool = False
    form: FeedbackForm = "written"


class DraftFeedback(Command[DraftRecorded], FeedbackDraftBody):
    """Draft feedback (反馈意见) for collective deliberation; the unit sees nothing until it is issued."""

    service = "units"

    unit_id: Id


class OpinionBody(Body):
    stance: Stance
    text: Annotated[str, Field(max_length=5000, pattern=NO_CONTROL_CHARACTERS)] = ""


class RecordOpinion(Command[DraftDeliberated], OpinionBody):
    """A group member records an opinion on the draft (agree, amend, object)."""

    service = "units"

    draft_id: Id


class RevisionBody(Body):
    body: LongText
    important: bool
    reason: Remark = ""


class ReviseFeedback(Command[DraftRevised], RevisionBody):
    """Revise the text; it must be deliberated (and decided, if important) again."""

    service = "units"

    draft_id: Id


class DecisionBody(Body):
    decision: Decision
    note: Remark = ""


class DecideFeedback(Command[DraftDeliberated], DecisionBody):
    """The group leadership decides on important feedback (组领导研究决定): approve or return."""

    service = "units"

    draft_id: Id


class IssueBody(Body):
    reference_number: Reference = ""


class IssueFeedback(Command[FeedbackIssued], IssueBody):
    """Issue deliberated feedback to the unit, signed per the routing matrix."""

    service = "units"

    draft_id: Id


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


class GetFeedbackDraft(Query[DraftView]):
    """A feedback draft with opinions, decision and history (group-internal)."""

    service = "units"

    draft_id: Id


class ListFeedbackDrafts(Query[list[DraftView]]):
    """The group's feedback drafts for a unit."""

    service = "units"

    unit_id: Id


# -- power operation (狠抓权力运行) ---------------------------------------------------------------------
class MatterRecorded(Result):
    matter_id: str
    position: Position


class ObservedMatterBody(Body):
    category: MatterCategory
    title: Title
    department_id: Id
    decided_on: Day
    meeting: Annotated[str, checked(check_meeting), Field(min_length=1, max_length=300, pattern=NO_CONTROL_CHARACTERS)]
    note: LongText
    concern: bool = False
    amount_yuan: Yuan | None = None


class ObservePowerMatter(Command[MatterRecorded], ObservedMatterBody):
    """Register a 三重一大 matter the group saw at a leadership meeting it attended (会议监督)."""

    service = "units"

    unit_id: Id


class ObservationBody(Body):
    note: LongText
    concern: bool = False


class RecordPowerObservation(Command[MatterRecorded], ObservationBody):
    """Add the group's observation on a 三重一大 matter."""

    service = "units"

    matter_id: Id


class Power(Fields):
    name: Name
    basis: Annotated[str, Field(max_length=1000, pattern=NO_CONTROL_CHARACTERS)] = ""
    boundary: Annotated[str, Field(max_length=1000, pattern=NO_CONTROL_CHARACTERS)] = ""


class PowerListBody(Body):
    powers: list[Power] = Field(min_length=1, max_length=200)
    reason: Remark = ""


class PowerListRevised(Result):
    department_id: str
    position: Position


class RevisePowerList(Command[PowerListRevised], PowerListBody):
    """Set a department's power list (职权, basis, boundary); earlier versions stay in its history."""

    service = "units"

    unit_id: Id
    department_id: Id


class RiskPointBody(Body):
    power: Name
    description: Annotated[str, Field(min_length=1, max_length=2000, pattern=NO_CONTROL_CHARACTERS)]
    level: RiskLevel
    controls: Remark = ""


class RiskPointRecorded(Result):
    point_id: str
    position: Position


class RecordRiskPoint(Command[RiskPointRecorded], RiskPointBody):
    """Record an integrity risk point (风险点) on a listed power, with its controls."""

    service = "units"

    unit_id: Id
    department_id: Id


class RetirementBody(Body):
    reason: Annotated[str, Field(min_length=1, max_length=1000, pattern=NO_CONTROL_CHARACTERS)]


class RetireRiskPoint(Command[RiskPointRecorded], RetirementBody):
    """Retire a risk point that no longer applies (kept in the history)."""

    service = "units"

    unit_id: Id
    department_id: Id
    point_id: Id


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


class GetPowerMatter(Query[PowerMatterView]):
    """One 三重一大 matter with the group's observations."""

    service = "units"

    matter_id: Id


class ListPowerMatters(Query[list[PowerMatterView]]):
    """The unit's 三重一大 matters by decision date."""

    service = "units"

    unit_id: Id
    category: MatterCategory | None = None


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


class GetPowerList(Query[PowerListView]):
    """A department's power list and risk points, with their history."""

    service = "units"

    unit_id: Id
    department_id: Id


# -- upward (请示报告), consultations, announcements ----------------------------------------------------
class UpwardRecorded(Result):
    upward_id: str
    position: Position


class UpwardBody(Body):
    group_id: Id
    kind: UpwardKind
    title: Title
    body: LongText
    unit_id: Id | None = None


class SubmitUpward(Command[UpwardRecorded], UpwardBody):
    """A request (请示) or report (报告) from the group to the commission."""

    service = "units"


class UpwardReplyBody(Body):
    reply: LongText
    final: bool = True


class ReplyUpward(Command[UpwardRecorded], UpwardReplyBody):
    """The commission's reply (批复) to a request or report."""

    service = "units"

    upward_id: Id


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


class GetUpward(Query[UpwardView]):
    """A request or report to the commission with its replies."""

    service = "units"

    upward_id: Id


class ListUpward(Query[list[UpwardView]]):
    """Requests and reports to the commission (all, or one group's)."""

    service = "units"

    group_id: Id | None = None


class AgreedAction(Fields):
    text: Annotated[str, Field(min_length=1, max_length=1000, pattern=NO_CONTROL_CHARACTERS)]
    owner: Name
    due: Day | None = None


class ConsultationBody(Body):
    kind: ConsultationKind = "regular"
    held_on: Day
    participants: list[Name] = Field(default_factory=list, max_length=100)
    topics: list[Title] = Field(min_length=1, max_length=50)
    minutes: LongText
    actions: list[AgreedAction] = Field(default_factory=list, max_length=100)


class ConsultationHeld(Result):
    consultation_id: str
    action_ids: list[str]
    position: Position


class HoldConsultation(Command[ConsultationHeld], ConsultationBody):
    """Record a consultation with the unit (定期会商) with its minutes and agreed actions."""

    service = "units"

    unit_id: Id


class ActionDoneBody(Body):
    note: Remark = ""


class ConsultationRecorded(Result):
    consultation_id: str
    position: Position


class CompleteConsultationAction(Command[ConsultationRecorded], ActionDoneBody):
    """Mark an agreed action as done."""

    service = "units"

    consultation_id: Id
    action_id: Id


class AnnouncementBody(Body):
    title: Title
    body: LongText


class AnnouncementPublished(Result):
    announcement_id: str
    position: Position


class AnnounceJointSupervision(Command[AnnouncementPublished], AnnouncementBody):
    """Publish a joint supervision announcement (联合监督通报) with the unit."""

    service = "units"

    unit_id: Id


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


class GetConsultation(Query[ConsultationView]):
    """A consultation with minutes and agreed actions."""

    service = "units"

    consultation_id: Id


class ListConsultations(Query[list[ConsultationView]]):
    """Consultations with the unit, by date."""

    service = "units"

    unit_id: Id


class AnnouncementView(Result):
    announcement_id: str
    group_id: str
    unit_id: str
    distribution: str
    title: str
    body: str
    published_on: IsoDay
    published_by: str


class ListAnnouncements(Query[list[AnnouncementView]]):
    """Joint supervision announcements with the unit."""

    service = "units"

    unit_id: Id

