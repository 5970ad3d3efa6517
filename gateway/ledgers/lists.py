"""The ledgers' lists and the group workbench, answered from the group workbench read model.

Every list is authorised in its query (the authoriser's clause comes first), paged by cursor and says which
history positions it reflects (`freshness`; `after=ledgers:N` waits for a write of one's own). Reads by id
stay with the service.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from authz import Permission, Principal
from gateway.deps import ReadModels, Today
from gateway.permissions import require
from gateway.reads import After, Freshness, ListPage, Paging, answer
from projections.common.query import PageRequest, sort_named
from projections.group_workbench import view
from services.common.interface import Id, Result
from services.ledgers.interface import CategoryCode, DirectiveView, ReconciliationView
from services.ledgers.interface.fields import ItemSource, ItemStatus, ListKind, ReportedStatus

router = APIRouter()
"""Included by gateway.ledgers.router under /api/ledgers."""

PROJECTION = "group_workbench"
SearchText = Query(default=None, min_length=1, max_length=100,
                   description="标题或文号包含 (title or reference number contains)")


QueueName = StrEnum("QueueName", {name: name for name in view.QUEUES})  # type: ignore[misc]
"""The workbench's queues (a closed vocabulary: another name is a 422)."""


def _sort_query(sorts: dict[str, Any], default: str) -> Any:
    return Query(default=default, description=f"排序 (sort): {', '.join(sorts)}", max_length=40)


# -- directives (总账 / 细账) -------------------------------------------------------------------------
class DirectiveRow(DirectiveView):
    """A directive as the ledger lists it: its view (stages with their dates, deadlines, evaluations, the
    corrections applied) and what the list sorts and filters by."""

    stages_done: int = Field(description="已完成的环节数 (stages recorded)")
    last_stage: str | None = Field(description="最近记录的环节 (the stage recorded last)")
    last_stage_on: date | None
    closed_on: date | None = Field(description="结果评估之日 (when the result was evaluated: completed)")
    next_due_on: date | None = Field(description="未完成环节最早的期限 (the earliest deadline of a stage not done)")
    overdue: bool = Field(description="有环节逾期 (a stage deadline passed without the stage)")
    registered_at: str
    updated_at: str


@router.get("/directives")
async def list_directives(
    read_models: ReadModels, response: Response, page: Paging, after: After,
    category: CategoryCode | None = None, unit_id: Id | None = None, status: ReportedStatus | None = None,
    overdue: bool | None = Query(default=None, description="有逾期环节 (a stage deadline passed)"),
    include_withdrawn: bool = False, q: str | None = SearchText,
    sort: str = _sort_query(view.DIRECTIVE_SORTS, "-received_on"),
    permission: Permission = require("ledgers.read_directive", listing=True),
) -> ListPage[DirectiveRow]:
    """The master ledger (总账); `category` gives a detail ledger (细账). Corrections are applied; withdrawn
    entries only with `include_withdrawn`."""
    principal = permission.principal
    filters = view.DirectiveFilters(unit_id=unit_id, category=category, status=status, overdue=overdue,
                                    include_withdrawn=include_withdrawn, text=q)
    chosen = sort_named(view.DIRECTIVE_SORTS, sort, "-received_on")
    found, freshness = await answer(read_models, response, PROJECTION, after,
                                    lambda tx: view.directives(tx, principal, filters, chosen, page))
    return ListPage(items=[DirectiveRow.model_validate({**r, "unit_id": r["unit_id"] or ""}) for r in found.rows],
                    next_cursor=found.next_cursor, freshness=freshness)


# -- items of the four lists ----------------------------------------------------------------------------
class UnitItemRow(Result):
    """An item as the unit it is addressed to sees it in a list."""

    item_id: str
    group_id: str
    unit_id: str | None
    directive_id: str | None
    list_kind: str
    title: str
    owner: str
    deadline_rule: dict[str, Any] | None
    due_on: date | None
    overdue: bool
    overdue_on: date | None
    problem_type: str | None
    source: str
    source_ref: str | None
    status: str = Field(description="`open` 待办, `in_progress` 办理中, `done` 已办结待销号, `closed` 已销号")
    progress_reports: int = Field(description="进展报告次数 (progress reports)")
    evidence_added: int = Field(description="开立后补充的佐证材料数 (evidence references attached after opening)")
    closed_on: date | None
    look_back_due_on: date | None
    look_back_due: bool
    look_backs: int
    reopen_count: int
    distribution: str
    opened_at: str
    updated_at: str


