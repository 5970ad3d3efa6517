"""Queries of the HQ dashboard read model (authorisation is decided by the caller's filter)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from projections.common.db import Database

RowFilter = Callable[[dict[str, Any]], bool]


class HqDashboardView:
    def __init__(self, db: Database) -> None:
        self.db = db

    def directives(self, visible: RowFilter) -> list[dict[str, Any]]:
        with self.db.transaction() as tx:
            rows = tx.fetchall(
                "SELECT directive_id, group_id, unit_id, distribution, reference_number, title, category,"
                " received_on, stages_done, last_stage FROM hq_directives ORDER BY received_on, directive_id"
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
