"""The ledgers service's interface: its commands, queries and results (see services.common.interface).

A command that acts on an existing record takes the record's id from the URL path and the rest from a
`...Body` model (`class RecordStage(Command[DirectiveRecorded], StageBody)`): the route takes the body,
the service the command, and the fields are written once.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from services.common.interface import (
    NO_CONTROL_CHARACTERS,
    Body,
    Command,
    Count,
    Day,
    Fields,
    Id,
    Name,
    Note,
    Query,
    Recorded,
    Result,
    Title,
    vocabulary,
)
from services.ledgers.vocab import (
    DEADLINE_BASES,
    ECOLOGY_JUDGEMENTS,
    EVALUATION_DIMENSIONS,
    ITEM_SOURCES,
    ITEM_STATUSES,
    LIST_KINDS,
    PROBLEM_TYPES,
    PROGRESS_STATUSES,
    REPORTED_STATUS_LABELS,
    ROOT_CAUSES,
    STAGE_LABELS,
)

if TYPE_CHECKING:
    StageName = str
    DeadlineBasis = str
    ListKind = str
    ProblemType = str
    RootCause = str
    Ecology = str
    Dimension = str
    ProgressStatus = str
    ReportedStatus = str
    ItemStatus = str
    ItemSource = str
else:
    StageName = vocabulary(STAGE_LABELS)
    DeadlineBasis = vocabulary(DEADLINE_BASES)
    ListKind = vocabulary(LIST_KINDS)
    ProblemType = vocabulary(PROBLEM_TYPES)
    RootCause = vocabulary(ROOT_CAUSES)
    Ecology = vocabulary(ECOLOGY_JUDGEMENTS)
    Dimension = vocabulary(EVALUATION_DIMENSIONS)
    ProgressStatus = vocabulary(PROGRESS_STATUSES)
    ReportedStatus = vocabulary(REPORTED_STATUS_LABELS)
    ItemStatus = vocabulary(ITEM_STATUSES)
    ItemSource = vocabulary(ITEM_SOURCES)

SERVICE = "ledgers"

Text = Annotated[str, Field(max_length=4000, pattern=NO_CONTROL_CHARACTERS)]
"""A text that may be left empty (a note, a description)."""
ShortText = Annotated[str, Field(max_length=200, pattern=NO_CONTROL_CHARACTERS)]
"""A short text that may be left empty (the aggregate says whether it is required)."""
Reference = Annotated[str, Field(min_length=1, max_length=100, pattern=NO_CONTROL_CHARACTERS,
                                 description="文号 (reference number)")]
CategoryCode = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_]+$",
                                    description="细账类别编码 (detail-ledger category code)")]
Score = Annotated[int, Field(strict=True, ge=0, le=100,
                             description="1 差 (poor) … 5 好 (good); outside 1-5 refused as score_out_of_range")]
Days = Annotated[int, Field(ge=0, le=3650)]
Workbook64 = Annotated[str, Field(max_length=7_000_000,
                                  description="the .xlsx file, base64 (at most 5 MB before encoding)")]
Refs = Annotated[list[Name], Field(max_length=100)]


class Deadline(Fields):
    """A deadline rule: `count` calendar or working days after `from_date` (working days: official calendar)."""

    basis: DeadlineBasis
    count: Days
    from_date: Day


DeadlineIn = Deadline | Day
"""A rule, or a fixed date."""


# == results ============================================================================================
class DirectiveRecorded(Result):
    directive_id: str
    position: int


class StageDeadlineSet(DirectiveRecorded):
    due_on: date


class CategoryRecorded(Result):
    group_id: str
    code: str
    position: int


class ItemRecorded(Result):
    item_id: str
    position: int


class ItemDeadlineSet(ItemRecorded):
    due_on: date


class ItemClosed(ItemRecorded):
    look_back_due_on: date = Field(description="回头看到期日 (when the look-back is due)")


class LookBackRecorded(ItemRecorded):
    status: str = Field(description="the item's status afterwards: `closed`, or `open` when reopened")


class RoundRecorded(Result):
    round_id: str
    position: int


class RoundOpened(RoundRecorded):
    respond_by: date


class ReconciliationChanged(Result):
    reconciliation_id: str
    position: int


class ReconciliationRecorded(ReconciliationChanged):
    findings: int = Field(description="对账发现数 (how many mismatches were found)")


class ReviewRecorded(Result):
    review_id: str
    position: int


class SchedulerRun(Recorded):
    stages_overdue: int
    items_overdue: int
    look_backs_due: int
    rounds_overdue: int


class DirectiveView(Result):
    directive_id: str
    group_id: str
    unit_id: str
    reference_number: str
    issuer: str
    title: str
    issued_on: date
    received_on: date
    lead_department: str
    category: str | None
    tied_to_duties: bool
    status: str = Field(description="; ".join(f"`{c}` {label}" for c, label in REPORTED_STATUS_LABELS.items()))
    withdrawn: bool
    withdrawn_reason: str | None
    amendments: int = Field(description="更正次数 (how many corrections)")
    notifications: list[str]
    stages: dict[str, dict[str, Any]]
    next_stage: str | None
    stage_deadlines: dict[str, dict[str, Any]]
    evaluations: dict[str, dict[str, Any]]
    distribution: str
    version: int


class Correction(Result):
    kind: str = Field(description="`amended` 更正 or `withdrawn` 撤销")
    changes: dict[str, Any]
    previous: dict[str, Any]
    reason: str
    at: str = Field(description="when (ISO 8601 timestamp)")
    by: dict[str, str] = Field(description="who: user, org, role")
    version: int


class CategoryView(Result):
    code: str
    name: str
    look_back_basis: str
    look_back_days: int
    stage_limits: dict[str, dict[str, Any]]
    active: bool
    retired_reason: str | None = None


class CategoryConfig(Result):
    group_id: str
    categories: list[CategoryView]


class UnitItemView(Result):
    """An item as the unit it is addressed to sees it (without the group's own judgement of it)."""

    item_id: str
    group_id: str
    unit_id: str
    directive_id: str | None
    list_kind: str
    title: str
    description: str
    owner: str
    deadline_rule: dict[str, Any] | None
    due_on: date | None
    overdue: bool
    overdue_on: date | None
    problem_type: str | None
    source: str
    source_ref: str | None
    status: str = Field(description="; ".join(f"`{c}` {label}" for c, label in ITEM_STATUSES.items()))
    evidence_refs: list[str]
    progress: list[dict[str, Any]]
    closure: dict[str, Any] | None
    look_back_due_on: date | None
    look_back_due: bool
    look_backs: list[dict[str, Any]]
    reopen_count: int
    distribution: str
    version: int


class ItemView(UnitItemView):
    """An item as the group, HQ and audit see it."""

    follower: str | None
    root_causes: list[str]
    ecology: str | None
    similar_item_ids: list[str]


class CombinedView(Result):
    """四单合一: the directive and the items of its four lists."""

    directive: DirectiveView
    lists: dict[str, list[ItemView]]


class Attitude(Result):
    days_from_receipt: dict[str, int | None]
    received_on: date


class Action(Result):
    evaluations: dict[str, dict[str, Any]]
    averages: dict[str, float | None]


class ThreeLooks(Result):
    """看态度、看行动、看效果."""

    directive_id: str
    attitude: Attitude
    action: Action
    effect: dict[str, int]


class RoundView(Result):
    round_id: str
    group_id: str
    unit_id: str
    subject: str
    directive_ids: list[str]
    respond_by: date
    respond_by_rule: dict[str, Any]
    requested_on: date
    responses: dict[str, dict[str, Any]]
    missing: list[str]
    overdue_on: date | None
    closed: bool
    distribution: str


class ReconciliationView(Result):
    reconciliation_id: str
    group_id: str
    unit_id: str
    report_id: str
    period: str
    compared_on: date
    matched: int
    findings: list[dict[str, Any]]
    distribution: str


class ReviewView(Result):
    review_id: str
    group_id: str
    unit_id: str | None
    quarter: str
    meeting_on: date
    chaired_by: str
    attendees: list[str]
    topics: list[str]
    decisions: list[str]
    follow_ups: list[dict[str, Any]]
    look_back: dict[str, Any] | None
    open_follow_ups: int
    distribution: str
    version: int


class WorkbookFile(Result):
    """An .xlsx file as the service builds it (the gateway sends it as a download)."""

    filename: str
    media_type: str
    rows: int | None = None
    content_base64: str


class ImportColumn(Result):
    key: str
    header: str
    required: bool


class ImportPreview(Result):
    group_id: str
    unit_id: str
    filename: str
    sha256: str
    import_id: str
    already_imported: bool
    columns: list[ImportColumn]
    rows: list[dict[str, Any]] = Field(description="each row: its number, values, valid, errors")
    valid: int
    invalid: int


class ImportView(Result):
    import_id: str
    group_id: str
    unit_id: str
    sha256: str
    filename: str
    imported: list[dict[str, Any]]
    skipped: list[dict[str, Any]]
    imported_on: date
    distribution: str


class ImportConfirmed(ImportView):
    already_imported: bool
    position: int


# == directives ===========================================================================================
class RegisterDirective(Command[DirectiveRecorded]):
    """Register a directive in the master ledger (总账); with a category it also has a detail ledger (细账)."""

    service = SERVICE

    group_id: Id
    unit_id: Id
    reference_number: Reference
    issuer: Name = Field(description="印发机关 (issuer)")
    title: Title
    issued_on: Day
    received_on: Day
    lead_department: Name = Field(description="牵头部门 (lead department)")
    category: CategoryCode | None = None
    tied_to_duties: bool = False


class StageBody(Body):
    """What was done at one stage."""

    stage: StageName
    done_on: Day
    summary: Note
    done_by: Name
    meeting: Title | None = None
    document: Title | None = None
    skip_reason: Note | None = None


class RecordStage(Command[DirectiveRecorded], StageBody):
    """Record one of the seven full-cycle stages (全周期管理)."""

    service = SERVICE

    directive_id: Id


class DirectiveChanges(Fields):
    """The registration fields to correct (only those given)."""

    reference_number: Reference | None = None
    issuer: Name | None = None
    title: Title | None = None
    issued_on: Day | None = None
    received_on: Day | None = None
    lead_department: Name | None = None
    category: CategoryCode | None = None
    tied_to_duties: bool | None = None

    def given(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set}


class AmendBody(Body):
    changes: DirectiveChanges
    reason: Note


class AmendDirective(Command[DirectiveRecorded], AmendBody):
    """Correct a directive's registration: a new event with the reason; the old values stay in history."""

    service = SERVICE

    directive_id: Id


class ReasonBody(Body):
    reason: Note


class WithdrawDirective(Command[DirectiveRecorded], ReasonBody):
    """Withdraw a mistaken entry: it stays in the history, marked withdrawn, out of the master ledger."""

    service = SERVICE

    directive_id: Id


class StageDeadlineBody(Body):
    stage: StageName
    deadline: DeadlineIn
    reason: Note | None = None


class SetStageDeadline(Command[StageDeadlineSet], StageDeadlineBody):
    """Set (or move) a stage's deadline; the rule and the computed date are both recorded."""

    service = SERVICE

    directive_id: Id


class EvaluationBody(Body):
    department: ShortText
    scores: dict[Dimension, Score] = Field(description="one score per dimension (思想认识、目标定位、责任落实、精神状态)")
    rationale: Text


class EvaluateDepartment(Command[DirectiveRecorded], EvaluationBody):
    """Rate the responsible department on the four dimensions, with a rationale."""

    service = SERVICE

    directive_id: Id


class StageLimit(Fields):
    basis: DeadlineBasis
    count: Annotated[int, Field(ge=1, le=3650)]


class CategoryBody(Body):
    code: CategoryCode
    name: Name
    look_back_basis: DeadlineBasis = "calendar"
    look_back_days: Annotated[int, Field(ge=1, le=3650)] = 90
    stage_limits: dict[StageName, StageLimit] = Field(default_factory=dict)


class ConfigureCategory(Command[CategoryRecorded], CategoryBody):
    """Add or change a detail-ledger category of the group (细账类别) and its look-back interval."""

    service = SERVICE

    group_id: Id


class RetireCategory(Command[CategoryRecorded], ReasonBody):
    """Stop using a category for new directives (existing detail ledgers keep it)."""

    service = SERVICE

    group_id: Id
    code: CategoryCode


class GetDirective(Query[DirectiveView]):
    """One directive as the group's workbench shows it."""

    service = SERVICE

    directive_id: Id


class DirectiveCorrections(Query[list[Correction]]):
    """What was corrected, when and by whom: every amendment and withdrawal, oldest first."""

    service = SERVICE

    directive_id: Id


class ListDirectives(Query[list[DirectiveView]]):
    """The master ledger (总账); with `category`, the detail ledger (细账) of that category."""

    service = SERVICE

    group_id: Id | None = None
    unit_id: Id | None = None
    category: CategoryCode | None = None
    include_withdrawn: bool = False


class GetCategoryConfig(Query[CategoryConfig]):
    """The group's detail-ledger categories and their look-back intervals."""

    service = SERVICE

    group_id: Id


class GetCombinedView(Query[CombinedView]):
    """四单合一: the directive with its tasks, responsibilities, problems and implementation records."""

    service = SERVICE

    directive_id: Id


class GetThreeLooks(Query[ThreeLooks]):
    """看态度、看行动、看效果: days from receipt to relay/deployment/plan; evaluations; rectification."""

    service = SERVICE

    directive_id: Id


# == items of the four lists ============================================================================
class ItemBody(Body):
    list_kind: ListKind
    title: Title
    owner: Name = Field(description="责任人或责任部门 (who is responsible)")
    follower: Id | None = Field(default=None, description="督办人 (the group member who follows it)")
    deadline: DeadlineIn | None = None
    description: Text = ""
    problem_type: ProblemType | None = Field(default=None, description="problems only")
    evidence_refs: Refs = Field(default_factory=list)


class AddItem(Command[ItemRecorded], ItemBody):
    """Add an item to one of a directive's four lists (任务、责任、问题、落实清单)."""

    service = SERVICE

    directive_id: Id


class ProgressBody(Body):
    status: ProgressStatus
    summary: Note
    report_ref: Name | None = None


class UpdateItemProgress(Command[ItemRecorded], ProgressBody):
    """Record the item's progress (dynamic tracking 动态跟踪)."""

    service = SERVICE

    item_id: Id


class EvidenceBody(Body):
    evidence_refs: Annotated[list[Name], Field(min_length=1, max_length=100)]
    note: Text = ""


class AttachEvidence(Command[ItemRecorded], EvidenceBody):
    """Attach evidence references (documents, minutes, site-check records) to an item."""

    service = SERVICE

    item_id: Id


class FollowerBody(Body):
    follower: Id


class AssignFollower(Command[ItemRecorded], FollowerBody):
    """Name the group member who follows the item (专人督办)."""

    service = SERVICE

    item_id: Id


class ItemDeadlineBody(Body):
    deadline: DeadlineIn
    reason: Text


class SetItemDeadline(Command[ItemDeadlineSet], ItemDeadlineBody):
    """Set or move an item's deadline (限期办结); the rule and the computed date are recorded."""

    service = SERVICE

    item_id: Id


class JudgementBody(Body):
    root_causes: Annotated[list[RootCause], Field(max_length=4)]
    ecology: Ecology
    note: Text = ""


class JudgeProblem(Command[ItemRecorded], JudgementBody):
    """Record the root-cause judgement of a problem (精准分析研判)."""

    service = SERVICE

    item_id: Id


class SimilarBody(Body):
    similar_item_ids: Annotated[list[Id], Field(max_length=100)]
    note: Text = ""


class LinkSimilar(Command[ItemRecorded], SimilarBody):
    """Link an item to the similar matters it should also fix (举一反三)."""

    service = SERVICE

    item_id: Id


class ClosureBody(Body):
    summary: Text
    evidence_refs: Refs = Field(default_factory=list)


class CloseItem(Command[ItemClosed], ClosureBody):
    """Close an item (销号) with evidence; schedules its look-back (回头看) by the category's interval."""

    service = SERVICE

    item_id: Id


class LookBackBody(Body):
    findings: Text
    similar_checked: bool = False
    reopen: bool = False
    deadline: DeadlineIn | None = None


class RecordLookBack(Command[LookBackRecorded], LookBackBody):
    """Record the look-back (回头看) of a closed item: confirmed, or reopened with a new deadline."""

    service = SERVICE

    item_id: Id


class GetItem(Query[ItemView | UnitItemView]):
    """One item; a unit user (or `for_unit`) gets it without the group's own judgement of it."""

    service = SERVICE

    item_id: Id
    for_unit: bool = False


class ListItems(Query[list[ItemView | UnitItemView]]):
    """Items across directives (e.g. every overdue item, every inspection rectification item)."""

    service = SERVICE

    group_id: Id | None = None
    unit_id: Id | None = None
    status: ItemStatus | None = None
    overdue: bool | None = None
    source: ItemSource | None = None
    for_unit: bool = False


# == the closed loop: scheduling rounds, reconciliations, the scheduler ====================================
class OpenSchedulingRound(Command[RoundOpened]):
    """Ask the unit for progress on these directives by a date (定期调度进展成效)."""

    service = SERVICE

    group_id: Id
    unit_id: Id
    subject: Title
    directive_ids: Annotated[list[Id], Field(max_length=500)]
    respond_by: DeadlineIn


class RoundResponseBody(Body):
    directive_id: Id
    status: ReportedStatus
    summary: Text


class RecordRoundResponse(Command[RoundRecorded], RoundResponseBody):
    """Record the unit's answer for one directive of a scheduling round."""

    service = SERVICE

    round_id: Id


class NoteBody(Body):
    note: Text = ""


class CloseSchedulingRound(Command[RoundRecorded], NoteBody):
    """End a scheduling round."""

    service = SERVICE

    round_id: Id


class ReportedRow(Fields):
    reference_number: Reference
    title: Annotated[str, Field(max_length=500, pattern=NO_CONTROL_CHARACTERS)]
    status: ReportedStatus


class Reconcile(Command[ReconciliationRecorded]):
    """Reconcile (对账) the master ledger with a supervision report entered by hand."""

    service = SERVICE

    group_id: Id
    unit_id: Id
    report_id: Name
    period: Annotated[str, Field(min_length=1, max_length=32, pattern=NO_CONTROL_CHARACTERS)]
    items: Annotated[list[ReportedRow], Field(max_length=2000)]


class ResolveFinding(Command[ReconciliationChanged], NoteBody):
    """Record how a reconciliation finding was dealt with."""

    service = SERVICE

    reconciliation_id: Id
    index: Count


class RunScheduler(Command[SchedulerRun]):
    """Record Overdue / LookBackDue events for every deadline that has passed (once each)."""

    service = SERVICE


class GetSchedulingRound(Query[RoundView]):
    service = SERVICE

    round_id: Id


class GetReconciliation(Query[ReconciliationView]):
    service = SERVICE

    reconciliation_id: Id


class ListReconciliations(Query[list[ReconciliationView]]):
    service = SERVICE

    group_id: Id | None = None
    unit_id: Id | None = None


# == quarterly review and self look-back =================================================================
class FollowUp(Fields):
    action: Text = Field(description="后续措施 (the action)")
    owner: ShortText = Field(description="责任人 (who)")
    deadline: Day


class QuarterlyReviewBody(Body):
    quarter: Annotated[str, Field(min_length=1, max_length=16, pattern=NO_CONTROL_CHARACTERS,
                                  description="季度，如 2025Q1 (the quarter, e.g. 2025Q1)")]
    meeting_on: Day
    chaired_by: Name = Field(description="主持人 (who chaired)")
    attendees: Annotated[list[ShortText], Field(max_length=100)]
    topics: Annotated[list[Text], Field(max_length=50, description="研究的专题 (topics studied)")]
    decisions: Annotated[list[Text], Field(max_length=50, description="会议决定 (decisions)")]
    follow_ups: Annotated[list[FollowUp], Field(max_length=100)] = Field(default_factory=list)


class RecordQuarterlyReview(Command[ReviewRecorded], QuarterlyReviewBody):
    """Record the group meeting's quarterly study of its supervision work: who, what, decided, follow-ups."""

    service = SERVICE

    group_id: Id


class SelfLookBackBody(Body):
    good_practices: Annotated[list[Text], Field(max_length=50, description="好的做法")] = Field(default_factory=list)
    shortcomings: Annotated[list[Text], Field(max_length=50, description="存在不足")] = Field(default_factory=list)
    causes: Annotated[list[Text], Field(max_length=50, description="原因分析")] = Field(default_factory=list)
    measures: Annotated[list[Text], Field(max_length=50, description="改进措施")] = Field(default_factory=list)


class RecordSelfLookBack(Command[ReviewRecorded], SelfLookBackBody):
    """The group's look-back at its own supervision work this quarter (自身回头看)."""

    service = SERVICE

    review_id: Id


class FollowUpDoneBody(Body):
    note: Text


class CompleteReviewFollowUp(Command[ReviewRecorded], FollowUpDoneBody):
    """Mark one follow-up action of a quarterly review done, with what was done."""

    service = SERVICE

    review_id: Id
    index: Count


class GetQuarterlyReview(Query[ReviewView]):
    service = SERVICE

    review_id: Id


class QuarterlyReviewId(Query[str]):
    """The id the review of this group and quarter has (or will have)."""

    service = SERVICE

    group_id: Id
    quarter: Annotated[str, Field(min_length=1, max_length=16, pattern=NO_CONTROL_CHARACTERS)]


class ListQuarterlyReviews(Query[list[ReviewView]]):
    """Quarterly reviews (of a group), by quarter."""

    service = SERVICE

    group_id: Id | None = None


# == spreadsheets: import and export ======================================================================
class ImportTemplate(Query[WorkbookFile]):
    """The .xlsx template of a master-ledger import (docs/ledger-import-template.md)."""

    service = SERVICE


class ImportUpload(Body):
    group_id: Id
    unit_id: Id
    content_base64: Workbook64
    filename: ShortText = ""


class PreviewImport(Query[ImportPreview], ImportUpload):
    """Parse and check an uploaded master ledger (.xlsx) row by row; records nothing."""

    service = SERVICE


class ConfirmImport(Command[ImportConfirmed], ImportUpload):
    """Record the file's valid rows as directive registrations in one batch (once per file and group)."""

    service = SERVICE


class GetImport(Query[ImportView]):
    """One import batch: which row became which directive, which rows were skipped and why."""

    service = SERVICE

    import_id: Id


class ListImports(Query[list[ImportView]]):
    """The import batches (of a group), oldest first."""

    service = SERVICE

    group_id: Id | None = None


class ExportDirectives(Query[WorkbookFile]):
    """The master ledger (总账), or with `category` that detail ledger (细账) and its stage records, as .xlsx."""

    service = SERVICE

    group_id: Id | None = None
    unit_id: Id | None = None
    category: CategoryCode | None = None
    include_withdrawn: bool = False


class ExportCombinedView(Query[WorkbookFile]):
    """四单合一 of one directive as .xlsx: the directive, then every item of its four lists."""

    service = SERVICE

    directive_id: Id
