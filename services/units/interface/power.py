"""Operations of power oversight (狠抓权力运行), upward reports, consultations and joint announcements."""

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
from services.units.interface.fields import (
    BY_NAME_OR_KIND,
    ConsultationKind,
    LongText,
    MatterCategory,
    Meeting,
    Remark,
    RiskLevel,
    UpwardKind,
    Yuan,
)
from services.units.interface.results import (
    AnnouncementPublished,
    ConsultationHeld,
    ConsultationRecorded,
    MatterRecorded,
    PowerListRevised,
    RiskPointRecorded,
    UpwardRecorded,
)
from services.units.interface.views import (
    AnnouncementView,
    ConsultationView,
    PowerListView,
    PowerMatterView,
    UpwardView,
)


# -- power operation (狠抓权力运行) ---------------------------------------------------------------------
class ObservedMatterBody(Body):
    category: MatterCategory
    title: Title
    department_id: Id
    decided_on: Day
    meeting: Meeting
    note: LongText
    concern: bool = False
    amount_yuan: Yuan | None = None


class ObservePowerMatter(Command[MatterRecorded], ObservedMatterBody):
    """Register a 三重一大 matter the group saw at a leadership meeting it attended (会议监督)."""

    unit_id: Id


class ObservationBody(Body):
    note: LongText
    concern: bool = False


class RecordPowerObservation(Command[MatterRecorded], ObservationBody):
    """Add the group's observation on a 三重一大 matter."""

    matter_id: Id


class Power(Fields):
    name: Name
    basis: Annotated[str, Field(max_length=1000, pattern=NO_CONTROL_CHARACTERS)] = ""
    boundary: Annotated[str, Field(max_length=1000, pattern=NO_CONTROL_CHARACTERS)] = ""


class PowerListBody(Body):
    powers: list[Power] = Field(min_length=1, max_length=200)
    reason: Remark = ""


class RevisePowerList(Command[PowerListRevised], PowerListBody):
    """Set a department's power list (职权, basis, boundary); earlier versions stay in its history."""

    unit_id: Id
    department_id: Id


class RiskPointBody(Body):
    power: Name
    description: Annotated[str, Field(min_length=1, max_length=2000, pattern=NO_CONTROL_CHARACTERS)]
    level: RiskLevel
    controls: Remark = ""


class RecordRiskPoint(Command[RiskPointRecorded], RiskPointBody):
    """Record an integrity risk point (风险点) on a listed power, with its controls."""

    unit_id: Id
    department_id: Id


class RetirementBody(Body):
    reason: Annotated[str, Field(min_length=1, max_length=1000, pattern=NO_CONTROL_CHARACTERS)]


class RetireRiskPoint(Command[RiskPointRecorded], RetirementBody):
    """Retire a risk point that no longer applies (kept in the history)."""

    unit_id: Id
    department_id: Id
    point_id: Id


class GetPowerMatter(Query[PowerMatterView]):
    """One 三重一大 matter with the group's observations."""

    matter_id: Id



class GetPowerList(Query[PowerListView]):
    """A department's power list and risk points, with their history."""

    unit_id: Id
    department_id: Id


# -- upward (请示报告), consultations, announcements ----------------------------------------------------
class UpwardBody(Body):
    model_config = BY_NAME_OR_KIND

    group_id: Id
    upward_kind: UpwardKind = Field(alias="kind")
    title: Title
    body: LongText
    unit_id: Id | None = None


class SubmitUpward(Command[UpwardRecorded], UpwardBody):
    """A request (请示) or report (报告) from the group to the commission."""



class UpwardReplyBody(Body):
    reply: LongText
    final: bool = True


class ReplyUpward(Command[UpwardRecorded], UpwardReplyBody):
    """The commission's reply (批复) to a request or report."""

    upward_id: Id


class GetUpward(Query[UpwardView]):
    """A request or report to the commission with its replies."""

    upward_id: Id



class AgreedAction(Fields):
    text: Annotated[str, Field(min_length=1, max_length=1000, pattern=NO_CONTROL_CHARACTERS)]
    owner: Name
    due: Day | None = None


class ConsultationBody(Body):
    model_config = BY_NAME_OR_KIND

    consultation_kind: ConsultationKind = Field(default="regular", alias="kind")
    held_on: Day
    participants: list[Name] = Field(default_factory=list, max_length=100)
    topics: list[Title] = Field(min_length=1, max_length=50)
    minutes: LongText
    actions: list[AgreedAction] = Field(default_factory=list, max_length=100)


class HoldConsultation(Command[ConsultationHeld], ConsultationBody):
    """Record a consultation with the unit (定期会商) with its minutes and agreed actions."""

    unit_id: Id


class ActionDoneBody(Body):
    note: Remark = ""


class CompleteConsultationAction(Command[ConsultationRecorded], ActionDoneBody):
    """Mark an agreed action as done."""

    consultation_id: Id
    action_id: Id


class AnnouncementBody(Body):
    title: Title
    body: LongText


class AnnounceJointSupervision(Command[AnnouncementPublished], AnnouncementBody):
    """Publish a joint supervision announcement (联合监督通报) with the unit."""

    unit_id: Id


class GetConsultation(Query[ConsultationView]):
    """A consultation with minutes and agreed actions."""

    consultation_id: Id


class GetAnnouncement(Query[AnnouncementView]):
    """A joint supervision announcement with its text."""

    announcement_id: Id
