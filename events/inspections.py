"""Integration-event contracts of the inspection coordination service."""

from __future__ import annotations

from datetime import date

from events.registry import Contract, contract


@contract("inspections.ClueReferred", 1)
class ClueReferred(Contract):
    """An inspection team (or a supervision activity) refers a clue to the group.

    The content (subject, allegations, summary) is sealed for the clues service (`events.sealed`):
    only ciphertext travels.
    """

    referral_id: str
    round_id: str | None
    activity_id: str | None
    sealed_content: str


@contract("inspections.RectificationItemHandedOver", 1)
class RectificationItemHandedOver(Contract):
    """A finding after an inspection round (or of a supervision activity) becomes a rectification item."""

    item_id: str
    round_id: str | None
    activity_id: str | None
    title: str
    description: str
    problem_type: str
    """one of the seed's typology, see DOMAIN.md (empty_statements, perfunctory, ...) or other"""
    responsible_department: str
    deadline: date
