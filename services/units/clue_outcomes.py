"""A clue's final, shareable outcome tied to a cadre's integrity file (seed 000: 将…违规违纪问题的处理结论…体现在廉政
档案中), without clue content ever leaving the clues service.

The units service keeps, per clue, only what the clues service publishes (`ClueOutcome`: its compartment, its
result, disposition and four-forms codes, from `clues.ClueRegistered`, `ClueCompartmentChanged` and
`ClueStatusChanged`), so that a tie can be refused to whoever is not in the clue's compartment. The tie
(`ClueTie`) and everything published about it have the distribution `compartment:<clue_id>`: only the clue's
compartment ever reads it, in the integrity file as anywhere else.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import event

from authz import Scope
from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError

CLUE_NAMESPACE = uuid.UUID("9a0c5e71-3b2d-4f8e-a6c4-636c75657469")


class _Compartmented:
    """A record only the members of a clue's compartment may read (its `clue_id` and `compartment` are kept
    from its creation)."""

    def distribution_of(self, event_name: str) -> str:
        return f"compartment:{getattr(self, 'clue_id')}"  # noqa: B009 (set by the subclass's creation)

    def access_scope(self) -> Scope | None:
        return Scope(group_id=getattr(self, "group_id", None), unit_id=getattr(self, "unit_id", None),
                     compartment=frozenset(getattr(self, "compartment")),  # noqa: B009
                     distribution=self.distribution_of(""))


class ClueOutcome(_Compartmented, ChainedAggregate):
    """What the units service knows of a clue: its compartment and its final shareable outcome (no content)."""

    @staticmethod
    def create_id(clue_id: str) -> uuid.UUID:
        return uuid.uuid5(CLUE_NAMESPACE, f"clue:{clue_id}")

    @event("Registered")
    def __init__(self, group_id: str | None, unit_id: str | None, clue_id: str, compartment: list[str]) -> None:
        self._keep(locals())
        self.compartment: list[str] = list(compartment)
        self.result: str | None = None
        self.four_forms: int | None = None
        self.disposition: str | None = None
        self.concluded_on: date | None = None

    @event("CompartmentChanged")
    def change_compartment(self, added: list[str], removed: list[str]) -> None:
        self.compartment = sorted((set(self.compartment) | set(added)) - set(removed))

    @event("StatusChanged")
    def change_status(self, result: str | None, four_forms: int | None, disposition: str | None, on: date) -> None:
        self.result, self.four_forms, self.disposition = result, four_forms, disposition
        self.concluded_on = on if result is not None else None

    def final(self) -> dict[str, Any]:
        """The clue's final outcome; refused while the clue is not concluded."""
        if self.result is None or self.concluded_on is None:
            raise ConflictError("线索尚未办结，无最终处理结论 (the clue is not concluded)", code="clue_not_concluded")
        return {"result": self.result, "four_forms": self.four_forms, "disposition": self.disposition,
                "concluded_on": self.concluded_on}


class ClueTie(_Compartmented, ChainedAggregate):
    """A clue's final outcome tied to a person of the roster, by a member of the clue's compartment."""

    @staticmethod
    def create_id(clue_id: str, person_id: str) -> uuid.UUID:
        return uuid.uuid5(CLUE_NAMESPACE, f"tie:{clue_id}:{person_id}")

    @event("Tied")
    def __init__(self, group_id: str | None, unit_id: str | None, clue_id: str, compartment: list[str],
                 person_id: str, person_name: str, result: str, four_forms: int | None, disposition: str | None,
                 tied_on: date, tied_by: str) -> None:
        self._keep(locals())
