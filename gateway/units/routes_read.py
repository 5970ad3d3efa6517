"""The unit portal's lists, from the `unit_portal` read model: the to-do list, submissions, notified directives.

Authorised in the query (`authz.filters.read_filter`): a unit's users read their unit's rows, the
supervising group its units', HQ and audit every unit's; an inspection team none. A filter naming a unit
one may not read gives an empty page, exactly like a unit with nothing in it.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from fastapi import Query, Response
from pydantic import BaseModel, Field

from authz import Permission
from authz.filters import read_filter
from gateway.deps import ReadModels
from gateway.permissions import require
from gateway.reads import After, ListPage, Paging, answer
from gateway.units.common import router
from projections.common.query import Page, sort_named
from projections.unit_portal import view
from services.common.interface import Id
from services.units.interface import InboundKind

PROJECTION = "unit_portal"


class TodoKind(StrEnum):
    recommendation = "recommendation"
    rectification = "rectification"
    scheduling_round = "scheduling_round"
    task = "task"
    problem = "problem"
    feedback = "feedback"
    document_request = "document_request"
    scheduling_request = "scheduling_request"
    directive_relay = "directive_relay"
    integrity_opinion_request = "integrity_opinion_request"


class TodoStatus(StrEnum):
    open = "open"
    overdue = "overdue"
    answered = "answered"
    closed = "closed"


class TodoState(StrEnum):
    pending = "pending"
    """open or overdue: what the unit still has to answer"""
    all = "all"
    open = "open"
    overdue = "overdue"
    answered = "answered"
    closed = "closed"


class TodoSort(StrEnum):
    due_on = "due_on"
    newest = "-opened_on"


class SubmissionStatus(StrEnum):
    received = "received"
    reviewed = "reviewed"


class SubmissionSort(StrEnum):
    newest = "-received_at"
    oldest = "received_at"


class NotificationSort(StrEnum):
    newest = "-notified_at"
    received_on = "received_on"


class TodoRow(BaseModel):
    unit_id: str
    group_id: str
    todo_key: str = Field(description="去重键：同一事项的各来源合为一行 (the deduplication key: every record of one "
                                      "demand on the unit is one row), e.g. `recommendation:<id>`")
    kind: TodoKind
    title: str
    reference_number: str | None
    due_on: date | None = Field(description="最早的期限 (the earliest deadline of its records)")
    status: TodoStatus
    opened_on: date
    source_count: int = Field(description="合并的记录数 (how many records were merged into this row)")


class PortalSubmission(BaseModel):
    submission_id: str
    group_id: str
    unit_id: str
    kind: InboundKind
    title: str
    received_at: datetime
    status: SubmissionStatus
    reviewed_on: date | None
    answers_item_id: str | None


class NotifiedDirective(BaseModel):
    notification_id: str
    group_id: str
    unit_id: str
    reference_number: str
    issuer: str
    title: str
    issued_on: date
    received_on: date
    lead_department: str
    notified_at: datetime
    directive_id: str | None = Field(description="已登记入总台账的部署 (the master-ledger entry it was filed under)")
    opened_loop: bool | None = Field(description="是否由此通报新建台账 (whether this notification opened the entry)")


def _rows(model: type[BaseModel], page: Page, extra: dict[str, Any] | None = None) -> list[Any]:
    return [model.model_validate(dict(row, **(extra or {}))) for row in page.rows]


UnitFilter = Query(default=None, description="只看一个单位 (one unit only)")


@router.get("/portal/todo")
async def portal_todo(
    read_models: ReadModels, response: Response, page: Paging, after: After,
    unit_id: Id | None = UnitFilter, state: TodoState = TodoState.pending, kind: TodoKind | None = None,
    sort: TodoSort = TodoSort.due_on,
    permission: Permission = require("units.read", listing=True),
) -> ListPage[TodoRow]:
    """单位待办 (the unit's to-do list): tasks, deadlines, feedback and recommendations awaiting its answer and
    scheduling rounds to answer, each demand once, earliest deadline first."""
    readable = read_filter(permission.principal, view.TODO_COLUMNS_OF)
    chosen = sort_named(view.TODO_SORTS, sort.value, TodoSort.due_on.value)
    statuses = {TodoState.pending: view.PENDING, TodoState.all: (*view.PENDING, "answered", "closed")}.get(
        state, (state.value,))

    def query(tx: Any) -> Page:
        return view.todo_page(tx, readable, page, chosen, unit_id=unit_id, statuses=tuple(statuses),
                              kind=kind.value if kind else None)

    found, freshness = await answer(read_models, response, PROJECTION, after, query)
    return ListPage[TodoRow](items=_rows(TodoRow, found), next_cursor=found.next_cursor, freshness=freshness)


@router.get("/portal/submissions")
async def portal_submissions(
    read_models: ReadModels, response: Response, page: Paging, after: After,
    unit_id: Id | None = UnitFilter, kind: InboundKind | None = None, status: SubmissionStatus | None = None,
    sort: SubmissionSort = SubmissionSort.newest,
    permission: Permission = require("units.read", listing=True),
) -> ListPage[PortalSubmission]:
    """单位报送及其状态 (the unit's submissions and their status: received, reviewed), newest first."""
    readable = read_filter(permission.principal, view.SUBMISSION_COLUMNS_OF)
    chosen = sort_named(view.SUBMISSION_SORTS, sort.value, SubmissionSort.newest.value)

    def query(tx: Any) -> Page:
        return view.submissions_page(tx, readable, page, chosen, unit_id=unit_id, kind=kind,
                                     status=status.value if status else None)

    found, freshness = await answer(read_models, response, PROJECTION, after, query)
    return ListPage[PortalSubmission](items=_rows(PortalSubmission, found), next_cursor=found.next_cursor,
                                      freshness=freshness)


@router.get("/portal/notified-directives")
async def portal_notified_directives(
    read_models: ReadModels, response: Response, page: Paging, after: After,
    unit_id: Id | None = UnitFilter, sort: NotificationSort = NotificationSort.newest,
    permission: Permission = require("units.read", listing=True),
) -> ListPage[NotifiedDirective]:
    """单位通报的重要指示批示 (the directives the unit notified) and the ledger entry each was filed under."""
    readable = read_filter(permission.principal, view.NOTIFICATION_COLUMNS_OF)
    chosen = sort_named(view.NOTIFICATION_SORTS, sort.value, NotificationSort.newest.value)

    def query(tx: Any) -> Page:
        return view.notifications_page(tx, readable, page, chosen, unit_id=unit_id)

    found, freshness = await answer(read_models, response, PROJECTION, after, query)
    return ListPage[NotifiedDirective](items=_rows(NotifiedDirective, found), next_cursor=found.next_cursor,
                                       freshness=freshness)
