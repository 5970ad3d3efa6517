"""Integration-event contracts of the clues service. Only what dashboards may know travels here."""

from __future__ import annotations

from datetime import date

from events.registry import Contract, contract


@contract("clues.RecommendationIssued", 1)
class RecommendationIssued(Contract):
    """A supervision recommendation (纪检监察建议) for common, systemic problems, addressed to the unit.

    It names no clue and no person: it is the recommendation the unit must act on.
    """

    recommendation_id: str
    reference_number: str
    title: str
    problems: list[str]
    recommendations: list[str]
    responsible_department: str
    deadline: date
