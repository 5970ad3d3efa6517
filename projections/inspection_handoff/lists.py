"""Queries of the inspection-handoff lists: rounds, frozen packages, rectification items, activities.

Who reads what is decided in the query: `authz.filters.read_filter` (a team reads its round's rows only
while the round is open, through the open-round readers below) and, for the team after its round, the
handoff rules of `authz.handoff` (its package until the round closes; its findings' rectification until
each is closed) — and nothing else.
"""

from __future__ import annotations

from typing import Any

from authz import Principal
from authz.filters import Clause, Columns, read_filter
from authz.handoff import package_filter, rectification_filter
from projections.common.db import Tx
from projections.common.query import Page, PageRequest, Sort, fetch_page, where

OPEN_ROUND_READERS = ("(SELECT m.round_id, m.user_id FROM handoff_round_members m JOIN handoff_rounds o"
                      " ON o.round_id = m.round_id WHERE o.status = 'open')")
"""The `round_readers` of `read_filter`: the members of the rounds that are open."""

ROUND_COLUMNS = ("round_id", "group_id", "unit_id", "distribution", "title", "team_id", "status", "before_start",
                 "before_end", "during_start", "during_end", "after_start", "after_end", "opened_at", "closed_at")
ROUND_SORTS = {
    "-recorded_at": Sort("-recorded_at", "r.recorded_at", "r.round_id", descending=True),
    "during_start": Sort("during_start", "r.during_start", "r.round_id"),
}
ITEM_COLUMNS = ("item_id", "round_id", "activity_id", "group_id", "unit_id", "distribution", "title",
                "description", "problem_type", "responsible_department", "deadline", "handed_over_on", "completed",
                "completed_on", "overdue", "progress_count", "last_progress_on")
ITEM_SORTS = {
    "deadline": Sort("deadline", "i.deadline", "i.item_id"),
    "-handed_over_on": Sort("-handed_over_on", "i.handed_over_on", "i.item_id", descending=True),
}
ACTIVITY_COLUMNS = ("activity_id", "group_id", "unit_id", "distribution", "kind", "title", "methods", "start_on",
                    "end_on", "leader_id", "status", "started_on", "completed_on", "work_count", "last_work_on",
                    "finding_count", "directive_id", "stage")
ACTIVITY_SORTS = {
    "-start_on": Sort("-start_on", "a.start_on", "a.activity_id", descending=True),
    "start_on": Sort("start_on", "a.start_on", "a.activity_id"),
}
PACKAGE_COLUMNS = ("package_id", "round_id", "group_id", "unit_id", "title", "status", "positions", "content_hash",
                   "frozen_at")
PACKAGE_SORTS = {"-frozen_at": Sort("-frozen_at", "p.frozen_at", "p.package_id", descending=True)}


def rounds_readable(principal: Principal, alias: str = "r") -> Clause:
    return read_filter(principal, Columns(alias=alias, round_readers=OPEN_ROUND_READERS))


def items_readable(principal: Principal) -> Clause:
    """Items addressed to a unit (`unit` distribution) as can_read allows, and, for a team after its round,
    its own findings until they are closed."""
    readable = read_filter(principal, Columns(alias="i"))
    follow = rectification_filter(principal, "i", "handoff_rounds", "handoff_round_members")
    return Clause(f"({readable.sql}) OR ({follow.sql})", readable.params + follow.params)


def packages_readable(principal: Principal) -> Clause:
    """Frozen packages: whoever may read the round, and its team from freezing until the round closes."""
    readable = rounds_readable(principal)
    team = package_filter(principal, "r", "handoff_round_members")
    return Clause(f"({readable.sql}) OR ({team.sql})", readable.params + team.params)


def _filters(alias: str, filters: dict[str, str | None]) -> list[Clause]:
    return [Clause(f"{alias}.{column} = %s", (value,)) for column, value in filters.items() if value is not None]