class ItemRow(UnitItemRow):
    """An item as the group, HQ and audit see it in a list."""

    follower: str | None = Field(description="督办人 (the group member who follows it)")
    root_causes: list[str]
    ecology: str | None
    similar_item_ids: list[str] = Field(description="举一反三关联事项 (similar matters linked)")


def item_row(principal: Principal, row: dict[str, Any]) -> ItemRow | UnitItemRow:
    if principal.org_kind == "unit":
        return UnitItemRow.model_validate({k: row[k] for k in UnitItemRow.model_fields})
    return ItemRow.model_validate(row)


@router.get("/items")
async def list_items(
    read_models: ReadModels, response: Response, page: Paging, after: After,
    status: ItemStatus | None = None, overdue: bool | None = None, source: ItemSource | None = None,
    list_kind: ListKind | None = None, directive_id: Id | None = None, unit_id: Id | None = None,
    follower: Id | None = Query(default=None, description="督办人 (followed by this group member)"),
    q: str | None = SearchText, sort: str = _sort_query(view.ITEM_SORTS, "due_on"),
    permission: Permission = require("ledgers.read_item", listing=True),
) -> ListPage[ItemRow | UnitItemRow]:
    """Items across directives; a unit user gets the items addressed to their unit, without the group's notes
    (and may not filter by follower)."""
    principal = permission.principal
    filters = view.ItemFilters(directive_id=directive_id, unit_id=unit_id, status=status, overdue=overdue,
                               source=source, list_kind=list_kind, follower=follower, text=q)
    chosen = sort_named(view.ITEM_SORTS, sort, "due_on")
    found, freshness = await answer(read_models, response, PROJECTION, after,
                                    lambda tx: view.items(tx, principal, filters, chosen, page))
    return ListPage(items=[item_row(principal, r) for r in found.rows], next_cursor=found.next_cursor,
                    freshness=freshness)


# -- scheduling rounds and reconciliations --------------------------------------------------------------
class RoundRow(Result):
    round_id: str
    group_id: str
    unit_id: str | None
    subject: str
    directive_ids: list[str]
    respond_by: date
    responses: dict[str, dict[str, Any]] = Field(
        description="按批示件的答复：状态、日期、答复方 `answered_by` (unit 单位 | group 驻部纪检监察组代为录入)、"
                    "`via` (entered 录入 | progress_report 进展报告) (answers per directive)")
    missing: int = Field(description="未答复的批示件数 (directives not answered)")
    overdue_on: date | None
    closed: bool
    distribution: str
    opened_at: str
    updated_at: str


@router.get("/scheduling-rounds")
async def list_rounds(
    read_models: ReadModels, response: Response, page: Paging, after: After,
    open_only: bool = Query(default=False, alias="open", description="仅未结束的 (only rounds not closed)"),
    sort: str = _sort_query(view.ROUND_SORTS, "respond_by"),
    permission: Permission = require("ledgers.read_round", listing=True),
) -> ListPage[RoundRow]:
    """Scheduling rounds (调度): the group's, or for a unit those addressed to it."""
    principal = permission.principal
    chosen = sort_named(view.ROUND_SORTS, sort, "respond_by")
    found, freshness = await answer(read_models, response, PROJECTION, after,
                                    lambda tx: view.rounds(tx, principal, open_only, chosen, page))
    return ListPage(items=[RoundRow.model_validate(r) for r in found.rows], next_cursor=found.next_cursor,
                    freshness=freshness)


class ReconciliationRow(ReconciliationView):
    open_findings: int = Field(description="未处理的发现 (findings not yet resolved)")
    recorded_at: str
    updated_at: str


