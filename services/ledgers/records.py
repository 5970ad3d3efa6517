"""How the ledgers application finds and makes its records; the handler modules build on it.

Look-ups (a group's category configuration, a unit's master ledger, the index), the deadline rule of a
request, and the three records more than one handler makes: a directive (a command, an import, the
units policy), an item (a command, the inspections and clues policies) and a reconciliation (a command,
the units policy).
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

import authz
from authz import Scope
from services.common.application import ServiceApplication
from services.common.calendar import WorkingCalendar
from services.common.clock import Clock
from services.common.context import current
from services.common.errors import InvalidInputError, NotFoundError
from services.ledgers.deadlines import DeadlineRule, rule_from
from services.ledgers.domain.config import GroupLedgerConfig, UnknownCategoryError
from services.ledgers.domain.items import LedgerItem
from services.ledgers.domain.loop import (
    MasterLedger,
    Reconciliation,
    compare,
    normalize_reference,
    within_report_scope,
)
from services.ledgers.domainmodel import Directive
from services.ledgers.index import LedgerIndex
from services.ledgers.integration import mapper
from services.ledgers.interface import Deadline, RegisterDirective
from services.ledgers.vocab import REPORTED_STATUSES

A = TypeVar("A")
DeadlineValue = Deadline | DeadlineRule | dict[str, Any] | date | None


class GroupRecords:
    """Stands for the records of a group (and unit) when the command names them before any exists.

    `authorize(GroupRecords(group_id))` decides like a record of that group would: the group's own
    categories, its quarterly reviews, its imports into a unit it is resident in.
    """

    def __init__(self, group_id: str, unit_id: str | None = None) -> None:
        self.group_id = group_id
        self.unit_id = unit_id

    def access_scope(self) -> Scope:
        return Scope(group_id=self.group_id, unit_id=self.unit_id, distribution="hq")


class LedgerRecords(WorkingCalendar, ServiceApplication):
    name = "ledgers"
    integration = mapper
    consumes = ("units", "inspections", "clues")

    def __init__(self, env: dict[str, str] | None = None, clock: Clock | None = None) -> None:
        super().__init__(env=env, clock=clock)
        self._index = LedgerIndex(self)

    @property
    def index(self) -> LedgerIndex:
        return self._index.catch_up()

    def actor_user(self) -> str:
        return current().actor.get("user", "system")

    def authorize_also(self, action: str, aggregate: Any) -> None:
        """Check a second action on a loaded record, for a request that needs more (a look-back that reopens)."""
        context = current()
        scope = aggregate.access_scope()
        if context.principal is not None and context.action is not None and scope is not None:
            authz.authorize(context.principal, action, scope)

    def get(self, aggregate_id: str | UUID, kind: type[A]) -> A:
        """An aggregate read for the service's own work (no permission check: listings, comparisons)."""
        try:
            aggregate: Any = self.repository.get(UUID(str(aggregate_id)))
        except (AggregateNotFoundError, ValueError) as error:
            raise NotFoundError("记录不存在 (not found)") from error
        if not isinstance(aggregate, kind):
            raise NotFoundError("记录不存在 (not found)")
        return aggregate

    def config_for(self, group_id: str) -> GroupLedgerConfig | None:
        config_id = GroupLedgerConfig.create_id(group_id)
        if config_id not in self.repository:
            return None
        config: GroupLedgerConfig = self.repository.get(config_id)
        return config

    def master_ledger(self, group_id: str, unit_id: str) -> MasterLedger:
        """The unit's master ledger (a new, unsaved one on first use)."""
        ledger_id = MasterLedger.create_id(unit_id)
        if ledger_id in self.repository:
            ledger: MasterLedger = self.repository.get(ledger_id)
            return ledger
        return MasterLedger(group_id=group_id, unit_id=unit_id)

    def directives(
        self, group_id: str | None, unit_id: str | None, category: str | None, include_withdrawn: bool
    ) -> list[Directive]:
        """The master ledger's directives (of a group, a unit, a category), by receipt and reference number."""
        found = []
        for directive_id in self.index.ids["directive"]:
            directive = self.get(directive_id, Directive)
            if group_id and directive.group_id != group_id or unit_id and directive.unit_id != unit_id:
                continue
            if category and directive.category != category or directive.withdrawn and not include_withdrawn:
                continue
            found.append(directive)
        return sorted(found, key=lambda d: (d.received_on, d.reference_number))

    # -- deadlines ------------------------------------------------------------------------------------
    def deadline(self, value: DeadlineValue) -> tuple[dict[str, Any] | None, date | None]:
        """(the rule as recorded with the calendar it was counted with, the computed date): both go into the event."""
        if isinstance(value, Deadline):
            value = DeadlineRule(value.basis, value.count, value.from_date)
        rule = rule_from(value)
        if rule is None:
            return None, None
        return rule.computed(self.working_calendar())

    def required_deadline(self, value: DeadlineValue) -> tuple[dict[str, Any], date]:
        rule, due_on = self.deadline(value)
        if rule is None or due_on is None:
            raise InvalidInputError("期限必填 (a deadline is required)", code="deadline_required")
        return rule, due_on

    # -- records several handlers make ----------------------------------------------------------------
    def checked_category(self, group_id: str, category: str | None) -> GroupLedgerConfig | None:
        """The group's configuration, after checking `category` (if given) is one of its active categories."""
        config = self.config_for(group_id)
        if category is not None:
            if config is None:
                raise UnknownCategoryError(f"细账类别不存在 (unknown category): {category}")
            config.check_active(category)
        return config

    def new_directive(
        self, c: RegisterDirective, ledger: MasterLedger | None = None
    ) -> tuple[Directive, list[Any]]:
        """A new directive, its master-ledger entry and its default stage deadlines (not saved).

        Pass `ledger` to register several directives against one master-ledger instance (an import)."""
        Directive.check_registration(c.title, c.reference_number, c.issued_on, c.received_on)
        config = self.checked_category(c.group_id, c.category)
        if ledger is None:
            ledger = self.master_ledger(c.group_id, c.unit_id)
        ledger.check_free(c.reference_number)
        directive = Directive.register(**c.fields())
        ledger.add_entry(reference_number=directive.reference_number, directive_id=str(directive.id))
        if config is not None:
            for stage, rule in config.stage_rules(c.category, c.received_on).items():
                recorded, due_on = rule.computed(self.working_calendar())
                directive.set_stage_deadline(
                    stage=stage, rule=recorded, due_on=due_on, reason="类别默认期限 (category default)"
                )
        return directive, [ledger]

    def new_item(
        self,
        *,
        group_id: str,
        unit_id: str,
        directive_id: str | None,
        list_kind: str,
        title: str,
        owner: str,
        follower: str | None = None,
        deadline: DeadlineValue = None,
        description: str = "",
        problem_type: str | None = None,
        source: str = "group",
        source_ref: str | None = None,
        source_key: str | None = None,
        evidence_refs: list[str] | tuple[str, ...] = (),
    ) -> LedgerItem:
        """A new, unsaved item (used by the command and by the policies)."""
        LedgerItem.check_opening(list_kind, title, owner, problem_type)
        rule, due_on = self.deadline(deadline)
        return LedgerItem.open(
            group_id=group_id, unit_id=unit_id, directive_id=directive_id, list_kind=list_kind, title=title,
            owner=owner, follower=follower, deadline_rule=rule, due_on=due_on, description=description,
            problem_type=problem_type, source=source, source_ref=source_ref, source_key=source_key,
            evidence_refs=evidence_refs,
        )

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
                directive = self.get(directive_id, Directive)
                ledger[reference] = {"directive_id": directive_id, "title": directive.title,
                                     "status": directive.status}
        ledger = within_report_scope(ledger, reported, period, lambda i: self.get(i, Directive).received_on)
        findings = compare(ledger, reported)
        matched = sum(1 for ref in set(ledger) & set(reported) if ledger[ref]["status"] == reported[ref]["status"])
        return Reconciliation(group_id=group_id, unit_id=unit_id, report_id=report_id, period=period,
                              compared_on=self.today(), matched=matched, findings=findings)
