"""The inspections service's interface: its commands, queries and results (see services.common.interface).

Rounds (before / during / after) and the group's supervision activities; the field types (vocabularies,
bounded values, the checks that keep the aggregate's error codes) are in `fields`, the views in `views`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field

from services.common.case_history import ForensicHistoryQuery
from services.common.forensics import ForensicReplayQuery
from services.common.interface import Body, Command, Day, Id, Name, Note, Query, Title
from services.inspections.fields import (
    ActivityKind,
    ClueCategory,
    Direction,
    Members,
    Method,
    OptionalText,
    Position,
    ProblemType,
    ProgressSource,
    Sha256,
    Side,
    Stage,
    listed,
    stated,
)
from services.inspections.results import (
    ActivityFindingRecorded,
    ActivityItemRecorded,
    ActivityRecorded,
    ActivityReferralRecorded,
    ClueHandedOver,
    DeadlinesChecked,
    FindingRecorded,
    ItemRecorded,
    LookBackRecorded,
    PackageFrozen,
    ReferralRecorded,
    RequestRecorded,
    RoundRecorded,
)
from services.inspections.views import ActivityView, FrozenPackage, RoundView

BY_NAME_OR_KIND = ConfigDict(validate_by_name=True, validate_by_alias=True)
"""An activity's kind is `kind` in a request; in the model it is `activity_kind`, as `Operation.kind`
already says whether an operation is a command or a query."""


# -- rounds ------------------------------------------------------------------------------------
class RecordRound(Command[RoundRecorded]):
    """Record an inspection round of a unit (HQ or the group): its team, members and the three phases."""

    group_id: Id
    unit_id: Id
    title: Annotated[Title, stated("巡视轮次名称", "title", "title_required"), Field(description="巡视轮次")]
    team_id: Annotated[Id, stated("巡视组", "team", "team_required"), Field(description="巡视组")]
    member_ids: Members
    before_start: Day
    before_end: Day
    during_start: Day
    during_end: Day
    after_start: Day
    after_end: Day


class OpenRound(Command[RoundRecorded]):
    """Open the round: from now on its team's members may see and work on it."""

    round_id: Id


class CloseBody(Body):
    summary: Annotated[Note, stated("结束说明", "closing summary", "summary_required")]


class CloseRound(Command[RoundRecorded], CloseBody):
    """Close the round: its team's members lose access; rectification follow-up goes on with the group."""

    round_id: Id


class MembersBody(Body):
    member_ids: Members


class ChangeRoundMembers(Command[RoundRecorded], MembersBody):
    """Replace the list of the team's members who may access the round."""

    round_id: Id


class FreezeBriefingPackage(Command[PackageFrozen]):
    """Record that the briefing package built from these history positions, with this hash, went to the team."""

    round_id: Id
    positions: Annotated[dict[Id, Position], Field(max_length=10)]
    content_hash: Sha256


class ClueHandOverBody(Body):
    clue_id: Annotated[Id, stated("线索编号", "clue id", "clue_required")]
    reason: Annotated[Note, stated("移交理由", "reason", "reason_required"), Field(description="移交理由")]


class HandOverClue(Command[ClueHandedOver], ClueHandOverBody):
    """The group leader hands one clue to the team, with a recorded reason (the clue's content is not copied)."""

    round_id: Id


class ClueContent(Body):
    """The content of a referred clue: sealed for the clues service before anything is stored."""

    subject_name: Annotated[Name, stated("被反映人", "subject name", "subject_required"),
                            Field(description="被反映人")]
    subject_unit: Annotated[Name, stated("被反映人单位", "subject unit", "subject_unit_required")]
    subject_post: OptionalText = ""
    key_person: bool = False
    categories: Annotated[list[ClueCategory], Field(max_length=10, description="问题类别（六项纪律等）代码"),
                          listed("问题类别", "allegation categories", "categories_required")]
    summary: Annotated[Note, stated("线索摘要", "summary", "summary_required")]


class ReferClue(Command[ReferralRecorded], ClueContent):
    """The team refers a clue to the group: only the content sealed for the clues service is kept and sent."""

    round_id: Id


class InformationRequestBody(Body):
    question: Annotated[Note, stated("请求内容", "question", "question_required")]
    deadline: Day


class RequestInformation(Command[RequestRecorded], InformationRequestBody):
    """A request for information between team and group, with a deadline."""

    round_id: Id
    direction: Direction


class AnswerBody(Body):
    answer: Annotated[Note, stated("答复内容", "answer", "answer_required")]


class AnsweringSide(Body):
    side: Side | None = Field(default=None, description="答复方：请求由其所指向的一方答复 (who answers)")


class AnswerInformation(Command[RequestRecorded], AnsweringSide, AnswerBody):
    """Answer a request for information (late answers are accepted; the overdue event stays)."""

    round_id: Id
    request_id: Id


class FindingBody(Body):
    title: Annotated[Title, stated("问题标题", "title", "title_required")]
    description: Annotated[Note, stated("问题描述", "description", "description_required")]
    problem_type: ProblemType
    responsible_department: Annotated[Name, stated("责任部门", "responsible department", "department_required")]
    deadline: Day


class RecordFinding(Command[FindingRecorded], FindingBody):
    """The team records a finding the unit must rectify by the deadline."""

    round_id: Id


