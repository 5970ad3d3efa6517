"""The clues service's interface: its commands, queries and results (see services.common.interface).

A clue's content (subject, allegations, notes, documents) is only in the results of `ReadClue` and
`ReadJointScreening`, and each of those calls records the read on the clue's disclosure stream first.
Every other result carries facts (ids, codes, statuses, dates), never content.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer

from services.clues.compartment import CONTENT_PART_LABELS
from services.clues.domainmodel import (
    CATEGORY_LABELS,
    DEADLINE_LABELS,
    DISPOSITION_LABELS,
    INQUIRY_FORM_LABELS,
    JOINT_PART_LABELS,
    RESULT_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
)
from services.clues.recommendation import RECOMMENDATION_STATUS_LABELS
from services.common.case_history import ForensicHistoryQuery
from services.common.forensics import ForensicReplayQuery
from services.common.interface import (
    NO_CONTROL_CHARACTERS,
    Body,
    Command,
    Day,
    Fields,
    Id,
    Name,
    Note,
    Query,
    Result,
    Title,
    vocabulary,
)

CHANNEL_LABELS = {"workbench": "工作台查阅 (read on the group's workbench)",
                  "joint_screening": "联合排查查阅 (read in joint screening)"}

if TYPE_CHECKING:
    Source = str
    Category = str
    Disposition = str
    Status = str
    InquiryForm = str
    ResultKind = str
    ContentPart = str
    JointPart = str
    DeadlineKind = str
    RecommendationStatus = str
    Channel = str
else:
    Source = vocabulary(SOURCE_LABELS)
    Category = vocabulary(CATEGORY_LABELS)
    Disposition = vocabulary(DISPOSITION_LABELS)
    Status = vocabulary(STATUS_LABELS)
    InquiryForm = vocabulary(INQUIRY_FORM_LABELS)
    ResultKind = vocabulary(RESULT_LABELS)
    ContentPart = vocabulary(CONTENT_PART_LABELS)
    JointPart = vocabulary(JOINT_PART_LABELS)
    DeadlineKind = vocabulary(DEADLINE_LABELS)
    RecommendationStatus = vocabulary(RECOMMENDATION_STATUS_LABELS)
    Channel = vocabulary(CHANNEL_LABELS)

FourForms = Annotated[int, Field(ge=1, le=4, description="四种形态 (the four forms of supervision), 1-4")]
FreeText = Annotated[str, Field(max_length=4000, pattern=NO_CONTROL_CHARACTERS)]
"""A text that may be empty, or whose emptiness the domain refuses with its own code."""
Sha256 = Annotated[str, Field(pattern=r"^[0-9A-Fa-f]{64}$", description="SHA-256, 64 hex digits")]


# -- who a command names, as the account directory knows them ------------------------------------------
class DirectoryEntry(Fields):
    """Someone a command names (staff assigned, a member added, a unit user invited), as the directory knows them."""

    user_id: Id
    org_id: Id | None = None
    org_kind: Id | None = Field(default=None, description="hq | group | inspection_team | unit | audit; none: unknown")
    roles: list[Id] = Field(default_factory=list, max_length=20)


class Directory(Fields):
    """The directory entries of the people a command names: the gateway fills them in from its accounts.

    Without them (policies, scripts, tests) the clue does not check who may know it.
    """

    directory: list[DirectoryEntry] | None = Field(default=None, max_length=60)

    @classmethod
    def positional_order(cls) -> list[str]:
        """Never taken positionally: the record's id and the request's fields come first."""
        order: list[str] = super().positional_order()  # type: ignore[misc]
        return [name for name in order if name != "directory"] + ["directory"]


# -- results -------------------------------------------------------------------------------------------
class ClueRecorded(Result):
    clue_id: str
    position: int


class ClueDeadline(Result):
    kind: DeadlineKind
    due_on: date
    done: bool
    overdue: bool
    rule: dict[str, Any] | None = Field(
        default=None, description="期限规则及所用日历 (basis, count, from_date, calendar, provisional_years)")


class ClueFacts(Result):
    """What a compartment member sees in a list: no subject, no allegation text."""

    clue_id: str
    group_id: str
    unit_id: str
    source: Source
    categories: list[Category]
    received_on: date
    status: Status
    disposition: Disposition | None
    proposed_disposition: Disposition | None
    four_forms: int | None
    result: ResultKind | None
    open_deadline: ClueDeadline | None
    overdue: list[DeadlineKind]
    joint_screening_open: bool
    version: int


class ClueSubject(Result):
    name: str
    unit: str
    post: str
    key_person: bool


class ClueReferral(Result):
    referral_id: str
    round_id: str | None
    activity_id: str | None
    referred_by: str


class Allegations(Result):
    categories: list[Category]
    summary: str


class ClueDocument(Result):
    title: str
    reference: str
    sha256: str


class ClueNotes(Result):
    """The group's own record of the clue (JSON values as recorded)."""

    assessments: list[dict[str, Any]]
    screenings: list[dict[str, Any]]
    proposal: dict[str, Any] | None
    decisions: list[dict[str, Any]]
    inquiry: dict[str, Any] | None
    verification: dict[str, Any] | None
    outcome: dict[str, Any] | None
    reopenings: list[dict[str, Any]]
    joint_screening: dict[str, Any] | None
    recommendation_ids: list[str]
    members: dict[str, dict[str, Any]]


