"""The ledgers' lists as the read side answers them: the group workbench read model folded from what this
application published (the service keeps no list queries of its own)."""

from __future__ import annotations

from typing import Any

from authz import Principal
from events.catalog import load_all
from projections.common.db import SqliteDatabase
from projections.common.query import MAX_LIMIT, PageRequest, Sort
from projections.group_workbench import view
from projections.group_workbench.projection import GroupWorkbench
from runtime.projection_feeds import LogFollower
from runtime.projection_runner import ProjectionRunner
from services.ledgers.application import LedgersApplication

load_all()

HQ = Principal(user_id="chen.hq", name="陈静", org_id="hq", org_kind="hq", roles=frozenset({"hq_staff"}))
"""Reads every group's records (all but those distributed to the group alone)."""
EVERYTHING = PageRequest(limit=MAX_LIMIT)


def _read(app: LedgersApplication, query: Any) -> list[dict[str, Any]]:
    runner = ProjectionRunner(GroupWorkbench(), SqliteDatabase(":memory:"))
    runner.setup()
    LogFollower(runner, {"ledgers": app.integration_events}).run_once()
    with runner.db.transaction() as tx:
        return list(query(tx).rows)


def directives(app: LedgersApplication, principal: Principal = HQ, sort: Sort = view.DIRECTIVE_SORTS["received_on"],
               **filters: Any) -> list[dict[str, Any]]:
    found = view.DirectiveFilters(**filters)
    return _read(app, lambda tx: view.directives(tx, principal, found, sort, EVERYTHING))


def items(app: LedgersApplication, principal: Principal = HQ, **filters: Any) -> list[dict[str, Any]]:
    found = view.ItemFilters(**filters)
    return _read(app, lambda tx: view.items(tx, principal, found, view.ITEM_SORTS["due_on"], EVERYTHING))


def reconciliations(app: LedgersApplication, principal: Principal = HQ, unit_id: str | None = None
                    ) -> list[dict[str, Any]]:
    sort = view.RECONCILIATION_SORTS["compared_on"]
    return _read(app, lambda tx: view.reconciliations(tx, principal, unit_id, False, sort, EVERYTHING))


def imports(app: LedgersApplication, principal: Principal = HQ, group_id: str | None = None) -> list[dict[str, Any]]:
    sort = view.IMPORT_SORTS["recorded_at"]
    return _read(app, lambda tx: view.imports(tx, principal, group_id, sort, EVERYTHING))


def reviews(app: LedgersApplication, principal: Principal = HQ, group_id: str | None = None) -> list[dict[str, Any]]:
    sort = view.REVIEW_SORTS["quarter"]
    return _read(app, lambda tx: view.reviews(tx, principal, group_id, False, sort, EVERYTHING))
