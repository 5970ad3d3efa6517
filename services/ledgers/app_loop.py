"""The closed loop's commands: scheduling rounds (调度), reconciliation (对账) and the deadline scheduler."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.common.application import command
from services.common.errors import InvalidInputError
from services.ledgers.base import LedgersBase
from services.ledgers.deadlines import DeadlineRule
from services.ledgers.domain.items import LedgerItem
from services.ledgers.domain.loop import (
    MasterLedger,
    Reconciliation,
    SchedulingRound,
    compare,
    normalize_reference,
)
from services.ledgers.domainmodel import Directive
from services.ledgers.vocab import REPORTED_STATUSES


class LoopCommands(LedgersBase):
    @command
    def open_scheduling_round(
        self,
        group_id: str,
        unit_id: str,
        subject: str,
        directive_ids: list[str],
        respond_by: DeadlineRule | dict[str, Any] | date,
    ) -> dict[str, Any]:
        """Ask the unit for progress on these directives by a date (定期调度进展成效)."""
        SchedulingRound.check_opening(subject, directive_ids)
        for directive_id in directive_ids:
            directive: Directive = self.load(directive_id, Directive)
            directive.check_not_withdrawn()
            if directive.unit_id != unit_id or directive.group_id != group_id:
                raise InvalidInputError("批示件不属于该单位 (directive of another unit)", code="foreign_directive")
        rule, due_on = self.deadline(respond_by)
        assert rule is not None and due_on is not None
        round_ = SchedulingRound(group_id=group_id, unit_id=unit_id, subject=subject.strip(),
                                 directive_ids=list(directive_ids), respond_by_rule=rule, respond_by=due_on,
                                 requested_on=self.today())
        return {"round_id": str(round_.id), "respond_by": due_on.isoformat(), "position": self.record(round_)}

    @command
    def record_round_response(self, round_id: str, directive_id: str, status: str, summary: str) -> dict[str, Any]:
        """Record the unit's answer for one directive of a scheduling round."""
        round_: SchedulingRound = self.load(round_id, SchedulingRound)
        round_.check_response(directive_id, status, summary)
        round_.record_response(directive_id=directive_id, status=status, summary=summary.strip(),
                               responded_on=self.today())
        return {"round_id": round_id, "position": self.record(round_)}

    @command
    def close_scheduling_round(self, round_id: str, note: str = "") -> dict[str, Any]:
        """End a scheduling round."""
        round_: SchedulingRound = self.load(round_id, SchedulingRound)
        round_.check_close()
        round_.close(note=note)
        return {"round_id": round_id, "position": self.record(round_)}

    def new_reconciliation(
        self, group_id: str, unit_id: str, report_id: str, period: str, items: list[dict[str, Any]]
    ) -> Reconciliation | None:
        """Compare the unit's master ledger with a report's items; None if this report was reconciled."""
        if Reconciliation.create_id(report_id) in self.repository:
            return None
        reported: dict[str, dict[str, Any]] = {}
        for row in items:
            if row["status"] not in REPORTED_STATUSES:
                raise InvalidInputError(f"未知状态 (unknown status): {row['status']}", code="unknown_status")
            reported[normalize_reference(row["reference_number"])] = {"title": row["title"], "status": row["status"]}
        ledger: dict[str, dict[str, Any]] = {}
        ledger_id = MasterLedger.create_id(unit_id)
        if ledger_id in self.repository:
            master: MasterLedger = self.repository.get(ledger_id)
            for reference, directive_id in master.entries.items():
                directive: Directive = self.load(directive_id, Directive)
                ledger[reference] = {"directive_id": directive_id, "title": directive.title,
                                     "status": directive.status}
        findings = compare(ledger, reported)
        matched = sum(1 for ref in set(ledger) & set(reported) if ledger[ref]["status"] == reported[ref]["status"])
        return Reconciliation(group_id=group_id, unit_id=unit_id, report_id=report_id, period=period,
                              compared_on=self.today(), matched=matched, findings=findings)

    @command
    def reconcile(
        self, group_id: str, unit_id: str, report_id: str, period: str, items: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """Reconcile (对账) the master ledger with a supervision report entered by hand."""
        reconciliation = self.new_reconciliation(group_id, unit_id, report_id, period, items)
        if reconciliation is None:
            raise InvalidInputError("该专报已对账 (report already reconciled)", code="already_reconciled")
        return {"reconciliation_id": str(reconciliation.id), "findings": len(reconciliation.findings),
                "position": self.record(reconciliation)}

    @command
    def resolve_finding(self, reconciliation_id: str, index: int, note: str) -> dict[str, Any]:
        """Record how a reconciliation finding was dealt with."""
        reconciliation: Reconciliation = self.load(reconciliation_id, Reconciliation)
        reconciliation.check_resolution(index, note)
        reconciliation.resolve_finding(index=index, note=note.strip(), resolved_on=self.today())
        return {"reconciliation_id": reconciliation_id, "position": self.record(reconciliation)}

    @command
    def run_scheduler(self) -> dict[str, Any]:
        """Record Overdue / LookBackDue events for every deadline that has passed (once each)."""
        today = self.today()
        changed: list[Any] = []
        counts = {"stages_overdue": 0, "items_overdue": 0, "look_backs_due": 0, "rounds_overdue": 0}
        index = self.index
        for directive_id in index.ids["directive"]:
            directive: Directive = self.load(directive_id, Directive)
            stages = directive.overdue_stages(today)
            for stage in stages:
                directive.mark_stage_overdue(stage=stage, due_on=directive.stage_deadlines[stage]["due_on"],
                                             detected_on=today)
                counts["stages_overdue"] += 1
            if stages:
                changed.append(directive)
        for item_id in index.ids["item"]:
            item: LedgerItem = self.load(item_id, LedgerItem)
            touched = False
            if item.is_overdue_unmarked(today):
                assert item.due_on is not None
                item.mark_overdue(due_on=item.due_on, detected_on=today)
                counts["items_overdue"] += 1
                touched = True
            if item.is_look_back_due_unmarked(today):
                assert item.look_back_due_on is not None
                item.mark_look_back_due(due_on=item.look_back_due_on, detected_on=today)
                counts["look_backs_due"] += 1
                touched = True
            if touched:
                changed.append(item)
        for round_id in index.ids["round"]:
            round_: SchedulingRound = self.load(round_id, SchedulingRound)
            if round_.is_overdue_unmarked(today):
                round_.mark_overdue(due_on=round_.respond_by, detected_on=today, missing=round_.missing)
                counts["rounds_overdue"] += 1
                changed.append(round_)
        position = self.record(*changed) if changed else self.max_position()
        return counts | {"position": position}
