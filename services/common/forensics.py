"""Forensic replay inside a service: a record's own history and its state as of a moment, each use recorded.

The pieces every forensic tool shares live here too (the two time axes, the readable description of an event,
the field-by-field difference, rebuilding a record from a chosen set of its events), so that the command line
(`paizhu replay`, which reads the stores directly) and the service's query (through the gateway) say the same.

Two time axes: "recorded" (what did we know at T: the events recorded up to T) and "happened" (what was true at
T as the actors state it: the events whose stated date is up to T, whenever they were recorded).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any

from eventsourcing.application import AggregateNotFoundError
from pydantic import BaseModel, Field

from events.plain import plain
from services.common.aggregate import event_fields
from services.common.context import current
from services.common.errors import NotFoundError
from services.common.interface import Body, Id, Query


class Axis(StrEnum):
    recorded = "recorded"
    happened = "happened"


HAPPENED_FIELDS = ("done_on", "happened_on", "occurred_on", "decided_on", "held_on", "completed_on", "closed_on",
                   "replied_on", "received_on", "issued_on")
"""Fields in which the unit or the actor states when something happened (the "happened" time axis)."""

RECORDS_ZH = {
    "Directive": "批示件", "LedgerItem": "台账事项", "Clue": "问题线索", "InspectionRound": "巡视轮次",
    "Recommendation": "移交建议", "SupervisionActivity": "监督活动", "OutboundItem": "发函事项",
    "InboundSubmission": "来文", "QuarterlyReview": "季度检视", "Organisation": "机构", "MasterLedger": "总账",
    "ReferenceReservation": "文号占用",
}
VERBS_ZH = {
    "Registered": "登记", "Amended": "更正", "Withdrawn": "撤销", "StageRecorded": "记录阶段",
    "StageDeadlineSet": "设定阶段期限", "StageOverdue": "阶段逾期", "Evaluated": "评价", "Opened": "立项",
    "Closed": "销号", "Reopened": "重新打开", "Overdue": "逾期", "LookBackScheduled": "安排回头看",
    "LookBackDue": "回头看到期", "LookBackCompleted": "完成回头看", "LookBackConfirmed": "确认回头看",
    "Recorded": "记录", "Submitted": "提交", "Issued": "发出", "Replied": "答复", "Acknowledged": "签收",
    "Accepted": "受理", "Concluded": "办结", "Completed": "完成", "DispositionProposed": "提出处置意见",
    "DispositionDecided": "决定处置方式", "ContentRead": "查阅内容", "ClueReferred": "移交线索",
    "ClueHandedOver": "交接线索", "FindingRecorded": "记录发现问题", "Planned": "计划", "Started": "开始",
    "Held": "召开", "Published": "发布", "DeadlineSet": "设定期限", "DeadlineOverdue": "期限逾期",
    "EvidenceAttached": "附加证据", "SimilarLinked": "关联同类问题", "Delivered": "送达", "EntryAdded": "登记条目",
    "RootCauseJudged": "研判问题根源", "ProgressUpdated": "更新进展", "FollowerAssigned": "指定跟踪人",
}


def happened_at(fields: dict[str, Any]) -> str:
    """When it happened as stated (the first stated date), else when it was recorded."""
    for name in HAPPENED_FIELDS:
        value = fields.get(name)
        if isinstance(value, str) and value:
            return value
    return str(fields.get("timestamp", ""))


def describe(event_type: str, fields: dict[str, Any], detail: bool = True) -> dict[str, str]:
    """A readable line in Chinese and English: who did what to which kind of record (with `detail`, the
    stage, reason or summary it states; never for a clue, whose words are its content)."""
    record, _, verb = event_type.rpartition(".")
    actor = fields.get("actor") or {}
    who = actor.get("user", "?")
    en = f"{record or 'record'} {re.sub(r'(?<!^)(?=[A-Z])', ' ', verb).lower()} by {who}"
    zh = f"{who} {VERBS_ZH.get(verb, verb + ' ')}{RECORDS_ZH.get(record, record)}"
    for key in ("stage", "reason", "summary") if detail else ():
        if isinstance(fields.get(key), str) and fields[key]:
            en += f" ({key}: {fields[key]})"
            zh += f"（{fields[key]}）"
            break
    return {"zh": zh, "en": en}


def after_cut(cut: str, when: str) -> bool:
    """True when `when` (ISO) is after the cut. A date cut covers its whole day."""
    if len(cut) == 10:
        return when[:10] > cut
    return when > cut if len(when) > 10 else when > cut[:10]


def admitted(fields: dict[str, Any], version: int, *, up_to_version: int | None = None, at: str | None = None,
             axis: Axis = Axis.recorded) -> bool:
    """Does the event count at this moment (a stream version, or a time on one axis)?"""
    if up_to_version is not None and version > up_to_version:
        return False
    if at is not None:
        when = happened_at(fields) if axis is Axis.happened else str(fields.get("timestamp", ""))
        if after_cut(at, when):
            return False
    return True


def diff(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    """Field by field: every value that differs between two states (dotted paths; lists as a whole)."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes = []
        for key in sorted(set(before) | set(after), key=str):
            changes.extend(diff(before.get(key), after.get(key), f"{path}.{key}" if path else str(key)))
        return changes
    if before == after:
        return []
    return [{"field": path or "(record)", "before": before, "after": after}]


