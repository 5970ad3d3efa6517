"""HQ dashboard read model: every group's directives side by side, with stage progress."""

from __future__ import annotations

from typing import Any

from events.envelope import Envelope
from projections.common.db import Tx
from projections.common.projection import Projection, handles


class HqDashboard(Projection):
    name = "hq_dashboard"
    tables = ("hq_directives",)
    checksum_order = {"hq_directives": "directive_id"}
    ddl = (
        "CREATE TABLE IF NOT EXISTS hq_directives ("
        " directive_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT, distribution TEXT NOT NULL,"
        " reference_number TEXT NOT NULL, title TEXT NOT NULL, category TEXT, received_on TEXT NOT NULL,"
        " stages_done INTEGER NOT NULL DEFAULT 0, last_stage TEXT, registered_at TEXT NOT NULL,"
        " updated_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS hq_directives_group ON hq_directives (group_id)",
    )

    @handles("ledgers.DirectiveRegistered")
    def directive_registered(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO hq_directives (directive_id, group_id, unit_id, distribution, reference_number,"
            " title, category, received_on, stages_done, last_stage, registered_at, updated_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 0, NULL, %s, %s)"
            " ON CONFLICT (directive_id) DO NOTHING",
            (
                payload.directive_id, envelope.group_id or "", envelope.unit_id, envelope.distribution,
                payload.reference_number, payload.title, payload.category,
                payload.received_on.isoformat(), envelope.occurred_at.isoformat(),
                envelope.occurred_at.isoformat(),
            ),
        )

    @handles("ledgers.DirectiveStageRecorded")
    def stage_recorded(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "UPDATE hq_directives SET stages_done = stages_done + 1, last_stage = %s, updated_at = %s"
            " WHERE directive_id = %s",
            (payload.stage, envelope.occurred_at.isoformat(), payload.directive_id),
        )
