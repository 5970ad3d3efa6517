"""Queries of the group workbench read model: the ledgers' lists and the workbench's queues.

Every query starts with the authoriser's clause (`authz.filters.read_filter`), then the user's filters; lists
are paged by key (`projections.common.query.fetch_page`). Counts are taken under the same clause, so they
never include a row the reader may not read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from authz import Principal
from authz.filters import NOTHING, Clause, read_filter
from projections.common.db import Tx
from projections.common.query import Page, PageRequest, Sort, fetch_page, where
from projections.group_workbench.projection import (
    ACCOUNTABILITY_COLUMNS,
    BOOL_COLUMNS,
    DIRECTIVE_COLUMNS,
    IMPORT_COLUMNS,
    ITEM_COLUMNS,
    JSON_COLUMNS,
    RECONCILIATION_COLUMNS,
    REVIEW_COLUMNS,
    ROUND_COLUMNS,
)

FAR_FUTURE = "9999-12-31"

DIRECTIVE_SORTS = {
    "received_on": Sort("received_on", "received_on", "directive_id"),
    "-received_on": Sort("-received_on", "received_on", "directive_id", descending=True),
    "reference_number": Sort("reference_number", "reference_number", "directive_id"),
    "next_due_on": Sort("next_due_on", f"COALESCE(next_due_on, '{FAR_FUTURE}')", "directive_id"),
    "-updated_at": Sort("-updated_at", "updated_at", "directive_id", descending=True),
}
ITEM_SORTS = {
    "due_on": Sort("due_on", f"COALESCE(due_on, '{FAR_FUTURE}')", "item_id"),
    "-opened_at": Sort("-opened_at", "opened_at", "item_id", descending=True),
    "-updated_at": Sort("-updated_at", "updated_at", "item_id", descending=True),
}
ROUND_SORTS = {
    "respond_by": Sort("respond_by", "respond_by", "round_id"),
    "-opened_at": Sort("-opened_at", "opened_at", "round_id", descending=True),
}
RECONCILIATION_SORTS = {
    "-compared_on": Sort("-compared_on", "compared_on", "reconciliation_id", descending=True),
    "compared_on": Sort("compared_on", "compared_on", "reconciliation_id"),
}
IMPORT_SORTS = {
    "recorded_at": Sort("recorded_at", "recorded_at", "import_id"),
    "-recorded_at": Sort("-recorded_at", "recorded_at", "import_id", descending=True),
}
REVIEW_SORTS = {
    "quarter": Sort("quarter", "group_id || '/' || quarter", "review_id"),
    "-quarter": Sort("-quarter", "quarter", "review_id", descending=True),
}
ACCOUNTABILITY_SORTS = {
    "-proposed_on": Sort("-proposed_on", "proposed_on", "accountability_id", descending=True),
    "proposed_on": Sort("proposed_on", "proposed_on", "accountability_id"),
}
QUEUE_SORT = Sort("due_on", f"COALESCE(due_on, '{FAR_FUTURE}')", "record_id")

QUEUES = ("due_this_week", "overdue", "awaiting_leader", "unanswered_outbound", "following")
"""The workbench's queues. 在议 (in deliberation) is not among them: the ledgers record no deliberation."""

WORK_COLUMNS = ("kind", "record_id", "group_id", "unit_id", "distribution", "title", "due_on", "status")


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    for column, value in row.items():
        if column in JSON_COLUMNS and isinstance(value, str):
            row[column] = json.loads(value)
        elif column in BOOL_COLUMNS and value is not None:
            row[column] = bool(value)
    return row


def _page(page: Page) -> Page:
    return Page([_decode(row) for row in page.rows], page.next_cursor)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class DirectiveFilters:
    group_id: str | None = None
    unit_id: str | None = None
    category: str | None = None
    status: str | None = None
    overdue: bool | None = None
    include_withdrawn: bool = False
    text: str | None = None


@dataclass(frozen=True)
class ItemFilters:
    directive_id: str | None = None
    unit_id: str | None = None
    status: str | None = None
    overdue: bool | None = None
    source: str | None = None
    list_kind: str | None = None
    follower: str | None = None
    text: str | None = None


def _equal(clauses: list[Clause], column: str, value: Any) -> None:
    if value is not None:
        clauses.append(Clause(f"{column} = %s", (int(value) if isinstance(value, bool) else value,)))


def directive_clauses(principal: Principal, f: DirectiveFilters) -> list[Clause]:
    clauses = [read_filter(principal)]
    _equal(clauses, "group_id", f.group_id)
    _equal(clauses, "unit_id", f.unit_id)
    _equal(clauses, "category", f.category)
    _equal(clauses, "status", f.status)
    _equal(clauses, "overdue", f.overdue)
    if not f.include_withdrawn:
        clauses.append(Clause("withdrawn = 0"))
    if f.text:
        pattern = _like(f.text)
        clauses.append(Clause("(title LIKE %s ESCAPE '\\' OR reference_number LIKE %s ESCAPE '\\')",
                              (pattern, pattern)))
    return clauses


