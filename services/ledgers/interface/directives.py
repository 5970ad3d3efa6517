"""Directives (总账/细账): registration, corrections, stages, stage deadlines, evaluations, categories."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer, model_validator

from services.common.interface import Body, Command, Day, Fields, Id, Name, Note, Query, Result, Title
from services.ledgers.interface.fields import (
    SERVICE,
    CategoryCode,
    DeadlineBasis,
    DeadlineIn,
    Dimension,
    Reference,
    Score,
    ShortText,
    StageName,
    Text,
)
from services.ledgers.interface.items import ItemView
from services.ledgers.vocab import REPORTED_STATUS_LABELS


class DirectiveRecorded(Result):
    directive_id: str
    position: int

class StageDeadlineSet(DirectiveRecorded):
    due_on: date

class CategoryRecorded(Result):
    group_id: str
    code: str
    position: int

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
    default_follower: str | None = Field(
        default=None, description="默认督办人：政策自动开立的事项由其督办 (follows the items policies open)")

class DefaultFollowerRecorded(Result):
    group_id: str
    default_follower: str
    position: int

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
    """The registration fields to correct: only those given (`category: null` clears the category)."""

    reference_number: Reference | None = None
    issuer: Name | None = None
    title: Title | None = None
    issued_on: Day | None = None
    received_on: Day | None = None
    lead_department: Name | None = None
    category: CategoryCode | None = None
    tied_to_duties: bool | None = None

    @model_serializer(mode="wrap")
    def _only_the_given(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Dump only the fields given, so the changes mean the same after crossing HTTP as JSON."""
        data: dict[str, Any] = handler(self)
        return {name: value for name, value in data.items() if name in self.model_fields_set}

    @model_validator(mode="after")
    def _only_the_category_may_be_cleared(self) -> DirectiveChanges:
        cleared = sorted(name for name in self.model_fields_set if getattr(self, name) is None and name != "category")
        if cleared:
            raise ValueError(f"只有细账类别可以清空 (only the category may be cleared): {cleared}")
        return self

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

class CategoryChoiceBody(Body):
    category: CategoryCode | None = Field(description="细账类别；null 移出细账 (the category, null to take it out)")
    reason: Text = ""

class CategoriseDirective(Command[DirectiveRecorded], CategoryChoiceBody):
    """File a directive in a detail ledger (细账) or move it: its own fact, not a correction (amend)."""

    service = SERVICE

    directive_id: Id

class DefaultFollowerBody(Body):
    follower: Id = Field(description="督办人 (a group member)")

class SetDefaultFollower(Command[DefaultFollowerRecorded], DefaultFollowerBody):
    """Name the group member who follows (专人督办) the items policies open on their own
    (inspection rectification items, supervision recommendations)."""

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
