"""Inspection-handoff read model: the unit-level history the briefing packages are folded from.

It keeps every integration event of the ledgers, clues, units and inspections services that names a
unit, as published (canonical JSON), so a package can be rebuilt later from the same positions.
"""

from __future__ import annotations

from typing import Any

from events.catalog import load_all
from events.envelope import Envelope
from events.registry import contracts
from projections.common.db import Tx
from projections.common.projection import Projection
from projections.inspection_handoff.package import SOURCE_SERVICES


class InspectionHandoff(Projection):
    name = "inspection_handoff"
    tables = ("handoff_events",)
    checksum_order = {"handoff_events": "service, position"}
    ddl = (
        "CREATE TABLE IF NOT EXISTS handoff_events ("
        " service TEXT NOT NULL, position BIGINT NOT NULL, event_type TEXT NOT NULL,"
        " group_id TEXT, unit_id TEXT NOT NULL, distribution TEXT NOT NULL, stream_id TEXT NOT NULL,"
        " occurred_at TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (service, position))",
        "CREATE INDEX IF NOT EXISTS handoff_events_unit ON handoff_events (unit_id, service, position)",
    )

    def __init__(self) -> None:
        super().__init__()
        load_all()
        for type_name, _version in contracts():
            if type_name.partition(".")[0] in SOURCE_SERVICES:
                self._handlers[type_name] = self.keep

    def keep(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if not envelope.unit_id:
            return
        tx.execute(
            "INSERT INTO handoff_events (service, position, event_type, group_id, unit_id, distribution,"
            " stream_id, occurred_at, body) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (service, position) DO NOTHING",
            (
                envelope.service, envelope.position, envelope.type, envelope.group_id, envelope.unit_id,
                envelope.distribution, envelope.stream_id, envelope.occurred_at.isoformat(),
                envelope.to_bytes().decode("utf-8"),
            ),
        )
