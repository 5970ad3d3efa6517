"""Queries of the clue queue: a member's clues, the leader's intake, and clue figures (numbers only).

Every query starts with the authoriser's clause: `read_filter` for rows (a member reads the clues whose
compartment includes them), `authz.counts.count_filter` for figures (HQ and the auditor count every clue,
a group member only those they may read, nobody else anything).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from authz import Principal
from authz.counts import COUNTING_KINDS, count_filter
from authz.filters import Clause, Columns, read_filter
from projections.common.db import Tx
from projections.common.query import Page, PageRequest, Sort, fetch_page

CLUE_COLUMNS = Columns(compartments="clue_compartments", alias="c")
INTAKE_COLUMNS = Columns(alias="i")

CLUE_SORTS = {
    "received_on": Sort("received_on", "c.received_on", "c.clue_id"),
    "-received_on": Sort("-received_on", "c.received_on", "c.clue_id", descending=True),
    "updated_at": Sort("updated_at", "c.updated_at", "c.clue_id"),
    "-updated_at": Sort("-updated_at", "c.updated_at", "c.clue_id", descending=True),
}
INTAKE_SORTS = {"received_on": Sort("received_on", "i.received_on", "i.clue_id")}

_FACTS = ("clue_id", "group_id", "unit_id", "source", "categories", "received_on", "status", "disposition",
          "proposed_disposition", "four_forms", "result", "deadlines", "joint_screening_open", "version")
FIGURE_DIMENSIONS = ("status", "disposition", "four_forms", "category")


@dataclass(frozen=True)
class ClueFilters:
    status: str | None = None
    unit_id: str | None = None


def _mine(principal: Principal) -> Clause:
    """Narrows a query to the compartments the principal is in (an index lookup): it only removes rows, the
    authoriser's clause still decides."""
    return Clause("c.distribution IN (SELECT mine.compartment FROM clue_compartments mine WHERE mine.user_id = %s)",
                  (principal.user_id,))


def list_clues(tx: Tx, principal: Principal, filters: ClueFilters, sort: Sort, page: PageRequest) -> Page:
    """The clues whose compartment includes the reader: facts only (the shape of `ClueFacts`)."""
    clauses = [read_filter(principal, CLUE_COLUMNS), Clause("mine.user_id = %s", (principal.user_id,))]
    if filters.status:
        clauses.append(Clause("c.status = %s", (filters.status,)))
    if filters.unit_id:
        clauses.append(Clause("c.unit_id = %s", (filters.unit_id,)))
    # driven from the reader's compartments (an index lookup); the authoriser's clause still decides
    select = (f"SELECT {', '.join('c.' + c for c in _FACTS)} FROM clue_compartments mine"
              " JOIN clue_queue c ON c.distribution = mine.compartment")
    found = fetch_page(tx, select, _FACTS, clauses, sort, page)
    return Page([clue_facts(row) for row in found.rows], found.next_cursor)


def clue_facts(row: dict[str, Any]) -> dict[str, Any]:
    deadlines: dict[str, Any] = json.loads(row["deadlines"])
    open_deadline = next(({"kind": kind, **d} for kind, d in deadlines.items() if not d["done"]), None)
    return {
        "clue_id": row["clue_id"], "group_id": row["group_id"], "unit_id": row["unit_id"] or "",
        "source": row["source"], "categories": json.loads(row["categories"]), "received_on": row["received_on"],
        "status": row["status"], "disposition": row["disposition"],
        "proposed_disposition": row["proposed_disposition"],
        "four_forms": None if row["four_forms"] is None else int(row["four_forms"]), "result": row["result"],
        "open_deadline": open_deadline,
        "overdue": sorted(kind for kind, d in deadlines.items() if d["overdue"]),
        "joint_screening_open": bool(row["joint_screening_open"]), "version": int(row["version"]),
    }


def intake_queue(tx: Tx, principal: Principal, page: PageRequest) -> Page:
    """Referred clues of the reader's group awaiting the leader: source and dates, no content."""
    columns = ("clue_id", "source", "received_on", "referral_id", "round_id", "deadlines")
    select = ("SELECT i.clue_id, i.source, i.received_on, i.referral_id, i.round_id, c.deadlines"
              " FROM clue_intake i JOIN clue_queue c ON c.clue_id = i.clue_id")
    found = fetch_page(tx, select, columns, [read_filter(principal, INTAKE_COLUMNS)], INTAKE_SORTS["received_on"],
                       page)
    rows = []
    for row in found.rows:
        facts = clue_facts({**row, "group_id": "", "unit_id": "", "categories": "[]", "status": "referred",
                            "disposition": None, "proposed_disposition": None, "four_forms": None,
                            "result": None, "joint_screening_open": 0, "version": 0})
        rows.append({"clue_id": row["clue_id"], "source": row["source"], "received_on": row["received_on"],
                     "referral_id": row["referral_id"], "round_id": row["round_id"],
                     "open_deadline": facts["open_deadline"]})
    return Page(rows, found.next_cursor)