class HandOverFinding(Command[ItemRecorded]):
    """Hand a finding over as a rectification item (the ledgers service puts it on the problem list)."""

    round_id: Id
    finding_id: Id


class ProgressBody(Body):
    summary: Annotated[Note, stated("进展说明", "progress summary", "summary_required")]
    completed: bool = False


class ProgressSourceFields(Body):
    source: ProgressSource = "group"
    source_ref: Id | None = None


class RecordRectificationProgress(Command[ItemRecorded], ProgressSourceFields, ProgressBody):
    """Record progress of a rectification item on its round, so the team sees how its findings went."""

    round_id: Id
    item_id: Id


class LookBackBody(Body):
    due_on: Day
    scope: Annotated[Note, stated("回头看范围", "look-back scope", "scope_required")]


class ScheduleLookBack(Command[LookBackRecorded], LookBackBody):
    """Schedule a look-back (回头看) of the round's rectification."""

    round_id: Id


class LookBackConclusion(Body):
    conclusion: Annotated[Note, stated("回头看结论", "conclusion", "conclusion_required")]
    reopened_item_ids: Annotated[list[Id], Field(max_length=200)] = []


class CompleteLookBack(Command[LookBackRecorded], LookBackConclusion):
    """Record the look-back's conclusion; items whose rectification was not real are reopened."""

    round_id: Id
    look_back_id: Id


class CheckDeadlines(Command[DeadlinesChecked]):
    """Record `...Overdue` events for requests and rectification items whose deadline passed."""



# -- activities --------------------------------------------------------------------------------
class PlanActivity(Command[ActivityRecorded]):
    """Plan a supervision activity: its kind, plan, participants, methods and dates."""

    model_config = BY_NAME_OR_KIND

    group_id: Id
    unit_id: Id
    activity_kind: ActivityKind = Field(alias="kind")
    title: Annotated[Title, stated("监督事项", "title", "title_required")]
    plan: Annotated[Note, stated("监督方案", "plan", "plan_required")]
    participant_ids: Annotated[list[Id], Field(max_length=50),
                               listed("参加人员", "participants", "participants_required")]
    methods: Annotated[list[Method], Field(max_length=10)]
    start_on: Day
    end_on: Day
    leader_id: Id | None = None
    hq_offices: Annotated[list[Name], Field(max_length=10)] = []
    topic: Title | None = None
    directive_id: Annotated[Id | None, Field(description="所监督的指示批示 (the directive it supervised)")] = None
    stage: Annotated[Stage | None, Field(description="所监督的环节，须随指示批示填写 (the stage; needs the directive)")] = None


class ActivityStart(Body):
    started_on: Day


class StartActivity(Command[ActivityRecorded], ActivityStart):
    """Start carrying out a planned activity."""

    activity_id: Id


class WorkBody(Body):
    method: Method
    held_on: Day
    summary: Annotated[Note, stated("工作记录", "summary", "summary_required")]
    participant_ids: Annotated[list[Id], Field(max_length=50)] | None = None


class RecordActivityWork(Command[ActivityRecorded], WorkBody):
    """Record one piece of work done by one of the planned methods (the whole-process record)."""

    activity_id: Id


class ActivityFindingBody(Body):
    summary: Annotated[Note, stated("发现问题", "finding", "finding_required")]


class RecordActivityFinding(Command[ActivityFindingRecorded], ActivityFindingBody):
    """Record a problem the activity found."""

    activity_id: Id


class ActivityHandOverBody(Body):
    title: Annotated[Title, stated("问题标题", "title", "title_required")]
    problem_type: ProblemType
    responsible_department: Annotated[Name, stated("责任部门", "responsible department", "department_required")]
    deadline: Day
    description: Note | None = None


class HandOverActivityFinding(Command[ActivityItemRecorded], ActivityHandOverBody):
    """Turn a finding into a rectification item (problem list of the ledgers service)."""

    activity_id: Id
    finding_id: Id


class ReferActivityFinding(Command[ActivityReferralRecorded], ClueContent):
    """Turn a finding into a clue for the clues service: its content is sealed, never kept in plaintext."""

    activity_id: Id
    finding_id: Id


class ActivityConclusion(Body):
    conclusion: Annotated[Note, stated("监督结论", "conclusion", "conclusion_required")]
    completed_on: Day


class CompleteActivity(Command[ActivityRecorded], ActivityConclusion):
    """Complete the activity with its conclusion."""

    activity_id: Id


# -- queries -----------------------------------------------------------------------------------
class GetRound(Query[RoundView]):
    """One round with its members and open status, and all its records (referrals without content)."""

    round_id: Id



class GetBriefingPackage(Query[FrozenPackage]):
    """What was frozen of one briefing package: its positions and hash (the gateway rebuilds and verifies it)."""

    round_id: Id
    package_id: Id



class GetActivity(Query[ActivityView]):
    """One supervision activity with its plan, record and findings (referrals without content)."""

    activity_id: Id


class ForensicReplay(ForensicReplayQuery):
    """回放记录：历史及某一时点的状态，每次使用均被记录 (replay an inspections record: its history and its state
    at a moment; every use is recorded)."""


class ForensicHistory(ForensicHistoryQuery):
    """案卷历史中本服务的事件，调用者无权查看的不列出 (the events of a case in this service's store, those the
    caller may not read left out; with the record's id the use is recorded)."""
