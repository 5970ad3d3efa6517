"""The closed loop: scheduling rounds (调度), reconciliations (对账) and the deadline scheduler; their views."""

from __future__ import annotations

from typing import Any

from services.common.application import command, query
from services.common.context import current
from services.common.errors import InvalidInputError, NotFoundError
from services.ledgers.deadlines import plain
from services.ledgers.domain.items import LedgerItem
from services.ledgers.domain.loop import LEGACY_ANSWERER, Reconciliation, SchedulingRound, answerer
from services.ledgers.domainmodel import Directive
from services.ledgers.interface import (
    CloseSchedulingRound,
    GetReconciliation,
    GetSchedulingRound,
    OpenSchedulingRound,
    Reconcile,
    ReconciliationChanged,
    ReconciliationRecorded,
    ReconciliationView,
    RecordRoundResponse,
    ResolveFinding,
    RoundOpened,
    RoundRecorded,
    RoundView,
    RunScheduler,
    SchedulerRun,
)
from services.ledgers.records import GroupRecords, LedgerRecords


def round_view(round_: SchedulingRound, directives: list[dict[str, Any]] | None = None) -> RoundView:
    """A round as its readers see it; `directives`: what the round asks about (reference number and title),
    so the unit knows what to answer without reading the ledger."""
    responses = {d: {**r, "answered_by": r.get("answered_by") or LEGACY_ANSWERER} for d, r in round_.responses.items()}
    return RoundView.model_validate(plain({
        "round_id": str(round_.id), "group_id": round_.group_id, "unit_id": round_.unit_id,
        "subject": round_.subject, "directive_ids": round_.directive_ids, "respond_by": round_.respond_by,
        "respond_by_rule": round_.respond_by_rule, "requested_on": round_.requested_on,
        "responses": responses, "missing": round_.missing, "overdue_on": round_.overdue_on,
        "closed": round_.closed, "distribution": round_.default_distribution,
        "directives": directives or [{"directive_id": d, "reference_number": None, "title": None}
                                     for d in round_.directive_ids],
        "unmatched_reports": list(round_.unmatched_reports),
    }))


def reconciliation_view(reconciliation: Reconciliation) -> ReconciliationView:
    return ReconciliationView.model_validate(plain({
        "reconciliation_id": str(reconciliation.id), "group_id": reconciliation.group_id,
        "unit_id": reconciliation.unit_id, "report_id": reconciliation.report_id,
        "period": reconciliation.period, "compared_on": reconciliation.compared_on,
        "matched": reconciliation.matched, "findings": reconciliation.findings,
        "distribution": reconciliation.default_distribution,
    }))


