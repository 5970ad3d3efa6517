"""Which ledgers events set, move or settle a deadline the scheduler watches (the due-date index's rules)."""

from __future__ import annotations

from services.common.due_index import EVERY, DueRules, after
from services.ledgers.domain.items import LedgerItem
from services.ledgers.domain.loop import SchedulingRound
from services.ledgers.domainmodel import Directive

DUE_RULES: DueRules = {
    # a stage is overdue the day after its deadline unless recorded first
    Directive.StageDeadlineSet: lambda e: [(f"stage:{e.stage}", after(e.due_on))],
    Directive.StageDeadlineRecomputed: lambda e: [(f"stage:{e.stage}", after(e.new_due_on))],  # a newer calendar
    Directive.StageRecorded: lambda e: [(f"stage:{e.stage}", None)],
    Directive.StageOverdue: lambda e: [(f"stage:{e.stage}", None)],
    Directive.Withdrawn: lambda e: [(EVERY, None)],
    # an item is overdue the day after its deadline unless closed; its look-back is due on its date
    LedgerItem.Opened: lambda e: [("deadline", after(e.due_on))],
    LedgerItem.DeadlineSet: lambda e: [("deadline", after(e.due_on))],
    LedgerItem.DeadlineRecomputed: lambda e: [("deadline", after(e.new_due_on))],
    LedgerItem.Overdue: lambda e: [("deadline", None)],
    LedgerItem.Closed: lambda e: [("deadline", None), ("look_back", e.look_back_due_on)],
    LedgerItem.LookBackRecomputed: lambda e: [("look_back", e.new_due_on)],
    LedgerItem.LookBackDue: lambda e: [("look_back", None)],
    LedgerItem.LookBackConfirmed: lambda e: [("look_back", None)],
    LedgerItem.Reopened: lambda e: [("look_back", None), ("deadline", after(e.due_on))],
    # a scheduling round is overdue the day after its date unless every answer came or it was closed
    SchedulingRound.Opened: lambda e: [("respond", after(e.respond_by))],
    SchedulingRound.DeadlineRecomputed: lambda e: [("respond", after(e.new_due_on))],
    SchedulingRound.Overdue: lambda e: [("respond", None)],
    SchedulingRound.Closed: lambda e: [("respond", None)],
}
