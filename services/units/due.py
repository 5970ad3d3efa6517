"""Which units events set or settle a deadline the scheduler watches (the due-date index's rules)."""

from __future__ import annotations

from services.common.due_index import EVERY, DueRules, after
from services.units.outbound import OutboundItem

DUE_RULES: DueRules = {
    # an item sent to the unit is overdue the day after its deadline unless answered or withdrawn
    OutboundItem.Issued: lambda e: [("deadline", after(e.deadline))],
    OutboundItem.Answered: lambda e: [(EVERY, None)],
    OutboundItem.Overdue: lambda e: [(EVERY, None)],
    OutboundItem.Withdrawn: lambda e: [(EVERY, None)],
}
