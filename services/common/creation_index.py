"""Ids of aggregates by the event that created them, read incrementally from the notification log.

The services' own scans (schedulers, policies, the lists read models have not taken over yet) use it
through `ServiceApplication.created_ids`.
"""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.utils import get_topic


class CreationIndex:
    """The listing queries' source until read models replace them: every aggregate created by an event type."""

    def __init__(self, app: Application[UUID]) -> None:
        self._app = app
        self._ids: dict[str, list[UUID]] = {}
        self._positions: dict[str, int] = {}
        self._lock = threading.Lock()

    def ids(self, created_event: type[Any]) -> list[UUID]:
        topic = get_topic(created_event)
        with self._lock:
            found = self._ids.setdefault(topic, [])
            position = self._positions.get(topic, 0)
            while True:
                batch = self._app.recorder.select_notifications(
                    start=position + 1, limit=500, topics=[topic]
                )
                if not batch:
                    break
                found.extend(n.originator_id for n in batch)  # type: ignore[misc]
                position = batch[-1].id
            self._positions[topic] = position
            return list(found)
