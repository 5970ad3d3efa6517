"""Queries of the unit portal read model: the to-do list, submissions and notified directives, one page each.

Every query starts with the caller's clause (`authz.filters.read_filter`), then the user's filters; the
sorts are the ones listed here (keyset paging by `projections.common.query.fetch_page`).
"""

from __future__ import annotations

from authz.filters import Clause, Columns
from projections.common.db import Tx
from projections.common.query import Page, PageRequest, Sort, fetch_page

PENDING = ("open", "overdue")
"""What the unit still has to answer (answered rows wait for the group to close them; `answered` lists them)."""

TODO_COLUMNS = ("unit_id", "group_id", "todo_key", "kind", "title", "reference_number", "due_on", "status",
                "opened_on", "source_count")
TODO_SORTS = {
    "due_on": Sort("due_on", "COALESCE(t.due_on, '9999-12-31')", "t.unit_id || '|' || t.todo_key"),
    "-opened_on": Sort("-opened_on", "t.opened_on", "t.unit_id || '|' || t.todo_key", descending=True),
}
TODO_COLUMNS_OF = Columns(alias="t")

SUBMISSION_COLUMNS = ("submission_id", "group_id", "unit_id", "kind", "title", "received_at", "status",
                      "reviewed_on", "answers_item_id")
SUBMISSION_SORTS = {
    "-received_at": Sort("-received_at", "s.received_at", "s.submission_id", descending=True),
    "received_at": Sort("received_at", "s.received_at", "s.submission_id"),
}
SUBMISSION_COLUMNS_OF = Columns(alias="s")

NOTIFICATION_COLUMNS = ("notification_id", "group_id", "unit_id", "reference_number", "issuer", "title",
                        "issued_on", "received_on", "lead_department", "notified_at", "directive_id",
                        "opened_loop")
NOTIFICATION_SORTS = {
    "-notified_at": Sort("-notified_at", "n.notified_at", "n.notification_id", descending=True),
    "received_on": Sort("received_on", "n.received_on", "n.notification_id"),
}
NOTIFICATION_COLUMNS_OF = Columns(alias="n")


def todo_page(tx: Tx, readable: Clause, request: PageRequest, sort: Sort, *, unit_id: str | None = None,
              statuses: tuple[str, ...] = PENDING, kind: str | None = None) -> Page:
    clauses = [readable, Clause(f"t.status IN ({', '.join(['%s'] * len(statuses))})", statuses)]
    if unit_id is not None:
        clauses.append(Clause("t.unit_id = %s", (unit_id,)))
    if kind is not None:
        clauses.append(Clause("t.kind = %s", (kind,)))
    select = f"SELECT {', '.join(f't.{c}' for c in TODO_COLUMNS)} FROM unit_portal_todo t"
    return fetch_page(tx, select, TODO_COLUMNS, clauses, sort, request)


def submissions_page(tx: Tx, readable: Clause, request: PageRequest, sort: Sort, *, unit_id: str | None = None,
                     kind: str | None = None, status: str | None = None) -> Page:
    clauses = [readable]
    if unit_id is not None:
        clauses.append(Clause("s.unit_id = %s", (unit_id,)))
    if kind is not None:
        clauses.append(Clause("s.kind = %s", (kind,)))
    if status is not None:
        clauses.append(Clause("s.status = %s", (status,)))
    select = f"SELECT {', '.join(f's.{c}' for c in SUBMISSION_COLUMNS)} FROM unit_portal_submissions s"
    return fetch_page(tx, select, SUBMISSION_COLUMNS, clauses, sort, request)


def notifications_page(tx: Tx, readable: Clause, request: PageRequest, sort: Sort, *,
                       unit_id: str | None = None) -> Page:
    clauses = [readable]
    if unit_id is not None:
        clauses.append(Clause("n.unit_id = %s", (unit_id,)))
    columns = ", ".join(f"n.{c}" for c in NOTIFICATION_COLUMNS[:-2])
    select = (f"SELECT {columns}, l.directive_id, l.opened_loop FROM unit_portal_notifications n"
              " LEFT JOIN unit_portal_links l ON l.notification_id = n.notification_id")
    return fetch_page(tx, select, NOTIFICATION_COLUMNS, clauses, sort, request)
