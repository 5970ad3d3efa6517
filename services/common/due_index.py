"""The deadlines a scheduler watches: (wake date, record id, slot), kept from the service's own log.

A scheduler used to load every record of its kinds on every sweep. Instead, each event that sets, moves or
settles a deadline says so through a rule (`DueRules`): a slot of the record (a stage, the item's deadline,
its look-back) wakes on a date, or is settled. The index reads the notification log incrementally, only the
topics of its rules, so it is written in the same transaction as the events themselves (it *is* the log),
holds only ids and dates, and is rebuilt from the log on start. A sweep loads only the records with a slot
awake today; the ones it looked at are told back (`handled`), so a slot the domain found nothing to do for
(say, a stage recorded the day it fell due) is not loaded again until a new event sets it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.utils import get_topic

AGAIN = "again"
Wake = tuple[str, date | str | None]
"""(slot, the date it wakes on); None settles the slot; the slot `EVERY` with None settles them all; `AGAIN`
sets the slot to the date it was last set to (a reopened item whose deadline the event does not repeat)."""
DueRule = Callable[[Any], Iterable[Wake]]
DueRules = dict[type[Any], DueRule]
EVERY = "*"
BATCH = 500


def after(day: date | None) -> date | None:
    """The first day a deadline counts as passed (overdue the day after it falls due)."""
    return None if day is None else day + timedelta(days=1)


class DueIndex:
    """Which records have a deadline to look at on a day, without loading any record."""

    def __init__(self, app: Application[UUID], rules: DueRules) -> None:
        self._app = app
        self._rules = {get_topic(event_class): rule for event_class, rule in rules.items()}
        self._wake: dict[UUID, dict[str, date]] = {}
        self._last: dict[tuple[UUID, str], date] = {}
        self._position = 0
        self._lock = threading.Lock()

    def _catch_up(self) -> None:
        topics = list(self._rules)
        while True:
            batch = self._app.recorder.select_notifications(start=self._position + 1, limit=BATCH, topics=topics)
            for notification in batch:
                self._position = notification.id
                event = self._app.mapper.to_domain_event(notification)
                slots = self._wake.setdefault(event.originator_id, {})
                for slot, wake in self._rules[notification.topic](event):
                    if slot == EVERY and wake is None:
                        slots.clear()
                    elif wake is None:
                        slots.pop(slot, None)
                    elif wake == AGAIN:
                        last = self._last.get((event.originator_id, slot))
                        if last is not None:
                            slots[slot] = last
                    elif isinstance(wake, date):
                        slots[slot] = self._last[(event.originator_id, slot)] = wake
                if not slots:
                    del self._wake[event.originator_id]
            if len(batch) < BATCH:
                return

    def due(self, today: date) -> list[UUID]:
        """Ids of the records with a slot awake on `today`, in the order their deadlines were first set."""
        with self._lock:
            self._catch_up()
            return [record_id for record_id, slots in self._wake.items() if min(slots.values()) <= today]

    def handled(self, record_ids: Iterable[UUID | str], today: date) -> None:
        """The sweep of `today` looked at these records and recorded what was due: their slots awake today
        sleep until an event sets them again."""
        with self._lock:
            for record_id in record_ids:
                key = UUID(str(record_id))
                slots = self._wake.get(key, {})
                for slot in [s for s, wake in slots.items() if wake <= today]:
                    del slots[slot]
                if not slots:
                    self._wake.pop(key, None)

    def pending(self) -> int:
        """How many records have a deadline still to come or to look at (for tests and metrics)."""
        with self._lock:
            self._catch_up()
            return len(self._wake)
