"""Queries of the inspection-handoff read model: build (or rebuild) a round's briefing package."""

from __future__ import annotations

from typing import Any

from events.envelope import Envelope
from projections.common.db import Database
from projections.inspection_handoff.package import SOURCE_SERVICES, build_package, package_hash


class InspectionHandoffView:
    def __init__(self, db: Database) -> None:
        self.db = db

    def current_positions(self) -> dict[str, int]:
        """The positions per service the read model reflects now (what a package built now is 'as of')."""
        with self.db.transaction() as tx:
            rows = tx.fetchall(
                "SELECT service, position FROM projection_positions WHERE projection = %s",
                ("inspection_handoff",),
            )
        found = {str(service): int(position) for service, position in rows}
        return {service: found.get(service, 0) for service in SOURCE_SERVICES}

    def history(self, unit_id: str, positions: dict[str, int]) -> list[Envelope]:
        """The unit's events at or below the stated positions."""
        envelopes = []
        with self.db.transaction() as tx:
            for service, position in sorted(positions.items()):
                rows = tx.fetchall(
                    "SELECT body FROM handoff_events WHERE unit_id = %s AND service = %s AND position <= %s"
                    " ORDER BY position",
                    (unit_id, service, int(position)),
                )
                envelopes.extend(Envelope.from_bytes(str(row[0]).encode("utf-8")) for row in rows)
        return envelopes

    def build(
        self, round_id: str, unit_id: str, positions: dict[str, int] | None = None
    ) -> tuple[dict[str, Any], str]:
        """(package, SHA-256) as of `positions` (default: now). Rebuilding with the same positions is identical."""
        stated = dict(positions) if positions is not None else self.current_positions()
        package = build_package(self.history(unit_id, stated), round_id=round_id, unit_id=unit_id,
                                positions=stated)
        return package, package_hash(package)
