"""Which clues events open, move or settle a statutory deadline the scheduler watches (the due-date index).

A deadline counts as passed the day after it falls due (`Clue.passed_deadlines`, `Recommendation.passed`)."""

from __future__ import annotations

from typing import Any

from services.clues.domainmodel import Clue
from services.clues.recommendation import Recommendation
from services.common.due_index import EVERY, DueRules, Wake, after


def _decided(e: Any) -> list[Wake]:
    wakes: list[Wake] = []
    if e.approved:
        wakes.append(("disposition", None))
        if e.status == "closed":
            wakes.append((EVERY, None))
        if e.deadline and e.due_on:
            wakes.append((e.deadline, after(e.due_on)))
    return wakes


DUE_RULES: DueRules = {
    Clue.Registered: lambda e: [("disposition", after(e.disposition_due_on))],
    Clue.DispositionDecided: _decided,
    Clue.InquiryRecorded: lambda e: [("inquiry_reply", after(e.due_on))],
    Clue.InquiryReplied: lambda e: [("inquiry_reply", None)],
    Clue.VerificationReported: lambda e: [("verification", None)],
    Clue.Concluded: lambda e: [(EVERY, None)],
    Clue.Reopened: lambda e: [(EVERY, None), ("disposition", after(e.due_on))],
    Clue.DeadlineRecomputed: lambda e: [(e.deadline, after(e.new_due_on))],  # counted again, a newer calendar
    Clue.DeadlineOverdue: lambda e: [(e.deadline, None)],
    Recommendation.Issued: lambda e: [("deadline", after(e.deadline))],
    Recommendation.Overdue: lambda e: [(EVERY, None)],
    Recommendation.Closed: lambda e: [(EVERY, None)],
}
