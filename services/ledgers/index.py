"""An in-process index over the service's own notification log (ids by kind, directives by unit, items by
directive and source).

The log is append-only, so the index catches up incrementally before each use; it holds only ids and
is rebuilt from the log on start, so it never disagrees with the event store.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

from eventsourcing.utils import get_topic

from services.ledgers.domain.imports import ImportBatch
from services.ledgers.domain.items import LedgerItem
from services.ledgers.domain.loop import Reconciliation, SchedulingRound
from services.ledgers.domain.reviews import QuarterlyReview
from services.ledgers.domainmodel import Directive

_KINDS = {
    get_topic(Directive.Registered): "directive",
    get_topic(LedgerItem.Opened): "item",
    get_topic(SchedulingRound.Opened): "round",
    get_topic(Reconciliation.Recorded): "reconciliation",
    get_topic(ImportBatch.Recorded): "import",
    get_topic(QuarterlyReview.Held): "review",
}
BATCH = 500


class LedgerIndex:
    def __init__(self, app: Any) -> None:
        self._app = app
        self._position = 0
        self._lock = threading.Lock()
        self.ids: dict[str, list[str]] = defaultdict(list)
        self.items_by_directive: dict[str, list[str]] = defaultdict(list)
        self.items_by_source_ref: dict[str, list[str]] = defaultdict(list)
        self.directives_by_unit: dict[str, list[str]] = defaultdict(list)

    def catch_up(self) -> LedgerIndex:
        with self._lock:
            recorder = self._app.recorder
            while True:
                batch = recorder.select_notifications(start=self._position + 1, limit=BATCH)
                for notification in batch:
                    self._position = notification.id
                    kind = _KINDS.get(notification.topic)
                    if kind is None:
                        continue
                    aggregate_id = str(notification.originator_id)
                    self.ids[kind].append(aggregate_id)
                    if kind == "directive":
                        registered = self._app.mapper.to_domain_event(notification)
                        self.directives_by_unit[registered.unit_id].append(aggregate_id)
                    elif kind == "item":
                        opened = self._app.mapper.to_domain_event(notification)
                        if opened.directive_id:
                            self.items_by_directive[opened.directive_id].append(aggregate_id)
                        if opened.source_ref:
                            self.items_by_source_ref[opened.source_ref].append(aggregate_id)
                if len(batch) < BATCH:
                    return self