class _Parts(Result):
    """Content by parts: a part not read is absent from the answer (not null), in both modes."""

    PART_FIELDS: ClassVar[dict[str, tuple[str, ...]]] = {
        "subject": ("subject", "referral"), "allegations": ("allegations",), "notes": ("notes",),
        "documents": ("documents",),
    }
    parts: list[str]

    # no return annotation: pydantic then documents the model's own fields (an annotation would make it "object")
    @model_serializer(mode="wrap")
    def _only_parts_read(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        data: dict[str, Any] = handler(self)
        for part, names in self.PART_FIELDS.items():
            if part not in self.parts:
                for name in names:
                    data.pop(name, None)
        return data

    def __contains__(self, name: object) -> bool:
        """`"subject" in content`: was that part read."""
        return any(name in names and part in self.parts for part, names in self.PART_FIELDS.items())


class DisclosedClue(_Parts, ClueFacts):
    """A clue's facts and the content parts read; the read is recorded at `disclosure_position`."""

    parts: list[ContentPart]
    subject: ClueSubject | None = None
    referral: ClueReferral | None = None
    allegations: Allegations | None = None
    notes: ClueNotes | None = None
    documents: list[ClueDocument] | None = None
    disclosure_position: int


class JointScreeningContent(_Parts):
    """The parts shared with the unit's discipline committee; the read is recorded."""

    clue_id: str
    unit_id: str
    parts: list[JointPart]
    subject: ClueSubject | None = None
    referral: ClueReferral | None = None
    allegations: Allegations | None = None
    documents: list[ClueDocument] | None = None
    reason: str
    disclosure_position: int


class IntakeEntry(Result):
    """A referred clue awaiting the group leader: source and dates, no content."""

    clue_id: str
    source: Source
    received_on: date
    referral_id: str | None
    round_id: str | None
    open_deadline: ClueDeadline | None


class DisclosureEntry(Result):
    """One recorded read of a clue's content."""

    reader: str
    parts: list[ContentPart]
    reason: str
    channel: Channel
    read_at: datetime
    actor: dict[str, str]


class ClueStatistics(Result):
    """Counts only (what HQ may know): by status, category, disposition and four forms."""

    group_id: str | None
    total: int
    status: dict[str, int]
    category: dict[str, int]
    disposition: dict[str, int]
    four_forms: dict[str, int]


class OverdueClue(Result):
    clue_id: str
    deadlines: list[DeadlineKind]


class OverdueRecorded(Result):
    clues: list[OverdueClue]
    recommendations: list[str]
    position: int


class OverdueChecked(Result):
    """How many clues and recommendations got an overdue event in this run."""

    clues: int
    recommendations: int
    position: int


class RecommendationRecorded(Result):
    recommendation_id: str
    position: int


class RecommendationResponse(Result):
    report_id: str
    summary: str
    completed: bool
    received_on: date


class RecommendationClosure(Result):
    closed_on: date
    evidence: str


class RecommendationView(Result):
    recommendation_id: str
    group_id: str
    unit_id: str
    reference_number: str
    title: str
    problems: list[str]
    recommendations: list[str]
    responsible_department: str
    deadline: date
    status: RecommendationStatus
    issued_on: date | None
    responses: list[RecommendationResponse]
    closure: RecommendationClosure | None
    overdue: bool
    version: int


# -- intake ----------------------------------------------------------------------------------------------
class ClueDocumentBody(Body):
    title: Title
    reference: str = Field(default="", max_length=200, pattern=NO_CONTROL_CHARACTERS, description="档案号 / 存放位置")
    sha256: Sha256


class ClueBody(Body):
    """A clue as the group registers it (信访举报, 审计移交, 监督发现, 上级交办)."""

    unit_id: Id
    source: Source
    subject_name: Name = Field(description="被反映人 (the official the clue is about)")
    subject_unit: FreeText = Field(default="", max_length=200)
    subject_post: FreeText = Field(default="", max_length=200)
    key_person: bool = Field(default=False, description="驻在单位领导班子成员或一把手 (of the unit's leadership)")
    categories: list[Category] = Field(max_length=7)
    summary: FreeText = Field(description="主要问题摘要 (the allegations in brief)")
    assigned: list[Id] = Field(default_factory=list, max_length=20)
    received_on: Day | None = None
    documents: list[ClueDocumentBody] = Field(default_factory=list, max_length=50)


class RegisterClue(Directory, Command[ClueRecorded], ClueBody):
    """Register a clue; its compartment is the group leader, the staff assigned and who registered it."""

    group_id: Id
    leader: str = Field(max_length=64, pattern=r"^[A-Za-z0-9_.:\-]*$",
                        description="the group leader (always in the compartment; none: refused as leader_required)")


class AcceptReferralBody(Body):
    assigned: list[Id] = Field(min_length=1, max_length=20)


class AcceptReferral(Directory, Command[ClueRecorded], AcceptReferralBody):
    """The group leader takes a referred clue in and assigns staff."""

    clue_id: Id
    leader: Id


# -- compartment and content -----------------------------------------------------------------------------
class CompartmentMemberBody(Body):
    user: Id
    reason: Note


class AddMember(Directory, Command[ClueRecorded], CompartmentMemberBody):
    """Add someone to the compartment, with the reason recorded."""

    clue_id: Id


class RemoveMember(Command[ClueRecorded], CompartmentMemberBody):
    clue_id: Id


class AddDocument(Command[ClueRecorded], ClueDocumentBody):
    """Attach a source document by reference and SHA-256 hash (the file itself stays in the archive)."""

    clue_id: Id


class ClueAssessmentBody(Body):
    political_analysis: Note = Field(description="政治分析 (the political analysis, first)")
    analysis: FreeText = ""


class NoteAssessment(Command[ClueRecorded], ClueAssessmentBody):
    """An assessment note (研判): the political analysis first."""

    clue_id: Id


class ScreeningParticipant(Fields):
    user: Id
    conclusion: Note


class ClueScreeningBody(Body):
    held_on: Day
    participants: list[ScreeningParticipant] = Field(max_length=30)
    conclusion: Note


class RecordScreening(Command[ClueRecorded], ClueScreeningBody):
    """Collective screening (集体排查): who took part and what each concluded."""

    clue_id: Id


# -- disposition, execution, outcome -------------------------------------------------------------------
class DispositionProposalBody(Body):
    disposition: Disposition
    reason: Note


class ProposeDisposition(Command[ClueRecorded], DispositionProposalBody):
    clue_id: Id


class DispositionDecisionBody(Body):
    approved: bool
    reason: FreeText = Field(default="", description="required to send back or to choose another disposition")
    disposition: Disposition | None = None


class DecideDisposition(Command[ClueRecorded], DispositionDecisionBody):
    """The group leader's decision; an approved disposition opens its statutory time limit."""

    clue_id: Id


class ClueInquiryBody(Body):
    form: InquiryForm
    held_on: Day
    summary: Note


class RecordInquiry(Command[ClueRecorded], ClueInquiryBody):
    """A talk held or a letter of inquiry sent; a letter must be answered within the time limit."""

    clue_id: Id


class InquiryReplyBody(Body):
    received_on: Day
    summary: Note


class RecordInquiryReply(Command[ClueRecorded], InquiryReplyBody):
    clue_id: Id


class ClueVerificationBody(Body):
    reported_on: Day
    summary: Note
    substantiated: bool


class RecordVerification(Command[ClueRecorded], ClueVerificationBody):
    """The preliminary verification report (初核报告)."""

    clue_id: Id


class ClueConclusionBody(Body):
    result: ResultKind
    reason: Note
    four_forms: FourForms | None = None


class ConcludeClue(Command[ClueRecorded], ClueConclusionBody):
    """Case filing (立案审查调查) or closure, with the outcome in the four forms and the reasons."""

    clue_id: Id


class ClueReasonBody(Body):
    reason: Note


class ReopenClue(Command[ClueRecorded], ClueReasonBody):
    clue_id: Id


# -- joint screening -------------------------------------------------------------------------------------
class JointShareBody(Body):
    unit_users: list[Id] = Field(min_length=1, max_length=10)
    parts: list[JointPart] = Field(min_length=1, max_length=3)
    reason: Note


class ShareForJointScreening(Directory, Command[ClueRecorded], JointShareBody):
    """Share parts of a clue with the unit's discipline committee (never about the unit's leadership)."""

    clue_id: Id


class JointConclusionBody(Body):
    conclusion: Note


class ConcludeJointScreening(Command[ClueRecorded], JointConclusionBody):
    clue_id: Id


# -- reads of content: each one recorded -----------------------------------------------------------------
class ClueReadBody(Body):
    reason: Note = Field(description="查阅理由 (why: recorded with the read)")
    parts: list[ContentPart] | None = Field(default=None, max_length=4, description="all parts when absent")


class ReadClue(Command[DisclosedClue], ClueReadBody):
    """A compartment member reads a clue's content; the read (who, when, parts, why) is recorded first."""

    clue_id: Id
    reader: Id


class ReadJointScreening(Command[JointScreeningContent], ClueReasonBody):
    """A unit discipline-committee user invited to joint screening reads the shared parts only."""

    clue_id: Id
    reader: Id


# -- deadlines ---------------------------------------------------------------------------------------------
class RecordOverdue(Command[OverdueRecorded]):
    """Scheduler: record an overdue event for every statutory deadline passed, once each."""

    now: datetime | None = None


# -- queries without content -------------------------------------------------------------------------------
class GetClueFacts(Query[ClueFacts]):
    """One clue's facts (status, disposition, deadlines): no content, so no disclosure."""

    clue_id: Id


class ListDisclosures(Query[list[DisclosureEntry]]):
    """Every recorded read of a clue's content, replayed from its disclosure stream."""

    clue_id: Id


# -- recommendations ------------------------------------------------------------------------------------------
class RecommendationBody(Body):
    """A supervision recommendation (纪检监察建议) as the group drafts it."""

    unit_id: Id
    reference_number: Name = Field(description="文号")
    title: Title
    problems: list[Note] = Field(max_length=50)
    recommendations: list[Note] = Field(max_length=50)
    responsible_department: Name
    deadline: Day
    source_clue_ids: list[Id] = Field(default_factory=list, max_length=50)


class DraftRecommendation(Command[RecommendationRecorded], RecommendationBody):
    """Draft a supervision recommendation; the clues it came from record the link on their side."""

    group_id: Id


class RecommendationIssueBody(Body):
    issued_on: Day | None = None


class IssueRecommendation(Command[RecommendationRecorded], RecommendationIssueBody):
    """Issue to the unit (the units service delivers it)."""

    recommendation_id: Id


class RecommendationResponseBody(Body):
    report_id: Id
    summary: Note
    completed: bool
    received_on: Day


class RecordRecommendationResponse(Command[RecommendationRecorded], RecommendationResponseBody):
    recommendation_id: Id


class RecommendationCloseBody(Body):
    evidence: Note
    closed_on: Day | None = None


class CloseRecommendation(Command[RecommendationRecorded], RecommendationCloseBody):
    """Close (销号) once the unit reported the rectification completed, with evidence."""

    recommendation_id: Id


class GetRecommendation(Query[RecommendationView]):
    recommendation_id: Id


class ForensicReplay(ForensicReplayQuery):
    """回放记录：历史及某一时点的状态，每次使用均被记录 (replay a clues record: its history and its state at a
    moment; every use is recorded)."""


class ForensicHistory(ForensicHistoryQuery):
    """案卷历史中本服务的事件，调用者无权查看的不列出 (the events of a case in this service's store, those the
    caller may not read left out; with the record's id the use is recorded)."""
