"""Ledgers application: the master and detail ledgers, the four lists, the closed loop, reviews, spreadsheets.

Each handler module holds the commands and queries of one part (their operations are in interface.py);
records.py the look-ups and record factories they share; policies.py the reactions to other services.
"""

from __future__ import annotations

import authz.rules_ledgers  # noqa: F401  (the rules this service checks its records against, in every process)
import authz.rules_platform  # noqa: F401  (the calendar rules: the ledgers service owns the calendar)
from services.common.application import query, snapshot_every
from services.common.case_history import CaseEvents, case_events
from services.common.forensics import ReplayResult, replay
from services.common.integrity import CheckpointLog
from services.ledgers.accountability import AccountabilityHandlers
from services.ledgers.calendar import CalendarHandlers
from services.ledgers.directives import DirectiveHandlers, directive_view
from services.ledgers.domain.accountability import Accountability
from services.ledgers.domain.config import GroupLedgerConfig
from services.ledgers.domain.items import LedgerItem
from services.ledgers.domain.loop import Reconciliation, ReferenceReservation, SchedulingRound
from services.ledgers.domainmodel import Directive
from services.ledgers.interface import ForensicHistory, ForensicReplay
from services.ledgers.items import ItemHandlers, item_view
from services.ledgers.loop import LoopHandlers
from services.ledgers.policies import Policies
from services.ledgers.reviews import ReviewHandlers, review_view
from services.ledgers.spreadsheets import SpreadsheetHandlers


class LedgersApplication(
    DirectiveHandlers, ItemHandlers, LoopHandlers, ReviewHandlers, SpreadsheetHandlers, CalendarHandlers, Policies,
    AccountabilityHandlers,
):
    """The ledgers service (台账): directives, four lists, stages, closed loop, evaluations, imports, reviews."""

    name = "ledgers"
    scheduler_command = "run_scheduler"
    snapshotting_intervals = snapshot_every(
        CheckpointLog, Directive, LedgerItem, GroupLedgerConfig, SchedulingRound, Reconciliation, ReferenceReservation,
        Accountability,
    )

    forensic_views = {"Directive": directive_view, "LedgerItem": item_view, "QuarterlyReview": review_view}
    """Record kind → the view its Get… query answers with (what a forensic replay shows as the state)."""

    @query
    def forensic_replay(self, q: ForensicReplay) -> ReplayResult:
        """A record's history and its state as of a moment (services.common.forensics); the use is recorded."""
        return replay(self, q, self.forensic_views)

    @query
    def forensic_history(self, q: ForensicHistory) -> CaseEvents:
        """The events of a case in this store that the caller may read (services.common.case_history)."""
        return case_events(self, q)
