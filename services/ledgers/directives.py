"""Directives (总账/细账): register, correct, withdraw, stages, stage deadlines, evaluations, categories; views."""

from __future__ import annotations

from services.common.application import command, query
from services.ledgers.deadlines import plain
from services.ledgers.domain.config import GroupLedgerConfig
from services.ledgers.domain.items import LedgerItem
from services.ledgers.domainmodel import STAGES, Directive
from services.ledgers.interface import (
    Action,
    AmendDirective,
    Attitude,
    CategoriseDirective,
    CategoryConfig,
    CategoryRecorded,
    CombinedView,
    ConfigureCategory,
    Correction,
    DefaultFollowerRecorded,
    DirectiveCorrections,
    DirectiveRecorded,
    DirectiveView,
    EvaluateDepartment,
    GetCategoryConfig,
    GetCombinedView,
    GetDirective,
    GetThreeLooks,
    RecordStage,
    RegisterDirective,
    RetireCategory,
    SetDefaultFollower,
    SetStageDeadline,
    StageDeadlineSet,
    ThreeLooks,
    WithdrawDirective,
)
from services.ledgers.items import item_view
from services.ledgers.records import GroupRecords, LedgerRecords
from services.ledgers.vocab import EVALUATION_DIMENSIONS, LIST_KINDS


def directive_view(directive: Directive) -> DirectiveView:
    return DirectiveView.model_validate(plain({
        "directive_id": str(directive.id),
        "group_id": directive.group_id,
        "unit_id": directive.unit_id,
        "reference_number": directive.reference_number,
        "issuer": directive.issuer,
        "title": directive.title,
        "issued_on": directive.issued_on,
        "received_on": directive.received_on,
        "lead_department": directive.lead_department,
        "category": directive.category,
        "tied_to_duties": directive.tied_to_duties,
        "status": directive.status,
        "withdrawn": directive.withdrawn,
        "withdrawn_reason": directive.withdrawn_reason,
        "amendments": directive.amendments,
        "notifications": directive.notifications,
        "stages": directive.stages,
        "next_stage": directive.next_stage(),
        "stage_deadlines": directive.stage_deadlines,
        "evaluations": directive.evaluations,
        "distribution": directive.default_distribution,
        "version": directive.version,
    }))