class LoopHandlers(LedgerRecords):
    @command
    def open_scheduling_round(self, c: OpenSchedulingRound) -> RoundOpened:
        """Ask the unit for progress on these directives by a date (定期调度进展成效)."""
        SchedulingRound.check_opening(c.subject, list(c.directive_ids))
        for directive_id in c.directive_ids:
            directive: Directive = self.load(directive_id, Directive)
            directive.check_not_withdrawn()
            if directive.unit_id != c.unit_id or directive.group_id != c.group_id:
                raise InvalidInputError("批示件不属于该单位 (directive of another unit)", code="foreign_directive")
        rule, due_on = self.required_deadline(c.respond_by)
        round_ = SchedulingRound.open(group_id=c.group_id, unit_id=c.unit_id, subject=c.subject,
                                      directive_ids=list(c.directive_ids), respond_by_rule=rule, respond_by=due_on,
                                      requested_on=self.today())
        return RoundOpened(round_id=str(round_.id), respond_by=due_on, position=self.record(round_))

    @command
    def record_round_response(self, c: RecordRoundResponse) -> RoundRecorded:
        """Record the answer for one directive of a scheduling round: the unit's liaison answers its own unit's
        round, or the group enters the unit's answer on its behalf (the event records which)."""
        round_: SchedulingRound = self.load(c.round_id, SchedulingRound)
        context = current()
        round_.record_response(directive_id=c.directive_id, status=c.status, summary=c.summary,
                               responded_on=self.today(), answered_by=answerer(context.principal, context.actor))
        return RoundRecorded(round_id=c.round_id, position=self.record(round_))

    @command
    def close_scheduling_round(self, c: CloseSchedulingRound) -> RoundRecorded:
        """End a scheduling round."""
        round_: SchedulingRound = self.load(c.round_id, SchedulingRound)
        round_.close(note=c.note)
        return RoundRecorded(round_id=c.round_id, position=self.record(round_))

    @command
    def reconcile(self, c: Reconcile) -> ReconciliationRecorded:
        """Reconcile (对账) the master ledger with a supervision report entered by hand."""
        self.authorize(GroupRecords(c.group_id, c.unit_id), created=True)
        rows = [row.model_dump() for row in c.items]
        reconciliation = self.new_reconciliation(c.group_id, c.unit_id, c.report_id, c.period, rows)
        if reconciliation is None:
            raise InvalidInputError("该专报已对账 (report already reconciled)", code="already_reconciled")
        return ReconciliationRecorded(reconciliation_id=str(reconciliation.id),
                                      findings=len(reconciliation.findings), position=self.record(reconciliation))

    @command
    def resolve_finding(self, c: ResolveFinding) -> ReconciliationChanged:
        """Record how a reconciliation finding was dealt with."""
        reconciliation: Reconciliation = self.load(c.reconciliation_id, Reconciliation)
        reconciliation.resolve_finding(index=c.index, note=c.note, resolved_on=self.today())
        return ReconciliationChanged(reconciliation_id=c.reconciliation_id, position=self.record(reconciliation))

    @command
    def run_scheduler(self, c: RunScheduler) -> SchedulerRun:
        """Record Overdue / LookBackDue events for every deadline that has passed (once each)."""
        today = self.today()
        changed: list[Any] = []
        counts = {"stages_overdue": 0, "items_overdue": 0, "look_backs_due": 0, "rounds_overdue": 0}
        due = self.due_index.due(today)  # only the records with a deadline to look at today
        for record_id in due:
            record: Any = self.repository.get(record_id)
            if isinstance(record, Directive):
                stages = record.overdue_stages(today)
                for stage in stages:
                    record.mark_stage_overdue(stage=stage, detected_on=today)
                    counts["stages_overdue"] += 1
                if stages:
                    changed.append(record)
            elif isinstance(record, LedgerItem):
                touched = False
                if record.is_overdue_unmarked(today):
                    record.mark_overdue(detected_on=today)
                    counts["items_overdue"] += 1
                    touched = True
                if record.is_look_back_due_unmarked(today):
                    record.mark_look_back_due(detected_on=today)
                    counts["look_backs_due"] += 1
                    touched = True
                if touched:
                    changed.append(record)
            elif isinstance(record, SchedulingRound) and record.is_overdue_unmarked(today):
                record.mark_overdue(detected_on=today)
                counts["rounds_overdue"] += 1
                changed.append(record)
        position = self.record(*changed) if changed else self.max_position()
        self.due_index.handled(due, today)
        return SchedulerRun(position=position, **counts)

    # -- queries ---------------------------------------------------------------------------
    @query
    def get_scheduling_round(self, q: GetSchedulingRound) -> RoundView:
        round_: SchedulingRound = self.load(q.round_id, SchedulingRound)
        return round_view(round_, [self._asked(directive_id) for directive_id in round_.directive_ids])

    def _asked(self, directive_id: str) -> dict[str, Any]:
        """A directive a round asks about, as the round shows it (loaded without the reader's permission: the
        round's reader may read the round, and the unit notified the directive itself)."""
        try:
            directive = self.get(directive_id, Directive)
        except NotFoundError:
            return {"directive_id": directive_id, "reference_number": None, "title": None}
        return {"directive_id": directive_id, "reference_number": directive.reference_number,
                "title": directive.title}

    @query
    def get_reconciliation(self, q: GetReconciliation) -> ReconciliationView:
        return reconciliation_view(self.load(q.reconciliation_id, Reconciliation))
