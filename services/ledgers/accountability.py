"""Accountability (执责必严、失责必问): commands and query (the aggregate: domain/accountability.py)."""

from __future__ import annotations

from services.common.application import command, query
from services.common.errors import InvalidInputError
from services.ledgers.deadlines import plain
from services.ledgers.domain.accountability import FORMS, Accountability
from services.ledgers.domain.items import LedgerItem
from services.ledgers.domainmodel import Directive
from services.ledgers.interface.accountability import (
    AccountabilityRecorded,
    AccountabilityView,
    DecideAccountability,
    GetAccountability,
    ProposeAccountability,
)
from services.ledgers.records import LedgerRecords


def accountability_view(a: Accountability) -> AccountabilityView:
    return AccountabilityView.model_validate(plain({
        "accountability_id": str(a.id), "group_id": a.group_id, "unit_id": a.unit_id,
        "directive_id": a.directive_id, "item_ids": a.item_ids, "person_id": a.person_id, "form": a.form,
        "form_label": FORMS[a.form], "failed_duty": a.failed_duty, "grounds": a.grounds,
        "proposed_by": a.proposed_by, "proposed_on": a.proposed_on, "status": a.status, "decision": a.decision,
        "distribution": a.default_distribution, "version": a.version,
    }))


class AccountabilityHandlers(LedgerRecords):
    @command
    def propose_accountability(self, c: ProposeAccountability) -> AccountabilityRecorded:
        """Propose accountability for a failed duty on a directive's items, against one person of the roster."""
        directive: Directive = self.load(c.directive_id, Directive)
        for item_id in c.item_ids:
            item: LedgerItem = self.load(item_id, LedgerItem)
            if item.directive_id != c.directive_id:
                raise InvalidInputError(f"事项不属于该指示批示 (the item is not on this directive): {item_id}",
                                        code="item_not_on_directive")
        accountability = Accountability.propose(
            group_id=directive.group_id, unit_id=directive.unit_id, directive_id=c.directive_id,
            item_ids=list(c.item_ids), person_id=c.person_id, form=c.form, failed_duty=c.failed_duty,
            grounds=c.grounds, proposed_by=self.actor_user(), proposed_on=self.today(),
        )
        return AccountabilityRecorded(accountability_id=str(accountability.id), status=accountability.status,
                                      position=self.record(accountability))

    @command
    def decide_accountability(self, c: DecideAccountability) -> AccountabilityRecorded:
        """Record the decision on a proposed accountability: the form decided, or not pursued with the reason."""
        accountability: Accountability = self.load(c.accountability_id, Accountability)
        if c.decided_on > self.today():
            raise InvalidInputError("决定日期不能晚于今天 (decided in the future)", code="decided_in_future")
        accountability.decide(outcome=c.outcome, form=c.form, decided_by_body=c.decided_by_body,
                              decided_on=c.decided_on, note=c.note, recorded_by=self.actor_user())
        return AccountabilityRecorded(accountability_id=c.accountability_id, status=accountability.status,
                                      position=self.record(accountability))

    @query
    def get_accountability(self, q: GetAccountability) -> AccountabilityView:
        """One accountability with its grounds and decision."""
        return accountability_view(self.load(q.accountability_id, Accountability))