class DirectiveHandlers(LedgerRecords):
    @command
    def register_directive(self, c: RegisterDirective) -> DirectiveRecorded:
        """Register a directive in the master ledger (总账); with a category it also has a detail ledger (细账)."""
        directive, others = self.new_directive(c)
        position = self.record_reserving(c.unit_id, directive.reference_number, str(directive.id), directive, *others)
        return DirectiveRecorded(directive_id=str(directive.id), position=position)

    @command
    def amend_directive(self, c: AmendDirective) -> DirectiveRecorded:
        """Correct a directive's registration: a new event with the reason; the old values stay in history."""
        directive: Directive = self.load(c.directive_id, Directive)
        effective = directive.check_amendment(c.changes.given(), c.reason)
        if "category" in effective:
            self.checked_category(directive.group_id, effective["category"])
        if "reference_number" not in effective:
            directive.amend(effective, c.reason)
            return DirectiveRecorded(directive_id=c.directive_id, position=self.record(directive))
        new_reference = effective["reference_number"].strip()
        taken = self.reserve_reference(directive.group_id, directive.unit_id, new_reference, c.directive_id)
        others = [taken]
        released = self.reservation(directive.unit_id, directive.reference_number)
        if released is not None and released.id != taken.id:
            released.release(c.directive_id)
            others.append(released)
        directive.amend(effective, c.reason)
        position = self.record_reserving(directive.unit_id, new_reference, c.directive_id, directive, *others)
        return DirectiveRecorded(directive_id=c.directive_id, position=position)

    @command
    def categorise_directive(self, c: CategoriseDirective) -> DirectiveRecorded:
        """File a directive in a detail ledger (细账) or move it: its own fact, not a correction."""
        directive: Directive = self.load(c.directive_id, Directive)
        directive.check_categorisation(c.category)
        self.checked_category(directive.group_id, c.category)
        directive.categorise(c.category, c.reason)
        return DirectiveRecorded(directive_id=c.directive_id, position=self.record(directive))

    @command
    def withdraw_directive(self, c: WithdrawDirective) -> DirectiveRecorded:
        """Withdraw a mistaken entry: it stays in the history, marked withdrawn, out of the master ledger."""
        directive: Directive = self.load(c.directive_id, Directive)
        directive.withdraw(c.reason)
        others = []
        reservation = self.reservation(directive.unit_id, directive.reference_number)
        if reservation is not None:
            reservation.release(c.directive_id)
            others.append(reservation)
        return DirectiveRecorded(directive_id=c.directive_id, position=self.record(directive, *others))

    @command
    def record_stage(self, c: RecordStage) -> DirectiveRecorded:
        """Record what was done at one of the seven full-cycle stages (全周期管理)."""
        directive: Directive = self.load(c.directive_id, Directive)
        directive.record_stage(stage=c.stage, done_on=c.done_on, summary=c.summary, meeting=c.meeting,
                               document=c.document, done_by=c.done_by, skip_reason=c.skip_reason)
        return DirectiveRecorded(directive_id=c.directive_id, position=self.record(directive))

    @command
    def set_stage_deadline(self, c: SetStageDeadline) -> StageDeadlineSet:
        """Set (or move) a stage's deadline; the rule and the computed date are both recorded."""
        directive: Directive = self.load(c.directive_id, Directive)
        directive.check_stage_deadline(c.stage)
        rule, due_on = self.required_deadline(c.deadline)
        directive.set_stage_deadline(stage=c.stage, rule=rule, due_on=due_on, reason=c.reason)
        return StageDeadlineSet(directive_id=c.directive_id, due_on=due_on, position=self.record(directive))

    @command
    def evaluate_department(self, c: EvaluateDepartment) -> DirectiveRecorded:
        """Rate the responsible department on the four dimensions (思想认识、目标定位、责任落实、精神状态)."""
        directive: Directive = self.load(c.directive_id, Directive)
        directive.evaluate(department=c.department, scores=dict(c.scores), rationale=c.rationale,
                           evaluated_on=self.today())
        return DirectiveRecorded(directive_id=c.directive_id, position=self.record(directive))

    # -- configuration of the detail ledgers ---------------------------------------------
    def _group_config(self, group_id: str) -> GroupLedgerConfig:
        """The group's configuration to change: only the group's own leadership may (403 otherwise)."""
        self.authorize(GroupRecords(group_id), created=True)
        return self.config_for(group_id) or GroupLedgerConfig(group_id=group_id)

    @command
    def configure_category(self, c: ConfigureCategory) -> CategoryRecorded:
        """Add or change a detail-ledger category of the group (细账类别) and its look-back interval."""
        config = self._group_config(c.group_id)
        limits = {stage: limit.model_dump() for stage, limit in c.stage_limits.items()}
        config.configure_category(code=c.code, name=c.name, look_back_basis=c.look_back_basis,
                                  look_back_days=c.look_back_days, stage_limits=limits)
        return CategoryRecorded(group_id=c.group_id, code=c.code, position=self.record(config))

    @command
    def retire_category(self, c: RetireCategory) -> CategoryRecorded:
        """Stop using a category for new directives (existing detail ledgers keep it)."""
        config = self._group_config(c.group_id)
        config.retire_category(code=c.code, reason=c.reason)
        return CategoryRecorded(group_id=c.group_id, code=c.code, position=self.record(config))

    @command
    def set_default_follower(self, c: SetDefaultFollower) -> DefaultFollowerRecorded:
        """Name the group's default follower (专人督办) for the items policies open on their own."""
        config = self._group_config(c.group_id)
        config.set_default_follower(c.follower)
        return DefaultFollowerRecorded(group_id=c.group_id, default_follower=config.default_follower or c.follower,
                                       position=self.record(config))

    # -- queries ---------------------------------------------------------------------------
    @query
    def get_directive(self, q: GetDirective) -> DirectiveView:
        """One directive as the group's workbench shows it."""
        return directive_view(self.load(q.directive_id, Directive))

    @query
    def directive_corrections(self, q: DirectiveCorrections) -> list[Correction]:
        """What was corrected, when and by whom: every amendment and withdrawal, oldest first."""
        directive: Directive = self.load(q.directive_id, Directive)
        corrections = []
        for event in self.repository.event_store.get(directive.id):
            if isinstance(event, Directive.Amended):
                kind, changes, previous = "amended", event.changes, event.previous
            elif isinstance(event, Directive.Withdrawn):
                kind, changes, previous = "withdrawn", {}, {}
            else:
                continue
            corrections.append(Correction(
                kind=kind, changes=plain(changes), previous=plain(previous), reason=event.reason,
                at=event.timestamp.isoformat(), by=dict(event.actor), version=event.originator_version,
            ))
        return corrections

    @query
    def get_category_config(self, q: GetCategoryConfig) -> CategoryConfig:
        """The group's detail-ledger categories and their look-back intervals."""
        self.authorize(GroupRecords(q.group_id))
        config = self.config_for(q.group_id)
        categories = list(config.categories.values()) if config else []
        return CategoryConfig.model_validate({"group_id": q.group_id, "categories": plain(categories),
                                              "default_follower": config.default_follower if config else None})

    def _items_of(self, directive_id: str) -> list[LedgerItem]:
        return [self.load(i, LedgerItem) for i in self.index.items_by_directive.get(directive_id, [])]

    @query
    def combined_view(self, q: GetCombinedView) -> CombinedView:
        """四单合一: the directive with its tasks, responsibilities, problems and implementation records."""
        directive: Directive = self.load(q.directive_id, Directive)
        lists: dict[str, list[object]] = {kind: [] for kind in LIST_KINDS}
        for item in self._items_of(q.directive_id):
            lists[item.list_kind].append(item_view(item))
        return CombinedView.model_validate({"directive": directive_view(directive), "lists": lists})

    @query
    def three_looks(self, q: GetThreeLooks) -> ThreeLooks:
        """看态度、看行动、看效果: days from receipt to relay/deployment/plan; evaluations; rectification."""
        directive: Directive = self.load(q.directive_id, Directive)
        attitude: dict[str, int | None] = {}
        for stage in STAGES[:3]:
            done = directive.stages.get(stage)
            attitude[stage] = None if done is None else (done["done_on"] - directive.received_on).days
        items = self._items_of(q.directive_id)
        look_backs = [lb for i in items for lb in i.look_backs]
        averages: dict[str, float | None] = {}
        for dimension in EVALUATION_DIMENSIONS:
            scores = [e["scores"][dimension] for e in directive.evaluations.values()]
            averages[dimension] = round(sum(scores) / len(scores), 2) if scores else None
        return ThreeLooks(
            directive_id=q.directive_id,
            attitude=Attitude(days_from_receipt=attitude, received_on=directive.received_on),
            action=Action(evaluations=plain(directive.evaluations), averages=averages),
            effect={
                "items": len(items),
                "closed": sum(1 for i in items if i.status == "closed"),
                "overdue": sum(1 for i in items if i.overdue_on is not None),
                "reopened": sum(i.reopen_count for i in items),
                "look_backs": len(look_backs),
                "similar_checked": sum(1 for lb in look_backs if lb["similar_checked"]),
                "similar_links": sum(len(i.similar_item_ids) for i in items),
            },
        )
