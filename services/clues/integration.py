"""Clues domain events -> published integration events: statistics-safe facts only.

Redaction is by construction: each map function builds its contract from ids, codes, statuses and dates,
never from the subject, the summary, notes, reasons or documents. A clue's domain events are distributed
to its compartment; what is published about them goes to the group and HQ (`hq`), never to the unit.
"""

from __future__ import annotations

from typing import Any

from events import clues as contracts
from services.clues.domainmodel import DISPOSITION_STATUS, Clue
from services.clues.recommendation import Recommendation
from services.common.integration import IntegrationMapper, Published

PUBLISHED_CLUE_DISTRIBUTION = "hq"


def published_distribution(recorded: str) -> str:
    """Compartmented clue events are published with distribution `hq` (their facts, not their content)."""
    return PUBLISHED_CLUE_DISTRIBUTION if recorded.startswith("compartment:") else recorded


mapper = IntegrationMapper("clues", published_distribution)


def _clue_id(event: Any) -> str:
    return str(event.originator_id)


@mapper.maps(Clue.Registered, publishes=contracts.ClueRegistered)
def clue_registered(event: Any) -> Published:
    return Published(
        contracts.ClueRegistered(
            clue_id=_clue_id(event),
            source=event.source,
            categories=list(event.categories),
            key_person=bool(event.subject.get("key_person")),
            received_on=event.received_on,
            status=event.status,
            referral_id=(event.referral or {}).get("referral_id"),
            round_id=(event.referral or {}).get("round_id"),
            disposition_due_on=event.disposition_due_on,
            compartment=sorted(event.members),
        )
    )


def _status(event: Any, step: str, **facts: Any) -> Published:
    values: dict[str, Any] = {"disposition": None, "four_forms": None, "result": None, "due_on": None,
                              "deadline": None, "compartment_added": []}
    values.update(facts)
    if values["due_on"] is None:
        values["deadline"] = None
    return Published(contracts.ClueStatusChanged(clue_id=_clue_id(event), status=event.status, step=step,
                                                 **values))


@mapper.maps(Clue.Accepted, publishes=contracts.ClueStatusChanged)
def clue_accepted(event: Any) -> Published:
    return _status(event, "accepted", due_on=event.due_on, deadline="disposition",
                   compartment_added=sorted(event.members))


@mapper.maps(Clue.Reopened, publishes=contracts.ClueStatusChanged)
def clue_reopened(event: Any) -> Published:
    return _status(event, "reopened", due_on=event.due_on, deadline="disposition")


@mapper.maps(Clue.DispositionProposed, publishes=contracts.ClueStatusChanged)
def disposition_proposed(event: Any) -> Published:
    return _status(event, "proposed", disposition=event.disposition)


@mapper.maps(Clue.DispositionDecided, publishes=contracts.ClueStatusChanged)
def disposition_decided(event: Any) -> Published:
    result = "closed" if event.approved and DISPOSITION_STATUS.get(event.disposition or "") == "closed" else None
    return _status(event, "decided" if event.approved else "declined", disposition=event.disposition,
                   due_on=event.due_on, deadline=event.deadline, result=result)


@mapper.maps(Clue.InquiryRecorded, publishes=contracts.ClueStatusChanged)
def inquiry_recorded(event: Any) -> Published:
    return _status(event, "inquiry", disposition="inquiry", due_on=event.due_on, deadline="inquiry_reply")


@mapper.maps(Clue.InquiryReplied, publishes=contracts.ClueStatusChanged)
def inquiry_replied(event: Any) -> Published:
    return _status(event, "reply", disposition="inquiry")


@mapper.maps(Clue.VerificationReported, publishes=contracts.ClueStatusChanged)
def verification_reported(event: Any) -> Published:
    return _status(event, "verification", disposition="preliminary_verification")


@mapper.maps(Clue.Concluded, publishes=contracts.ClueStatusChanged)
def concluded(event: Any) -> Published:
    return _status(event, "concluded", four_forms=event.four_forms, result=event.result)


@mapper.maps(Clue.MemberAdded, publishes=contracts.ClueCompartmentChanged)
def member_added(event: Any) -> Published:
    return Published(contracts.ClueCompartmentChanged(clue_id=_clue_id(event), added=[event.user], removed=[]))


@mapper.maps(Clue.MemberRemoved, publishes=contracts.ClueCompartmentChanged)
def member_removed(event: Any) -> Published:
    return Published(contracts.ClueCompartmentChanged(clue_id=_clue_id(event), added=[], removed=[event.user]))


@mapper.maps(Clue.JointScreeningShared, publishes=contracts.ClueJointScreeningChanged)
def joint_shared(event: Any) -> Published:
    return Published(contracts.ClueJointScreeningChanged(clue_id=_clue_id(event), open=True))


@mapper.maps(Clue.JointScreeningConcluded, publishes=contracts.ClueJointScreeningChanged)
def joint_concluded(event: Any) -> Published:
    return Published(contracts.ClueJointScreeningChanged(clue_id=_clue_id(event), open=False))


@mapper.maps(Clue.DeadlineOverdue, publishes=contracts.ClueOverdue)
def clue_overdue(event: Any) -> Published:
    return Published(contracts.ClueOverdue(clue_id=_clue_id(event), deadline=event.deadline, due_on=event.due_on))


mapper.copies(Recommendation.Issued, contracts.RecommendationIssued, id_field="recommendation_id")
mapper.copies(Recommendation.Drafted, contracts.RecommendationDrafted, id_field="recommendation_id")


@mapper.maps(Recommendation.ResponseRecorded, publishes=contracts.RecommendationResponseRecorded)
def recommendation_response(event: Any) -> Published:
    return Published(
        contracts.RecommendationResponseRecorded(
            recommendation_id=str(event.originator_id), report_id=event.report_id, summary=event.summary,
            completed=event.completed, received_on=event.received_on,
        )
    )


@mapper.maps(Recommendation.Closed, publishes=contracts.RecommendationClosed)
def recommendation_closed(event: Any) -> Published:
    return Published(
        contracts.RecommendationClosed(recommendation_id=str(event.originator_id), closed_on=event.closed_on,
                                       evidence=event.evidence)
    )


@mapper.maps(Recommendation.Overdue, publishes=contracts.RecommendationOverdue)
def recommendation_overdue(event: Any) -> Published:
    return Published(
        contracts.RecommendationOverdue(recommendation_id=str(event.originator_id), deadline=event.deadline)
    )