def rounds_page(tx: Tx, readable: Clause, request: PageRequest, sort: Sort, filters: dict[str, str | None]) -> Page:
    select = f"SELECT {', '.join(f'r.{c}' for c in ROUND_COLUMNS)} FROM handoff_rounds r"
    page = fetch_page(tx, select, ROUND_COLUMNS, [readable, *_filters("r", filters)], sort, request)
    members = members_of(tx, [row["round_id"] for row in page.rows])
    for row in page.rows:
        row["member_ids"] = members.get(row["round_id"], [])
    return page


def members_of(tx: Tx, round_ids: list[str]) -> dict[str, list[str]]:
    if not round_ids:
        return {}
    placeholders = ", ".join(["%s"] * len(round_ids))
    found: dict[str, list[str]] = {}
    for round_id, user_id in tx.fetchall(f"SELECT round_id, user_id FROM handoff_round_members WHERE round_id IN"
                                         f" ({placeholders}) ORDER BY round_id, user_id", tuple(round_ids)):
        found.setdefault(str(round_id), []).append(str(user_id))
    return found


def items_page(tx: Tx, readable: Clause, request: PageRequest, sort: Sort, filters: dict[str, str | None]) -> Page:
    select = f"SELECT {', '.join(f'i.{c}' for c in ITEM_COLUMNS)} FROM handoff_items i"
    return fetch_page(tx, select, ITEM_COLUMNS, [readable, *_filters("i", filters)], sort, request)


def activities_page(tx: Tx, readable: Clause, request: PageRequest, sort: Sort,
                    filters: dict[str, str | None]) -> Page:
    select = f"SELECT {', '.join(f'a.{c}' for c in ACTIVITY_COLUMNS)} FROM handoff_activities a"
    return fetch_page(tx, select, ACTIVITY_COLUMNS, [readable, *_filters("a", filters)], sort, request)


def packages_page(tx: Tx, readable: Clause, request: PageRequest, sort: Sort,
                  filters: dict[str, str | None]) -> Page:
    select = ("SELECT p.package_id, p.round_id, r.group_id, r.unit_id, r.title, r.status, p.positions,"
              " p.content_hash, p.frozen_at FROM handoff_packages p JOIN handoff_rounds r ON r.round_id = p.round_id")
    return fetch_page(tx, select, PACKAGE_COLUMNS, [readable, *_filters("p", filters)], sort, request)


def package(tx: Tx, readable: Clause, package_id: str) -> dict[str, Any] | None:
    """One frozen package the caller may read (None: missing or not theirs — the same answer)."""
    condition = where([readable, Clause("p.package_id = %s", (package_id,))])
    row = tx.fetchone(
        "SELECT p.package_id, p.round_id, r.group_id, r.unit_id, r.title, r.status, p.positions, p.content_hash,"
        " p.frozen_at FROM handoff_packages p JOIN handoff_rounds r ON r.round_id = p.round_id"
        f" WHERE {condition.sql}", condition.params)
    return None if row is None else dict(zip(PACKAGE_COLUMNS, row, strict=True))


def rectification_figures(tx: Tx, readable: Clause) -> list[dict[str, Any]]:
    """Per group and unit: rectification items handed over, completed (in time: on or before the deadline),
    open, and open ones the service marked overdue."""
    rows = tx.fetchall(
        "SELECT i.group_id, i.unit_id, COUNT(*),"
        " SUM(CASE WHEN i.completed = 1 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN i.completed = 1 AND i.completed_on <= i.deadline THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN i.completed = 0 AND i.overdue = 1 THEN 1 ELSE 0 END)"
        f" FROM handoff_items i WHERE {readable.sql} GROUP BY i.group_id, i.unit_id ORDER BY i.group_id, i.unit_id",
        readable.params)
    return [{"group_id": g, "unit_id": u, "items": int(n), "completed": int(done or 0),
             "completed_in_time": int(in_time or 0), "open": int(n) - int(done or 0), "overdue": int(late or 0)}
            for g, u, n, done, in_time, late in rows]
