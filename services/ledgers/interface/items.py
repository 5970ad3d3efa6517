"""Items of the four lists (四单合一): open, progress, evidence, deadline, judgement, closure, look-back."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field

from services.common.interface import Body, Command, Id, Name, Note, Query, Result, Title
from services.ledgers.interface.fields import (
    SERVICE,
    ClosureRefs,
    DeadlineIn,
    Deviation,
    Ecology,
    Gap,
    ListKind,
    LookBackCheck,
    LookBackFinding,
    Obstacle,
    ProblemType,
    ProgressStatus,
    Refs,
    RootCause,
    Text,
)
from services.ledgers.vocab import ITEM_STATUSES, LOOK_BACK_CHECKS, LOOK_BACK_FINDINGS


class ItemRecorded(Result):
    item_id: str
    position: int

class ItemDeadlineSet(ItemRecorded):
    due_on: date

class ItemClosed(ItemRecorded):
    look_back_due_on: date = Field(description="回头看到期日 (when the look-back is due)")

class LookBackRecorded(ItemRecorded):
    status: str = Field(description="the item's status afterwards: `closed`, or `open` when reopened")

class HistoryEntry(Result):
    """One closure (销号), look-back confirmation or reopening of an item, with who did it."""

    event: str = Field(description="`closed`, `look_back_confirmed` or `reopened`")
    on: date
    by: str | None = Field(description="the user who approved or recorded it (null only for records before it was kept)")
    text: str = Field(description="销号依据 or 回头看情况 (the closure summary or the look-back findings)")
    evidence_refs: list[str]
    checks: dict[str, dict[str, str]] | None = Field(
        description="回头看的三项检查 (the look-back's three findings), null for a closure")


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
    owner_person_id: str | None = Field(description="责任人的人员编号 (the owner's roster person id, when known)")
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
    history: list[HistoryEntry] = Field(description="every closure, look-back and reopening, oldest first")
    distribution: str
    version: int

class ItemView(UnitItemView):
    """An item as the group, HQ and audit see it."""

    follower: str | None = Field(description="督办人的账号 (the user id of the group member who follows it)")
    root_causes: list[str]
    ecology: str | None
    similar_item_ids: list[str]
    deviations: list[str] = Field(description="偏向、变通、打折扣 (problems only)")
    gaps: list[str] = Field(description="落差、温差、偏差 (problems only)")
    obstacles: list[str] = Field(description="堵点、淤点、难点 (problems only)")

class ItemBody(Body):
    list_kind: ListKind
    title: Title
    owner: Name = Field(description="责任人或责任部门 (who is responsible: the name shown)")
    owner_person_id: Id | None = Field(default=None, description=(
        "责任人的人员编号：须为该单位名册中的人员 (the owner's person id on the roster of the item's unit, "
        "where the owner is a person; checked by the gateway)"))
    follower: Id = Field(description="督办人：本组成员的账号 (the user id of the group member who follows it: "
                                     "专人督办, required; checked by the gateway)")
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
    follower: Id = Field(description="督办人：本组成员的账号 (the user id of a member of the item's group)")

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

class QualificationBody(Body):
    deviations: Annotated[list[Deviation], Field(max_length=3)] = Field(default_factory=list)
    gaps: Annotated[list[Gap], Field(max_length=3)] = Field(default_factory=list)
    obstacles: Annotated[list[Obstacle], Field(max_length=3)] = Field(default_factory=list)
    note: Text = ""

class QualifyProblem(Command[ItemRecorded], QualificationBody):
    """Record a problem's attributes: 偏向、变通、打折扣; 落差、温差、偏差; 堵点、淤点、难点 (alongside its type)."""

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
    evidence_refs: ClosureRefs = Field(
        default_factory=list,
        description="销号证据：已上传文件或单位报送，不是自由文本 (a file or a unit submission, not free text); "
                    "may be empty when such evidence is already attached")

class CloseItem(Command[ItemClosed], ClosureBody):
    """Close an item (销号) with evidence; schedules its look-back (回头看) by the category's interval."""

    service = SERVICE

    item_id: Id

class LookBackCheckIn(Body):
    check: LookBackCheck
    finding: LookBackFinding
    note: Text = ""

class LookBackBody(Body):
    findings: Text
    checks: Annotated[list[LookBackCheckIn], Field(min_length=1, max_length=3, description=(
        "each of " + "; ".join(f"`{c}` {label}" for c, label in LOOK_BACK_CHECKS.items()) + " once, finding "
        + "; ".join(f"`{c}` {label}" for c, label in LOOK_BACK_FINDINGS.items())))]
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
