"""As-of state for the store tools: a record rebuilt from its events up to a moment, and the difference between
two moments. The rules (time axes, which events count, rebuilding, the service's view) are the services' own
(`services.common.forensics`): `paizhu replay` answers what the service's ForensicReplay query answers.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from paizhu.forensics.history import Case, CaseEvent
from services.common.forensics import Axis, admitted, diff, rebuild, show

__all__ = ["Axis", "Moment", "diff", "rebuild_as_of"]


@dataclass
class Moment:
    """Which events of the record count: up to a version, a log position, or a time on one axis."""

    version: int | None = None
    position: int | None = None
    at: str | None = None
    """an ISO date or datetime"""
    axis: Axis = Axis.recorded

    def admits(self, event: CaseEvent) -> bool:
        if self.position is not None and event.position > self.position:
            return False
        return admitted(event.fields, event.version, up_to_version=self.version, at=self.at, axis=self.axis)


def rebuild_as_of(app: Any, case: Case, moment: Moment) -> tuple[dict[str, Any] | None, list[CaseEvent]]:
    """The record as of the moment, shown as its service shows it (None: it did not exist yet), and the events
    that made it so."""
    chosen = [e for e in case.events if e.stream_id == case.record_id and moment.admits(e)]
    aggregate = rebuild(app, uuid.UUID(case.record_id), [e.version for e in chosen])
    return show(aggregate, app.forensic_views), chosen