def rebuild(app: Any, record_id: uuid.UUID, versions: list[int]) -> Any:
    """The record rebuilt from exactly these versions of its stream (None when there are none).

    A prefix of the stream is what the repository rebuilds; with gaps (the "happened" axis leaves out what
    happened later but was recorded earlier) each kept event follows the previous kept one.
    """
    if not versions:
        return None
    if versions == list(range(1, len(versions) + 1)):
        return app.repository.get(record_id, version=versions[-1])
    kept = set(versions)
    aggregate = None
    for stored in app.repository.event_store.get(record_id):
        if stored.originator_version not in kept:
            continue
        if aggregate is not None:
            aggregate.version = stored.originator_version - 1
        aggregate = stored.mutate(aggregate)
    return aggregate


def show(aggregate: Any, views: dict[str, Callable[[Any], Any]]) -> dict[str, Any] | None:
    """The record as its service shows it (its Get… view), else its plain state."""
    if aggregate is None:
        return None
    view = views.get(type(aggregate).__name__)
    if view is None:
        state = {k: plain(v) for k, v in vars(aggregate).items() if not k.startswith("_")}
        return state | {"id": str(aggregate.id), "version": aggregate.version}
    shown = view(aggregate)
    return plain(shown.model_dump(mode="json") if hasattr(shown, "model_dump") else shown)


# -- the service's query ---------------------------------------------------------------------------------------
IsoMoment = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+([+-]\d{2}:\d{2}|Z)?)?$",
                                 description="ISO date (the whole day) or date and time")]


class ReplayBody(Body):
    reason: str = Field(min_length=1, max_length=500, pattern=r"\S",
                        description="为何回放，必填，将被记录 (why: required, and recorded with the use)")
    as_of_version: int | None = Field(default=None, ge=1, description="回放到该版本 (up to this version)")
    as_of: IsoMoment | None = Field(default=None, description="回放到该时点 (up to this moment)")
    axis: Axis = Field(default=Axis.recorded, description="recorded: 记录时间 (what we knew); happened: "
                                                          "发生时间 (what was true, as stated)")
    compare_version: int | None = Field(default=None, ge=1, description="与该版本比较 (compare with this version)")
    compare_as_of: IsoMoment | None = Field(default=None, description="与该时点比较 (compare with this moment)")


class HistoryEntry(BaseModel):
    version: int
    type: str
    actor: dict[str, str]
    recorded_at: str
    happened_at: str
    correlation_id: str
    causation_id: str
    prev_hash: str
    hash: str
    description: dict[str, str]
    counted: bool = Field(description="counts in the state as of the moment")


class Change(BaseModel):
    field: str
    before: Any
    after: Any


class ReplayResult(BaseModel):
    record_id: str
    kind: str
    service: str
    axis: Axis
    state: dict[str, Any] | None = Field(description="the record as of the moment (null: it did not exist yet)")
    history: list[HistoryEntry]
    compared_state: dict[str, Any] | None = None
    diff: list[Change] | None = None
    uses: int = Field(description="how many forensic uses of this service's records are recorded, this one included")


class ForensicReplayQuery(Query[ReplayResult], ReplayBody):
    """Replay one record: its own history and its state as of a moment (each use is recorded, with its reason).

    Each service declares its own `ForensicReplay(ForensicReplayQuery)` in its interface."""

    record_id: Id


def replay(app: Any, q: ForensicReplayQuery, views: dict[str, Callable[[Any], Any]],
           detail: bool = True) -> ReplayResult:
    """The handler every service's ForensicReplay query runs. Whoever may not replay the record gets the 404 a
    missing record gets, and the refusal is recorded like an allowed use."""
    from authz.rules_forensics import can_replay
    from services.common.forensic_log import record_forensic_use

    context = current()
    principal = context.principal
    actor = principal.actor if principal is not None else dict(context.actor)
    try:
        record_id = uuid.UUID(q.record_id)
        aggregate = app.repository.get(record_id)
    except (AggregateNotFoundError, ValueError):
        record_forensic_use(app, actor, "replay", q.record_id, "", q.reason, "not_found")
        raise NotFoundError("记录不存在 (not found)") from None
    kind = type(aggregate).__name__
    scope = aggregate.access_scope()
    allowed = principal is None or can_replay(principal, scope)
    moment = {"as_of_version": q.as_of_version, "as_of": q.as_of, "axis": q.axis.value,
              "compare_version": q.compare_version, "compare_as_of": q.compare_as_of}
    uses = record_forensic_use(app, actor, "replay", q.record_id, kind, q.reason,
                               "allowed" if allowed else "refused", moment)
    if not allowed:
        raise NotFoundError("记录不存在 (not found)")
    events = [(e.originator_version, plain(event_fields(e))) for e in app.repository.event_store.get(record_id)]

    def chosen(version: int | None, at: str | None) -> list[int]:
        return [v for v, fields in events if admitted(fields, v, up_to_version=version, at=at, axis=q.axis)]

    counted = chosen(q.as_of_version, q.as_of)
    state = show(rebuild(app, record_id, counted), views)
    history = [HistoryEntry(
        version=v, type=str(fields["type"]), actor=dict(fields.get("actor") or {}),
        recorded_at=str(fields.get("timestamp", "")), happened_at=happened_at(fields),
        correlation_id=str(fields.get("correlation_id", "")), causation_id=str(fields.get("causation_id", "")),
        prev_hash=str(fields.get("prev_hash", "")), hash=str(fields.get("hash", "")),
        description=describe(str(fields["type"]), fields, detail), counted=v in set(counted),
    ) for v, fields in events]
    result = ReplayResult(record_id=str(record_id), kind=kind, service=app.name, axis=q.axis, state=state,
                          history=history, uses=uses)
    if q.compare_version is not None or q.compare_as_of is not None:
        other = show(rebuild(app, record_id, chosen(q.compare_version, q.compare_as_of)), views)
        result.compared_state = other
        result.diff = [Change(**change) for change in diff(other, state)]
    return result