def directives(tx: Tx, principal: Principal, filters: DirectiveFilters, sort: Sort, request: PageRequest) -> Page:
    select = f"SELECT {', '.join(DIRECTIVE_COLUMNS)} FROM gw_directives"
    return _page(fetch_page(tx, select, DIRECTIVE_COLUMNS, directive_clauses(principal, filters), sort, request))


def item_clauses(principal: Principal, f: ItemFilters) -> list[Clause]:
    clauses = [read_filter(principal)]
    _equal(clauses, "directive_id", f.directive_id)
    _equal(clauses, "unit_id", f.unit_id)
    _equal(clauses, "status", f.status)
    _equal(clauses, "overdue", f.overdue)
    _equal(clauses, "source", f.source)
    _equal(clauses, "list_kind", f.list_kind)
    if f.follower is not None and principal.org_kind == "unit":
        clauses.append(NOTHING)  # who follows an item is the group's business: the unit learns nothing from it
    _equal(clauses, "follower", f.follower)
    if f.text:
        clauses.append(Clause("title LIKE %s ESCAPE '\\'", (_like(f.text),)))
    return clauses


def items(tx: Tx, principal: Principal, filters: ItemFilters, sort: Sort, request: PageRequest) -> Page:
    select = f"SELECT {', '.join(ITEM_COLUMNS)} FROM gw_items"
    return _page(fetch_page(tx, select, ITEM_COLUMNS, item_clauses(principal, filters), sort, request))


def rounds(tx: Tx, principal: Principal, open_only: bool, sort: Sort, request: PageRequest) -> Page:
    clauses = [read_filter(principal)]
    if open_only:
        clauses.append(Clause("closed = 0"))
    select = f"SELECT {', '.join(ROUND_COLUMNS)} FROM gw_rounds"
    return _page(fetch_page(tx, select, ROUND_COLUMNS, clauses, sort, request))


def reconciliations(tx: Tx, principal: Principal, unit_id: str | None, open_only: bool, sort: Sort,
                    request: PageRequest) -> Page:
    clauses = [read_filter(principal)]
    _equal(clauses, "unit_id", unit_id)
    if open_only:
        clauses.append(Clause("open_findings > 0"))
    select = f"SELECT {', '.join(RECONCILIATION_COLUMNS)} FROM gw_reconciliations"
    return _page(fetch_page(tx, select, RECONCILIATION_COLUMNS, clauses, sort, request))


def imports(tx: Tx, principal: Principal, group_id: str | None, sort: Sort, request: PageRequest) -> Page:
    """Spreadsheet import batches (oldest first by default)."""
    clauses = [read_filter(principal)]
    _equal(clauses, "group_id", group_id)
    select = f"SELECT {', '.join(IMPORT_COLUMNS)} FROM gw_imports"
    return _page(fetch_page(tx, select, IMPORT_COLUMNS, clauses, sort, request))


def reviews(tx: Tx, principal: Principal, group_id: str | None, open_only: bool, sort: Sort,
            request: PageRequest) -> Page:
    """Quarterly reviews (by group and quarter by default); `open_only`: with follow-ups not done."""
    clauses = [read_filter(principal)]
    _equal(clauses, "group_id", group_id)
    if open_only:
        clauses.append(Clause("open_follow_ups > 0"))
    select = f"SELECT {', '.join(REVIEW_COLUMNS)} FROM gw_reviews"
    return _page(fetch_page(tx, select, REVIEW_COLUMNS, clauses, sort, request))


def accountabilities(tx: Tx, principal: Principal, group_id: str | None, directive_id: str | None,
                     item_id: str | None, status: str | None, sort: Sort, request: PageRequest) -> Page:
    """Accountability (执责必严、失责必问) on a directive or on one of its items, newest first by default."""
    clauses = [read_filter(principal)]
    _equal(clauses, "group_id", group_id)
    _equal(clauses, "directive_id", directive_id)
    _equal(clauses, "status", status)
    if item_id is not None:
        clauses.append(Clause("accountability_id IN (SELECT l.accountability_id FROM gw_accountability_items l"
                              " WHERE l.item_id = %s)", (item_id,)))
    select = f"SELECT {', '.join(ACCOUNTABILITY_COLUMNS)} FROM gw_accountabilities"
    page = fetch_page(tx, select, ACCOUNTABILITY_COLUMNS, clauses, sort, request)
    return Page([dict(row, item_ids=json.loads(row["item_ids"])) for row in page.rows], page.next_cursor)


