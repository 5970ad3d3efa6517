"""Queries of the HQ dashboard read model.

`figures` and `alerts` are authorised in their query (the authoriser's clause first); `directives` and
`summary` take a row filter (kept for the runner's tests and tools that read the whole model)."""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from datetime import date
from typing import Any

from authz import Principal
from authz.filters import Clause, read_filter
from projections.common.db import Database, Tx
from projections.common.query import Page, PageRequest, Sort, fetch_page, fetch_union_page, where

RowFilter = Callable[[dict[str, Any]], bool]

ALERT_COLUMNS = ("alert_id", "group_id", "unit_id", "distribution", "kind", "record_id", "title", "due_on",
                 "detected_on", "occurred_at", "last_activity_on")
DIRECTIVE_COLUMNS = ("directive_id", "group_id", "unit_id", "distribution", "reference_number", "title", "category",
                     "received_on", "stages_done", "last_stage")
BY_RECEIPT = Sort("received_on", "received_on", "directive_id")
NEWEST_FIRST = Sort("-detected_on", "detected_on", "alert_id", descending=True)
ALERT_SOURCES = (
    "(SELECT alert_id, group_id, unit_id, distribution, kind, record_id, title, due_on, detected_on, occurred_at,"
    " NULL AS last_activity_on, '' AS shown_from FROM hq_alerts) alerts",
    "(SELECT 'stalled:' || directive_id AS alert_id, group_id, unit_id, distribution, 'directive_stalled' AS kind,"
    " directive_id AS record_id, title, stalls_on AS due_on, stalls_on AS detected_on, stalls_on AS occurred_at,"
    " last_activity_on, stalls_on AS shown_from FROM hq_directives"
    " WHERE withdrawn = 0 AND closed_on IS NULL AND stalls_on IS NOT NULL) alerts",
    "(SELECT 'stalled:' || item_id AS alert_id, group_id, unit_id, distribution, 'item_stalled' AS kind,"
    " item_id AS record_id, title, stalls_on AS due_on, stalls_on AS detected_on, stalls_on AS occurred_at,"
    " last_progress_on AS last_activity_on, stalls_on AS shown_from FROM hq_items WHERE stalls_on IS NOT NULL) alerts",
)
"""What went overdue (once detected) and what stalled (from the day it stalls on, `shown_from`): three sources,
paged together by `fetch_union_page`."""


def _days(later: str, earlier: str) -> int:
    return (date.fromisoformat(later) - date.fromisoformat(earlier)).days


def _group_figures() -> dict[str, Any]:
    return {"directives": 0, "stages": 0, "relayed": 0, "closed": 0, "overdue": 0, "open_mismatches": 0}


