"""Operations of meeting supervision (会议监督, 交换意见, 谈心谈话) and of the three-level network (三级联动)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import Field

from events.vocab import STAGE_LABELS
from services.common.interface import Body, Command, Day, Id, Name, Query, Result, Title, vocabulary
from services.units.interface.fields import BY_NAME_OR_KIND, IsoDay, LongText, MatterCategory, Position, Yuan
from services.units.meetings import CONTACT_KINDS, MEETING_KINDS
from services.units.network import ACTIVITY_KINDS, LEVELS

if TYPE_CHECKING:
    ContactKind = str
    MeetingKind = str
    Stage = str
    NetworkActivityKind = str
    NetworkLevel = str
else:
    ContactKind = vocabulary(CONTACT_KINDS)
    MeetingKind = vocabulary(MEETING_KINDS)
    Stage = vocabulary(STAGE_LABELS)
    NetworkActivityKind = vocabulary(ACTIVITY_KINDS)
    NetworkLevel = vocabulary(LEVELS)


# -- results and views ----------------------------------------------------------------------------------
class ContactRecorded(Result):
    contact_id: str
    position: Position


class ContactMatterRecorded(Result):
    contact_id: str
    matter_id: str
    position: Position


class NetworkActivityRecorded(Result):
    activity_id: str
    position: Position


class ContactView(Result):
    contact_id: str
    group_id: str
    unit_id: str
    distribution: str
    kind: ContactKind
    kind_label: str
    meeting_kind: MeetingKind | None
    held_on: IsoDay
    title: str
    persons: list[dict[str, Any]] = Field(description="the roster persons concerned (person_id, name, post)")
    attended_by: list[str]
    observations: list[dict[str, Any]]
    directive_id: str | None
    stage: Stage | None
    matter_ids: list[str] = Field(description="三重一大 matters registered as seen at this meeting")
    recorded_by: str
    version: int


class NetworkPosition(Result):
    level: NetworkLevel
    post_kind: str
    department_id: str | None
    department_name: str | None
    holders: list[dict[str, Any]]
    vacant: bool
    reachable_via: dict[str, Any] | None = Field(
        description="the counterpart of the unit channel that addresses this position (None while vacant)")


class NetworkView(Result):
    unit_id: str
    group_id: str
    positions: list[NetworkPosition]
    vacancies: int


class NetworkActivityView(Result):
    activity_id: str
    group_id: str
    unit_id: str
    distribution: str
    kind: NetworkActivityKind
    kind_label: str
    held_on: IsoDay
    title: str
    summary: str
    participants: list[dict[str, Any]]
    assignment: str | None
    recorded_by: str
    version: int


# -- meeting supervision ----------------------------------------------------------------------------------
class ContactBody(Body):
    model_config = BY_NAME_OR_KIND

    contact_kind: ContactKind = Field(alias="kind")
    meeting_kind: MeetingKind | None = None
    held_on: Day
    title: Title
    person_ids: list[Id] = Field(min_length=1, max_length=50, description="roster ids of the persons concerned")
    attended_by: list[Name] = Field(min_length=1, max_length=20, description="the group members who took part")
    observation: LongText
    concern: bool = False
    directive_id: Id | None = None
    stage: Stage | None = None


class RecordLeadershipContact(Command[ContactRecorded], ContactBody):
    """Record a leadership meeting attended, an exchange of views with the 一把手, or a talk, with what was observed."""

    unit_id: Id


class ContactObservationBody(Body):
    note: LongText
    concern: bool = False


class AddContactObservation(Command[ContactRecorded], ContactObservationBody):
    """Add a later observation to a meeting, exchange of views or talk."""

    contact_id: Id


class MeetingMatterBody(Body):
    category: MatterCategory
    title: Title
    department_id: Id
    decided_on: Day
    note: LongText
    concern: bool = False
    amount_yuan: Yuan | None = None


class ObserveMeetingMatter(Command[ContactMatterRecorded], MeetingMatterBody):
    """Register a 三重一大 matter seen at this attended meeting (a power matter, linked to the meeting)."""

    contact_id: Id


class GetLeadershipContact(Query[ContactView]):
    """One meeting attended, exchange of views or talk, with its observations."""

    contact_id: Id


# -- the three-level network ------------------------------------------------------------------------------
class NetworkActivityBody(Body):
    model_config = BY_NAME_OR_KIND

    activity_kind: NetworkActivityKind = Field(alias="kind")
    held_on: Day
    title: Title
    summary: LongText
    participant_ids: list[Id] = Field(min_length=1, max_length=200,
                                      description="roster ids of the network members who took part")
    assignment: Title | None = Field(default=None, description="以干代训/全程指导: the case or check worked on")


class RecordNetworkActivity(Command[NetworkActivityRecorded], NetworkActivityBody):
    """Record a joint meeting, training, 以干代训 or guidance of the unit's discipline network."""

    unit_id: Id


class GetNetwork(Query[NetworkView]):
    """The unit's three-level network: each position, its holders, vacancies, and how the channel reaches it."""

    unit_id: Id


class GetNetworkActivity(Query[NetworkActivityView]):
    """One joint meeting, training, 以干代训 or guidance of the network."""

    activity_id: Id
