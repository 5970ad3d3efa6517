"""Operations of the unit liaison portal: what the unit submits, each with a receipt (回执)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from services.common.interface import (
    NO_CONTROL_CHARACTERS,
    Body,
    Command,
    Day,
    Fields,
    Id,
    Name,
    Query,
    Title,
)
from services.units.attachments import MAX_ATTACHMENTS
from services.units.interface.fields import (
    Cadre,
    EvaluationGrade,
    IntegrityOpinion,
    LongText,
    MatterCategory,
    Remark,
    ReportedStatus,
    Year,
    Yuan,
)
from services.units.interface.results import (
    ItemAnswered,
    PowerMatterReported,
    SubmissionReceipted,
    SubmissionReviewed,
)
from services.units.interface.roster import AttachmentRef
from services.units.interface.views import SubmissionView


# -- inbound: the unit liaison portal ----------------------------------------------------------------
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

    unit_id: Id


class DirectiveStatus(Fields):
    directive_id: Id
    status: ReportedStatus
    summary: Remark = Field(default="", description="该件进展说明 (this directive's progress; the report's summary "
                                                    "when empty)")


class ProgressReportBody(WithAttachments):
    title: Title
    subject_ref: Name = Field(description="所报事项 (a reference number or an item id)")
    period: Annotated[str, Field(min_length=1, max_length=50, pattern=NO_CONTROL_CHARACTERS)]
    summary: LongText
    round_id: Id | None = Field(default=None, description="所答复的调度 (the scheduling round this report answers: "
                                                          "its statuses are recorded as the round's responses)")
    directive_statuses: list[DirectiveStatus] = Field(
        default_factory=list, max_length=500,
        description="逐件进展 (status per directive of the round; required with `round_id`)")


class SubmitProgressReport(Command[SubmissionReceipted], ProgressReportBody):
    """A progress report on a directive or matter (进展情况)."""

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

    unit_id: Id


class RectificationReportBody(WithAttachments):
    title: Title
    subject_ref: Name
    summary: LongText
    completed: bool = False


class SubmitRectificationReport(Command[SubmissionReceipted], RectificationReportBody):
    """What the unit did about a rectification item (整改情况)."""

    unit_id: Id


class SituationNoticeBody(WithAttachments):
    title: Title
    category: Annotated[str, Field(min_length=1, max_length=100, pattern=NO_CONTROL_CHARACTERS)]
    summary: LongText
    occurred_on: Day


class SubmitSituationNotice(Command[SubmissionReceipted], SituationNoticeBody):
    """An important-situation notice (重要情况通报)."""

    unit_id: Id


class DemocraticEvaluationBody(WithAttachments):
    title: Title
    person_id: Id | None = Field(default=None, description="人员编号 (the roster's person; needed when two share a name)")
    cadre: Cadre
    post: Name
    year: Year
    grade: EvaluationGrade
    summary: Annotated[str, Field(max_length=5000, pattern=NO_CONTROL_CHARACTERS)] | None = None


class SubmitDemocraticEvaluation(Command[SubmissionReceipted], DemocraticEvaluationBody):
    """A cadre's democratic-evaluation result (民主测评)."""

    unit_id: Id


class DutyIntegrityReportBody(WithAttachments):
    title: Title
    person_id: Id | None = Field(default=None, description="人员编号 (the roster's person; needed when two share a name)")
    cadre: Cadre
    post: Name
    year: Year
    summary: LongText


class SubmitDutyIntegrityReport(Command[SubmissionReceipted], DutyIntegrityReportBody):
    """A cadre's annual duty-and-integrity report (述责述廉)."""

    unit_id: Id


class IntegrityOpinionBody(WithAttachments):
    title: Title
    item_id: Id | None = Field(default=None, description="the group's integrity-opinion request (outbound item) this "
                                                       "answers; its person and reference are taken from it")
    person_id: Id | None = Field(default=None, description="人员编号 (the roster's person; needed when two share a name)")
    cadre: Cadre
    request_ref: Name = Field(description="征求意见函号")
    opinion: IntegrityOpinion
    summary: Annotated[str, Field(max_length=5000, pattern=NO_CONTROL_CHARACTERS)] | None = None


class ReplyIntegrityOpinion(Command[SubmissionReceipted], IntegrityOpinionBody):
    """The unit's integrity-opinion reply about a cadre (廉政意见回函)."""

    unit_id: Id


class PowerMatterReportBody(WithAttachments):
    category: MatterCategory
    title: Title
    department_id: Id
    decided_on: Day
    amount_yuan: Yuan | None = None


class ReportPowerMatter(Command[PowerMatterReported], PowerMatterReportBody):
    """The unit reports a 三重一大 matter; the group's record of it is created with the receipt."""

    unit_id: Id


class ItemReplyBody(WithAttachments):
    title: Title
    summary: LongText
    completed: bool = False
    period: Annotated[str, Field(min_length=1, max_length=50, pattern=NO_CONTROL_CHARACTERS)] | None = None


class ReplyToOutbound(Command[ItemAnswered], ItemReplyBody):
    """The unit answers feedback, a recommendation, a document or scheduling request (recorded on the item)."""

    item_id: Id


class ReviewBody(Body):
    note: Remark = ""


class ReviewSubmission(Command[SubmissionReviewed], ReviewBody):
    """The group marks a submission as reviewed (已阅), with a note."""

    submission_id: Id


class GetSubmission(Query[SubmissionView]):
    """One submission with its receipt and attachments."""

    submission_id: Id
