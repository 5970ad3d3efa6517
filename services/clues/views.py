"""JSON shapes of clues and recommendations: facts (no content) and the content parts of a clue."""

from __future__ import annotations

from typing import Any

from events.plain import plain
from services.clues.domainmodel import Clue
from services.clues.recommendation import Recommendation


def clue_facts(clue: Clue) -> dict[str, Any]:
    """What a compartment member sees in a list, and what statistics use: no subject, no allegation text."""
    open_deadline = clue.open_deadline()
    return plain(
        {
            "clue_id": str(clue.id),
            "group_id": clue.group_id,
            "unit_id": clue.unit_id,
            "source": clue.source,
            "categories": clue.categories,
            "received_on": clue.received_on,
            "status": clue.status,
            "disposition": clue.disposition,
            "proposed_disposition": (clue.proposal or {}).get("disposition"),
            "four_forms": (clue.outcome or {}).get("four_forms"),
            "result": (clue.outcome or {}).get("result"),
            "open_deadline": open_deadline,
            "overdue": sorted(kind for kind, d in clue.deadlines.items() if d["overdue"]),
            "joint_screening_open": bool(clue.joint_screening and clue.joint_screening["open"]),
            "version": clue.version,
        }
    )


def clue_parts(clue: Clue, parts: list[str]) -> dict[str, Any]:
    """The requested content parts of a clue."""
    content: dict[str, Any] = {}
    if "subject" in parts:
        content["subject"] = clue.subject
        content["referral"] = clue.referral
    if "allegations" in parts:
        content["allegations"] = {"categories": clue.categories, "summary": clue.summary}
    if "notes" in parts:
        content["notes"] = {
            "assessments": clue.notes,
            "screenings": clue.screenings,
            "proposal": clue.proposal,
            "decisions": clue.decisions,
            "inquiry": clue.inquiry,
            "verification": clue.verification,
            "outcome": clue.outcome,
            "reopenings": clue.reopenings,
            "joint_screening": clue.joint_screening,
            "recommendation_ids": clue.recommendation_ids,
            "members": clue.members,
        }
    if "documents" in parts:
        content["documents"] = clue.documents
    return plain(content)


def recommendation_view(recommendation: Recommendation) -> dict[str, Any]:
    return plain(
        {
            "recommendation_id": str(recommendation.id),
            "group_id": recommendation.group_id,
            "unit_id": recommendation.unit_id,
            "reference_number": recommendation.reference_number,
            "title": recommendation.title,
            "problems": recommendation.problems,
            "recommendations": recommendation.recommendations,
            "responsible_department": recommendation.responsible_department,
            "deadline": recommendation.deadline,
            "status": recommendation.status,
            "issued_on": recommendation.issued_on,
            "responses": recommendation.responses,
            "closure": recommendation.closure,
            "overdue": recommendation.overdue,
            "version": recommendation.version,
        }
    )
