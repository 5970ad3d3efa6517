"""What the units service's commands return: the ids they created and the position they wrote (read models
can be waited on for that position). What the queries return is in `views`."""

from __future__ import annotations

from pydantic import Field

from services.common.interface import Result
from services.units.interface.fields import DraftStatus, ItemStatus, Position


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
    person_id: str | None = Field(default=None, description="人员编号: the roster's id of the person appointed")


class CounterpartRecorded(Result):
    unit_id: str
    counterpart_id: str
    position: Position


class Attachment(Result):
    sha256: str
    size: int
    media_type: str
    filename: str


class AttachmentStored(Attachment):
    position: Position


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


class SubmissionReviewed(Result):
    submission_id: str
    position: Position


class ItemRecorded(Result):
    item_id: str
    position: Position


class OverdueRecorded(Result):
    overdue: list[str] = Field(description="ids of the items recorded overdue now")
    position: Position


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


class MatterRecorded(Result):
    matter_id: str
    position: Position


class PowerListRevised(Result):
    department_id: str
    position: Position


class RiskPointRecorded(Result):
    point_id: str
    position: Position


class UpwardRecorded(Result):
    upward_id: str
    position: Position


class ConsultationHeld(Result):
    consultation_id: str
    action_ids: list[str]
    position: Position


class ConsultationRecorded(Result):
    consultation_id: str
    position: Position


class AnnouncementPublished(Result):
    announcement_id: str
    position: Position
