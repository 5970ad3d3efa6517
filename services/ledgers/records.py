"""How the ledgers application finds and makes its records; the handler modules build on it.

Look-ups (a group's category configuration, the reservation of a reference number, a unit's directives, the
indexes), the deadline rule of a request, and the three records more than one handler makes: a directive (a
command, an import, the units policy), an item (a command, the inspections and clues policies) and a
reconciliation (a command, the units policy).
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
from services.common.context import CommandContext, current
from services.common.due_index import DueIndex
from services.common.errors import ConflictError, InvalidInputError, NotFoundError
from services.ledgers.deadlines import DeadlineRule, rule_from
from services.ledgers.domain.config import GroupLedgerConfig, UnknownCategoryError
from services.ledgers.domain.items import LedgerItem
from services.ledgers.domain.loop import (
    DuplicateReferenceError,
    MasterLedger,
    Reconciliation,
    ReferenceReservation,
    compare,
    normalize_reference,
    within_report_scope,
)
from services.ledgers.domainmodel import Directive
from services.ledgers.due import DUE_RULES
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
        self.due_index = DueIndex(self, DUE_RULES)
        with self.acting(CommandContext(actor={"user": "migration:ledgers", "org": "paizhu", "role": "system"})):
            self.carry_over_master_ledgers()

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

    def reservation(self, unit_id: str, reference_number: str) -> ReferenceReservation | None:
        """The reservation of a reference number in the unit's master ledger (None: never taken)."""
        try:
            found: Any = self.repository.get(ReferenceReservation.create_id(unit_id, reference_number))
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, ReferenceReservation) else None

    def directive_with_reference(self, unit_id: str, reference_number: str) -> str | None:
        """The id of the directive holding this reference number in the unit's master ledger."""
        reservation = self.reservation(unit_id, reference_number)
        return None if reservation is None else reservation.directive_id

    def reserve_reference(
        self, group_id: str, unit_id: str, reference_number: str, directive_id: str
    ) -> ReferenceReservation:
        """Take a reference number for a directive (unsaved; save it with the directive): 409 if held."""
        reservation = self.reservation(unit_id, reference_number)
        if reservation is None:
            return ReferenceReservation.reserve(group_id, unit_id, reference_number, directive_id)
        reservation.take(reference_number, directive_id)
        return reservation

    def record_reserving(self, unit_id: str, reference_number: str, directive_id: str, *aggregates: Any) -> int:
        """Save a directive with its reservation; a lost race for the same number answers as a duplicate."""
        try:
            return self.record(*aggregates)
        except ConflictError as error:
            holder = self.directive_with_reference(unit_id, reference_number)
            if error.code == "concurrent_write" and holder is not None and holder != directive_id:
                raise DuplicateReferenceError(
                    f"总账中已有该文号 (reference number already in the master ledger): {reference_number}"
                ) from error
            raise

    def carry_over_master_ledgers(self) -> int:
        """Reserve the entries of master ledgers written before reservations existed (once each).

        Returns the number of reservations made."""
        made = 0
        for ledger_id in self.ids_with(MasterLedger.Opened):
            ledger: Any = self.repository.get(ledger_id)
            if not isinstance(ledger, MasterLedger) or ledger.carried_over:
                continue
            reservations = []
            for reference, directive_id in ledger.entries.items():
                if self.reservation(ledger.unit_id, reference) is None:
                    reservations.append(
                        ReferenceReservation.reserve(ledger.group_id, ledger.unit_id, reference, directive_id)
                    )
            ledger.mark_carried_over(reservations=len(reservations))
            self.save(ledger, *reservations)
            made += len(reservations)
        return made

    def unit_ledger(self, unit_id: str) -> dict[str, Directive]:
        """The unit's master ledger: its directives that are not withdrawn, by normalised reference number."""
        ledger = {}
        for directive_id in self.index.directives_by_unit.get(unit_id, []):
            directive = self.get(directive_id, Directive)
            if not directive.withdrawn:
                ledger[normalize_reference(directive.reference_number)] = directive
        return ledger

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

    def new_directive(self, c: RegisterDirective) -> tuple[Directive, list[Any]]:
        """A new directive, its reference-number reservation and its default stage deadlines (not saved)."""
        Directive.check_registration(c.title, c.reference_number, c.issued_on, c.received_on)
        config = self.checked_category(c.group_id, c.category)
        reservation = self.reservation(c.unit_id, c.reference_number)
        if reservation is not None:
            reservation.check_free()
        directive = Directive.register(**c.fields())
        if reservation is None:
            reservation = ReferenceReservation.reserve(c.group_id, c.unit_id, directive.reference_number,
                                                       str(directive.id))
        else:
            reservation.take(directive.reference_number, str(directive.id))
        if config is not None:
            for stage, rule in config.stage_rules(c.category, c.received_on).items():
                recorded, due_on = rule.computed(self.working_calendar())
                directive.set_stage_deadline(
                    stage=stage, rule=recorded, due_on=due_on, reason="类别默认期限 (category default)"
                )
        return directive, [reservation]

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
        follower_required: bool = True,
        owner_person_id: str | None = None,
    ) -> LedgerItem:
        """A new, unsaved item (used by the command and by the policies)."""
        LedgerItem.check_opening(list_kind, title, owner, problem_type)
        if follower_required:
            LedgerItem.check_follower(follower)
        rule, due_on = self.deadline(deadline)
        item = LedgerItem.open(
            group_id=group_id, unit_id=unit_id, directive_id=directive_id, list_kind=list_kind, title=title,
            owner=owner, follower=follower, deadline_rule=rule, due_on=due_on, description=description,
            problem_type=problem_type, source=source, source_ref=source_ref, source_key=source_key,
            evidence_refs=evidence_refs, follower_required=follower_required, owner_person_id=owner_person_id,
        )
        if follower:
            # the opening is addressed to the unit; who follows it is published to the group and HQ only
            item.assign_follower(follower=follower)
        return item

    def default_follower(self, group_id: str) -> str | None:
        """The group's default follower (专人督办) for the items a policy opens on its own."""
        config = self.config_for(group_id)
        return config.default_follower if config is not None else None

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
        directives = self.unit_ledger(unit_id)
        received = {str(d.id): d.received_on for d in directives.values()}
        ledger = {
            reference: {"directive_id": str(directive.id), "title": directive.title, "status": directive.status}
            for reference, directive in directives.items()
        }
        ledger = within_report_scope(ledger, reported, period, lambda i: received[i])
        findings = compare(ledger, reported)
        matched = sum(1 for ref in set(ledger) & set(reported) if ledger[ref]["status"] == reported[ref]["status"])
        return Reconciliation(group_id=group_id, unit_id=unit_id, report_id=report_id, period=period,
                              compared_on=self.today(), matched=matched, findings=findings)