def clue_figures(tx: Tx, principal: Principal, group_id: str | None = None, received_from: date | None = None,
                 received_to: date | None = None) -> dict[str, dict[str, Any]]:
    """Per group: total, and counts by status, disposition, four forms and category (numbers only).

    Counts clues received in [`received_from`, `received_to`] that the principal's figures may include. A
    group with no such clue is absent. A clue with no disposition (or no four-forms outcome) yet is counted
    under `none`; a clue counts once under each of its categories.
    """
    clauses = [count_filter(principal, CLUE_COLUMNS)]
    if principal.org_kind not in COUNTING_KINDS:
        clauses.append(_mine(principal))
    if group_id:
        clauses.append(Clause("c.group_id = %s", (group_id,)))
    if received_from:
        clauses.append(Clause("c.received_on >= %s", (received_from.isoformat(),)))
    if received_to:
        clauses.append(Clause("c.received_on <= %s", (received_to.isoformat(),)))
    sql = " AND ".join(f"({c.sql})" for c in clauses)
    params = tuple(p for c in clauses for p in c.params)
    figures: dict[str, dict[str, Any]] = {}

    def group(gid: str) -> dict[str, Any]:
        return figures.setdefault(gid, {"total": 0, **{d: {} for d in FIGURE_DIMENSIONS}})

    combined = ("c.group_id, c.status, COALESCE(c.disposition, 'none'), COALESCE(CAST(c.four_forms AS TEXT), 'none')")
    for gid, status, disposition, four_forms, number in tx.fetchall(
            f"SELECT {combined}, COUNT(*) FROM clue_queue c WHERE {sql} GROUP BY {combined}", params):
        figures_of = group(str(gid))
        figures_of["total"] += int(number)
        for dimension, value in (("status", status), ("disposition", disposition), ("four_forms", four_forms)):
            figures_of[dimension][str(value)] = figures_of[dimension].get(str(value), 0) + int(number)
    rows = tx.fetchall(f"SELECT c.group_id, k.category, COUNT(*) FROM clue_queue c JOIN clue_categories k"
                       f" ON k.clue_id = c.clue_id WHERE {sql} GROUP BY c.group_id, k.category", params)
    for gid, value, count in rows:
        group(str(gid))["category"][str(value)] = int(count)
    return {gid: {k: (dict(sorted(v.items())) if isinstance(v, dict) else v) for k, v in f.items()}
            for gid, f in sorted(figures.items())}


def sum_figures(figures: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The figures of several groups added up."""
    total: dict[str, Any] = {"total": 0, **{d: {} for d in FIGURE_DIMENSIONS}}
    for one in figures.values():
        total["total"] += one["total"]
        for dimension in FIGURE_DIMENSIONS:
            for key, count in one[dimension].items():
                total[dimension][key] = total[dimension].get(key, 0) + count
    return {k: (dict(sorted(v.items())) if isinstance(v, dict) else v) for k, v in total.items()}


REC_SORTS = {
    "deadline": Sort("deadline", "r.deadline", "r.recommendation_id"),
    "-updated_at": Sort("-updated_at", "r.updated_at", "r.recommendation_id", descending=True),
}
_REC = ("recommendation_id", "group_id", "unit_id", "reference_number", "title", "problems", "recommendations",
        "responsible_department", "deadline", "status", "issued_on", "responses", "closure", "overdue", "version")


def list_recommendations(tx: Tx, principal: Principal, status: str | None, unit_id: str | None, sort: Sort,
                         page: PageRequest) -> Page:
    """Recommendations the principal may read (the shape of `RecommendationView`)."""
    clauses = [read_filter(principal, Columns(alias="r"))]
    if status:
        clauses.append(Clause("r.status = %s", (status,)))
    if unit_id:
        clauses.append(Clause("r.unit_id = %s", (unit_id,)))
    found = fetch_page(tx, f"SELECT {', '.join('r.' + c for c in _REC)} FROM clue_recommendations r", _REC, clauses,
                       sort, page)
    rows = [{**row, "unit_id": row["unit_id"] or "", "problems": json.loads(row["problems"]),
             "recommendations": json.loads(row["recommendations"]), "responses": json.loads(row["responses"]),
             "closure": json.loads(row["closure"]) if row["closure"] else None, "overdue": bool(row["overdue"]),
             "version": int(row["version"])} for row in found.rows]
    return Page(rows, found.next_cursor)
