"""Which inspections events set or settle a deadline the scheduler watches (the due-date index's rules):
information requests to answer, and rectification items handed over to complete, each overdue the day after
its deadline."""

from __future__ import annotations

from services.common.due_index import AGAIN, DueRules, after
from services.inspections.domainmodel import InspectionRound

DUE_RULES: DueRules = {
    InspectionRound.InformationRequested: lambda e: [(f"request:{e.request_id}", after(e.deadline))],
    InspectionRound.InformationAnswered: lambda e: [(f"request:{e.request_id}", None)],
    InspectionRound.InformationRequestOverdue: lambda e: [(f"request:{e.request_id}", None)],
    InspectionRound.FindingHandedOver: lambda e: [(f"item:{e.finding_id}", after(e.deadline))],
    InspectionRound.RectificationProgressRecorded: lambda e: [(f"item:{e.finding_id}", None)] if e.completed else [],
    InspectionRound.RectificationItemOverdue: lambda e: [(f"item:{e.finding_id}", None)],
    # a look-back that finds the rectification was not real reopens the item, under its old deadline
    InspectionRound.LookBackCompleted: lambda e: [(f"item:{finding_id}", AGAIN) for finding_id in e.reopened],
}