def accountability_figures(tx: Tx, principal: Principal) -> list[dict[str, Any]]:
    """Per group: accountability proposed, pending, decided (by the form decided) and not pursued, counted in the
    database under the reader's clause."""
    readable = read_filter(principal)
    rows = tx.fetchall(
        f"SELECT group_id, status, COALESCE(decided_form, ''), COUNT(*) FROM gw_accountabilities WHERE {readable.sql}"
        " GROUP BY group_id, status, COALESCE(decided_form, '') ORDER BY group_id", readable.params)
    groups: dict[str, dict[str, Any]] = {}
    for group_id, status, form, count in rows:
        figures = groups.setdefault(str(group_id), {"group_id": str(group_id), "proposed": 0, "pending": 0,
                                                    "decided": 0, "not_pursued": 0, "decided_by_form": {}})
        figures["proposed"] += int(count)
        if status == "proposed":
            figures["pending"] += int(count)
        elif status == "not_pursued":
            figures["not_pursued"] += int(count)
        else:
            figures["decided"] += int(count)
            figures["decided_by_form"][str(form)] = figures["decided_by_form"].get(str(form), 0) + int(count)
    return list(groups.values())


# -- the workbench's queues ---------------------------------------------------------------------------
def _queue_source(queue: str, principal: Principal, today: date) -> tuple[str, tuple[Any, ...]]:
    """A UNION of the records in this queue, as WORK_COLUMNS rows (no authorisation yet)."""
    first, last = today.isoformat(), (today + timedelta(days=6)).isoformat()
    item = ("SELECT 'item' AS kind, item_id AS record_id, group_id, unit_id, distribution, title, due_on, status"
            " FROM gw_items WHERE ")
    directive = ("SELECT 'directive' AS kind, directive_id AS record_id, group_id, unit_id, distribution, title,"
                 " next_due_on AS due_on, status FROM gw_directives WHERE withdrawn = 0 AND ")
    round_ = ("SELECT 'round' AS kind, round_id AS record_id, group_id, unit_id, distribution, subject AS title,"
              " respond_by AS due_on, CASE WHEN overdue_on IS NULL THEN 'awaiting' ELSE 'overdue' END AS status"
              " FROM gw_rounds WHERE closed = 0 AND missing > 0")
    if queue == "due_this_week":
        return (f"{item}status <> 'closed' AND due_on >= %s AND due_on <= %s UNION ALL "
                f"{directive}next_due_on >= %s AND next_due_on <= %s", (first, last, first, last))
    if queue == "overdue":
        return (f"{item}status <> 'closed' AND overdue = 1 UNION ALL {directive}overdue = 1 UNION ALL "
                f"{round_} AND overdue_on IS NOT NULL", ())
    if queue == "awaiting_leader":
        return f"{item}(status = 'done' OR (status = 'closed' AND look_back_due = 1))", ()
    if queue == "unanswered_outbound":
        return round_, ()
    if queue == "following":
        return f"{item}status <> 'closed' AND follower = %s", (principal.user_id,)
    raise ValueError(f"unknown queue: {queue}")


def queue(tx: Tx, principal: Principal, name: str, today: date, request: PageRequest) -> tuple[int, Page]:
    """How many readable records the queue holds, and a page of them (soonest due first)."""
    source, params = _queue_source(name, principal, today)
    allowed = read_filter(principal)
    condition = where([allowed])
    count = tx.fetchone(f"SELECT COUNT(*) FROM ({source}) q WHERE {condition.sql}", (*params, *condition.params))
    select = f"SELECT {', '.join(WORK_COLUMNS)} FROM ({source}) q"
    # fetch_page appends the authoriser's clause after the source's own parameters
    page = _fetch_after(tx, select, params, allowed, request)
    return int(count[0]) if count else 0, page


def _fetch_after(tx: Tx, select: str, params: tuple[Any, ...], allowed: Clause, request: PageRequest) -> Page:
    """fetch_page over a select whose FROM holds parameters of its own (they come first)."""
    return fetch_page(_Prefixed(tx, params), select, WORK_COLUMNS, [allowed], QUEUE_SORT, request)


class _Prefixed(Tx):
    """A transaction that puts `params` before the parameters of every query it is given."""

    def __init__(self, tx: Tx, params: tuple[Any, ...]) -> None:
        self.tx, self.params = tx, params

    def execute(self, sql: str, params: Any = ()) -> None:
        self.tx.execute(sql, (*self.params, *params))

    def executemany(self, sql: str, rows: Any) -> None:
        raise NotImplementedError

    def fetchall(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        return self.tx.fetchall(sql, (*self.params, *params))


def directive_scope(tx: Tx, directive_id: str, group_id: str) -> tuple[str, str | None] | None:
    """(group, unit) of a directive of this group's ledger; None when it is not there (missing, or another
    group's: the caller checking a reference may not tell the two apart)."""
    row = tx.fetchone("SELECT group_id, unit_id FROM gw_directives WHERE directive_id = %s AND group_id = %s",
                      (directive_id, group_id))
    return None if row is None else (str(row[0]), None if row[1] is None else str(row[1]))