def figures(tx: Tx, principal: Principal, since: date | None, until: date | None) -> dict[str, Any]:
    """Per group, for directives received in the period (withdrawn ones never count): received, closed,
    overdue, closure rate, median days from receipt to closure, stages, relayed; open reconciliation mismatches;
    per month (of receipt, of closure) received and closed. Counted in the database; only the closed
    directives' dates come back (for the medians)."""
    clauses = [read_filter(principal), Clause("withdrawn = 0")]
    if since:
        clauses.append(Clause("received_on >= %s", (since.isoformat(),)))
    if until:
        clauses.append(Clause("received_on <= %s", (until.isoformat(),)))
    condition = where(clauses)
    groups: dict[str, dict[str, Any]] = {}
    months: dict[str, dict[str, int]] = {}
    for group_id, count, stages, relayed, overdue in tx.fetchall(
            "SELECT group_id, COUNT(*), SUM(stages_done), SUM(CASE WHEN stages_done > 0 THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN overdue_stages <> '[]' THEN 1 ELSE 0 END) FROM hq_directives"
            f" WHERE {condition.sql} GROUP BY group_id", condition.params):
        groups[group_id] = _group_figures() | {"directives": int(count), "stages": int(stages),
                                                "relayed": int(relayed), "overdue": int(overdue)}
    for month, count in tx.fetchall(f"SELECT substr(received_on, 1, 7), COUNT(*) FROM hq_directives"
                                    f" WHERE {condition.sql} GROUP BY substr(received_on, 1, 7)", condition.params):
        months[month] = {"received": int(count), "closed": 0}
    durations: dict[str, list[int]] = {}
    for group_id, received_on, closed_on in tx.fetchall(
            f"SELECT group_id, received_on, closed_on FROM hq_directives WHERE {condition.sql}"
            " AND closed_on IS NOT NULL", condition.params):
        groups.setdefault(group_id, _group_figures())["closed"] += 1  # each statement may see a later snapshot
        durations.setdefault(group_id, []).append(_days(closed_on, received_on))
        months.setdefault(closed_on[:7], {"received": 0, "closed": 0})["closed"] += 1
    mismatch = where([read_filter(principal)])
    for group_id, open_findings in tx.fetchall(
            f"SELECT group_id, open_findings FROM hq_reconciliations WHERE {mismatch.sql}", mismatch.params):
        g = groups.setdefault(group_id, _group_figures())
        g["open_mismatches"] += len(json.loads(open_findings))
    for group_id, g in groups.items():
        g["closure_rate"] = round(g["closed"] / g["directives"], 4) if g["directives"] else None
        found = durations.get(group_id)
        g["median_days_to_close"] = statistics.median(found) if found else None
    return {"groups": dict(sorted(groups.items())), "months": dict(sorted(months.items())),
            "total_directives": sum(g["directives"] for g in groups.values())}


def alerts(tx: Tx, principal: Principal, today: date, request: PageRequest) -> Page:
    """What went overdue or stalled by `today`, newest first."""
    selects = [f"SELECT {', '.join(ALERT_COLUMNS)} FROM {source}" for source in ALERT_SOURCES]
    shown = Clause("shown_from <= %s", (today.isoformat(),))
    return fetch_union_page(tx, selects, ALERT_COLUMNS, [read_filter(principal), shown], NEWEST_FIRST, request)


def directives(tx: Tx, principal: Principal, request: PageRequest) -> Page:
    """The directives not withdrawn, corrections applied, in order of receipt."""
    select = f"SELECT {', '.join(DIRECTIVE_COLUMNS)} FROM hq_directives"
    return fetch_page(tx, select, DIRECTIVE_COLUMNS, [read_filter(principal), Clause("withdrawn = 0")], BY_RECEIPT,
                      request)


class HqDashboardView:
    def __init__(self, db: Database) -> None:
        self.db = db

    def directives(self, visible: RowFilter) -> list[dict[str, Any]]:
        """Every directive not withdrawn, corrections applied."""
        with self.db.transaction() as tx:
            rows = tx.fetchall(
                "SELECT directive_id, group_id, unit_id, distribution, reference_number, title, category,"
                " received_on, stages_done, last_stage FROM hq_directives WHERE withdrawn = 0"
                " ORDER BY received_on, directive_id"
            )
        keys = ("directive_id", "group_id", "unit_id", "distribution", "reference_number", "title",
                "category", "received_on", "stages_done", "last_stage")
        return [r for r in (dict(zip(keys, row, strict=True)) for row in rows) if visible(r)]

    def summary(self, visible: RowFilter) -> dict[str, Any]:
        """Per group: directives registered, stages recorded, directives with the first stage done."""
        groups: dict[str, dict[str, int]] = {}
        for row in self.directives(visible):
            group = groups.setdefault(row["group_id"], {"directives": 0, "stages": 0, "relayed": 0})
            group["directives"] += 1
            group["stages"] += int(row["stages_done"])
            group["relayed"] += 1 if int(row["stages_done"]) > 0 else 0
        return {"groups": groups, "total_directives": sum(g["directives"] for g in groups.values())}