@router.get("/reconciliations")
async def list_reconciliations(
    read_models: ReadModels, response: Response, page: Paging, after: After, unit_id: Id | None = None,
    open_only: bool = Query(default=False, alias="open", description="仅有未处理发现的 (only with open findings)"),
    sort: str = _sort_query(view.RECONCILIATION_SORTS, "-compared_on"),
    permission: Permission = require("ledgers.read_reconciliation", listing=True),
) -> ListPage[ReconciliationRow]:
    """Reconciliations: a group member sees their group's, HQ and audit every group's."""
    principal = permission.principal
    chosen = sort_named(view.RECONCILIATION_SORTS, sort, "-compared_on")
    found, freshness = await answer(
        read_models, response, PROJECTION, after,
        lambda tx: view.reconciliations(tx, principal, unit_id, open_only, chosen, page))
    return ListPage(items=[ReconciliationRow.model_validate(r) for r in found.rows],
                    next_cursor=found.next_cursor, freshness=freshness)


# -- the workbench ---------------------------------------------------------------------------------------
class WorkRow(BaseModel):
    kind: str = Field(description="`directive` 批示件, `item` 事项, `round` 调度")
    record_id: str
    group_id: str
    unit_id: str | None
    title: str
    due_on: date | None
    status: str


class WorkQueue(BaseModel):
    count: int = Field(description="队列中可见的记录数 (records of the queue the reader may read)")
    first: list[WorkRow] = Field(description="最先到期的若干条 (the first rows, soonest due first)")
    next_cursor: str | None = Field(description="`/workbench/{queue}` 的下一页游标 (the next page of the queue)")


class Workbench(BaseModel):
    on: date = Field(description="今天（北京时间）(today, Beijing time)")
    due_this_week: WorkQueue = Field(description="本周到期 (due within 7 days)")
    overdue: WorkQueue = Field(description="已逾期 (overdue)")
    awaiting_leader: WorkQueue = Field(description="待领导审批：待销号、待回头看 (awaiting the leader: closure, "
                                                   "look-back)")
    unanswered_outbound: WorkQueue = Field(description="已发出未答复：调度 (sent, unanswered: scheduling rounds)")
    following: WorkQueue = Field(description="我督办的 (items I follow)")
    freshness: Freshness


def _work_rows(rows: list[dict[str, Any]]) -> list[WorkRow]:
    return [WorkRow.model_validate(r) for r in rows]


@router.get("/workbench")
async def workbench(
    read_models: ReadModels, response: Response, today: Today, after: After,
    first: int = Query(default=5, ge=1, le=50, description="每个队列返回的条数 (rows per queue)"),
    permission: Permission = require("ledgers.read_item", listing=True),
) -> Workbench:
    """The group workbench's queues: counts and the first rows of each, all authorised (a unit user sees the
    items and rounds addressed to their unit). 在议 is not a queue: the ledgers record no deliberation."""
    principal = permission.principal

    def read(tx: Any) -> dict[str, WorkQueue]:
        queues = {}
        for name in view.QUEUES:
            count, found = view.queue(tx, principal, name, today, PageRequest(limit=first))
            queues[name] = WorkQueue(count=count, first=_work_rows(found.rows), next_cursor=found.next_cursor)
        return queues

    queues, freshness = await answer(read_models, response, PROJECTION, after, read)
    return Workbench(on=today, freshness=freshness, **queues)


@router.get("/workbench/{queue}")
async def workbench_queue(
    queue: QueueName, read_models: ReadModels, response: Response, today: Today, page: Paging, after: After,
    permission: Permission = require("ledgers.read_item", listing=True),
) -> ListPage[WorkRow]:
    """One queue of the workbench, paged (`due_this_week`, `overdue`, `awaiting_leader`,
    `unanswered_outbound`, `following`)."""
    principal = permission.principal
    found, freshness = await answer(read_models, response, PROJECTION, after,
                                    lambda tx: view.queue(tx, principal, queue.value, today, page)[1])
    return ListPage(items=_work_rows(found.rows), next_cursor=found.next_cursor, freshness=freshness)
