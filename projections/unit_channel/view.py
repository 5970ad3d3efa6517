"""Queries of the unit channel read model: one page of each list, the caller's clause first.

`unit_readable` answers whether the caller may read records of a distribution in a unit (the same rule,
as SQL, over the registered unit): a unit it may not read and a unit never registered are the same absence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from authz import Principal
from authz.filters import Clause, Columns, read_filter
from projections.common.db import Tx
from projections.common.query import Page, PageRequest, Sort, fetch_page

DISTRIBUTIONS = ("unit", "hq", "group")


@dataclass(frozen=True)
class Listing:
    table: str
    columns: tuple[str, ...]
    sorts: dict[str, Sort]
    default_sort: str

    def page(self, tx: Tx, readable: Clause, request: PageRequest, sort: Sort,
             filters: dict[str, str | None]) -> Page:
        clauses = [readable]
        for column, value in filters.items():
            if value is not None:
                clauses.append(Clause(f"r.{column} = %s", (value,)))
        select = f"SELECT {', '.join(f'r.{c}' for c in self.columns)} FROM {self.table} r"
        return fetch_page(tx, select, self.columns, clauses, sort, request)


ROWS = Columns(alias="r")

DRAFTS = Listing(
    "channel_drafts",
    ("draft_id", "group_id", "unit_id", "distribution", "title", "form", "important", "counterpart_id",
     "drafted_by", "deadline", "drafted_on", "revision", "status", "opinion_count", "decision", "issued_item_id"),
    {"-drafted_on": Sort("-drafted_on", "r.drafted_on", "r.draft_id", descending=True),
     "deadline": Sort("deadline", "r.deadline", "r.draft_id")},
    "-drafted_on",
)
ITEMS = Listing(
    "channel_items",
    ("item_id", "group_id", "unit_id", "distribution", "kind", "title", "reference_number", "counterpart_id",
     "counterpart_name", "level", "signed_by", "deadline", "issued_on", "source_ref", "status", "delivered_on",
     "acknowledged_on", "answer_count", "last_answered_on", "overdue_on", "withdrawn"),
    {"deadline": Sort("deadline", "r.deadline", "r.item_id"),
     "-issued_on": Sort("-issued_on", "r.issued_on", "r.item_id", descending=True)},
    "deadline",
)
MATTERS = Listing(
    "channel_matters",
    ("matter_id", "group_id", "unit_id", "distribution", "category", "title", "department_id", "department_name",
     "decided_on", "source", "amount_yuan", "observation_count", "concern_count"),
    {"decided_on": Sort("decided_on", "r.decided_on", "r.matter_id"),
     "-decided_on": Sort("-decided_on", "r.decided_on", "r.matter_id", descending=True)},
    "decided_on",
)
UPWARD = Listing(
    "channel_upward",
    ("upward_id", "group_id", "unit_id", "distribution", "kind", "title", "submitted_on", "reply_count",
     "final_reply_on"),
    {"-submitted_on": Sort("-submitted_on", "r.submitted_on", "r.upward_id", descending=True),
     "submitted_on": Sort("submitted_on", "r.submitted_on", "r.upward_id")},
    "-submitted_on",
)
CONSULTATIONS = Listing(
    "channel_consultations",
    ("consultation_id", "group_id", "unit_id", "distribution", "kind", "held_on", "topics", "action_count",
     "actions_done"),
    {"held_on": Sort("held_on", "r.held_on", "r.consultation_id"),
     "-held_on": Sort("-held_on", "r.held_on", "r.consultation_id", descending=True)},
    "held_on",
)
ANNOUNCEMENTS = Listing(
    "channel_announcements",
    ("announcement_id", "group_id", "unit_id", "distribution", "title", "published_on"),
    {"-published_on": Sort("-published_on", "r.published_on", "r.announcement_id", descending=True),
     "published_on": Sort("published_on", "r.published_on", "r.announcement_id")},
    "-published_on",
)

CONTACTS = Listing(
    "channel_contacts",
    ("contact_id", "group_id", "unit_id", "distribution", "kind", "meeting_kind", "held_on", "title", "person_ids",
     "directive_id", "stage", "observation_count", "concern_count", "matter_count"),
    {"-held_on": Sort("-held_on", "r.held_on", "r.contact_id", descending=True),
     "held_on": Sort("held_on", "r.held_on", "r.contact_id")},
    "-held_on",
)
NETWORK_ACTIVITIES = Listing(
    "channel_network_activities",
    ("activity_id", "group_id", "unit_id", "distribution", "kind", "held_on", "title", "participant_ids",
     "assignment"),
    {"-held_on": Sort("-held_on", "r.held_on", "r.activity_id", descending=True),
     "held_on": Sort("held_on", "r.held_on", "r.activity_id")},
    "-held_on",
)


def unit_readable(tx: Tx, principal: Principal, unit_id: str, distribution: str,
                  units_table: str = "channel_units") -> bool:
    """May the principal read records of `distribution` in this (registered) unit?"""
    if distribution not in DISTRIBUTIONS:
        raise ValueError(distribution)
    readable = read_filter(principal, Columns(alias="u"))
    found = tx.fetchone(
        f"SELECT 1 FROM (SELECT unit_id, group_id, '{distribution}' AS distribution FROM {units_table}"
        f" WHERE unit_id = %s) u WHERE {readable.sql}", (unit_id, *readable.params))
    return found is not None


def feedback_figures(tx: Tx, readable: Clause) -> list[dict[str, Any]]:
    """Per group and unit, the units' answers to the group's feedback (反馈意见): answered by the deadline,
    answered late, not answered (of which the service marked overdue). Withdrawn feedback does not count."""
    rows = tx.fetchall(
        "SELECT r.group_id, r.unit_id, COUNT(*),"
        " SUM(CASE WHEN r.first_answered_on IS NOT NULL AND r.first_answered_on <= r.deadline THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN r.first_answered_on IS NOT NULL AND r.first_answered_on > r.deadline THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN r.first_answered_on IS NULL AND r.overdue_on IS NOT NULL THEN 1 ELSE 0 END)"
        f" FROM channel_items r WHERE r.kind = 'feedback' AND r.withdrawn IS NULL AND ({readable.sql})"
        " GROUP BY r.group_id, r.unit_id ORDER BY r.group_id, r.unit_id", readable.params)
    return [{"group_id": g, "unit_id": u, "issued": int(n), "answered_in_time": int(in_time or 0),
             "answered_late": int(late or 0), "open": int(n) - int(in_time or 0) - int(late or 0),
             "open_overdue": int(overdue or 0)} for g, u, n, in_time, late, overdue in rows]
