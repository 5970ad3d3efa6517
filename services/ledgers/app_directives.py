"""Commands on directives (总账/细账): register, amend, withdraw, stages, stage deadlines, evaluations."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.common.application import command
from services.ledgers.base import LedgersBase
from services.ledgers.deadlines import DeadlineRule
from services.ledgers.domain.config import GroupLedgerConfig, UnknownCategoryError
from services.ledgers.domain.loop import MasterLedger
from services.ledgers.domainmodel import Directive
from services.ledgers.interface import DirectiveRecorded, RecordStage, RegisterDirective


class DirectiveCommands(LedgersBase):
    def _check_category(self, group_id: str, category: str | None) -> GroupLedgerConfig | None:
        config = self.config_for(group_id)
        if category is not None:
            if config is None:
                raise UnknownCategoryError(f"细账类别不存在 (unknown category): {category}")
            config.check_active(category)
        return config

    def new_directive(
        self,
        group_id: str,
        unit_id: str,
        reference_number: str,
        issuer: str,
        title: str,
        issued_on: date,
        received_on: date,
        lead_department: str,
        category: str | None = None,
        tied_to_duties: bool = False,
        ledger: MasterLedger | None = None,
    ) -> tuple[Directive, list[Any]]:
        """A new directive, its master-ledger entry and its default stage deadlines (not saved).

        Pass `ledger` to register several directives against one master-ledger instance (an import)."""
        Directive.check_registration(title, reference_number, issued_on, received_on)
        config = self._check_category(group_id, category)
        if ledger is None:
            ledger = self.master_ledger(group_id, unit_id)
        ledger.check_free(reference_number)
        directive = Directive(
            group_id=group_id,
            unit_id=unit_id,
            reference_number=reference_number.strip(),
            issuer=issuer.strip(),
            title=title.strip(),
            issued_on=issued_on,
            received_on=received_on,
            lead_department=lead_department.strip(),
            category=category,
            tied_to_duties=tied_to_duties,
        )
        ledger.add_entry(reference_number=directive.reference_number, directive_id=str(directive.id))
        if config is not None:
            for stage, rule in config.stage_rules(category, received_on).items():
                directive.set_stage_deadline(
                    stage=stage, rule=rule.as_dict(), due_on=rule.due_on(), reason="类别默认期限 (category default)"
                )
        return directive, [ledger]

    @command
    def register_directive(self, c: RegisterDirective) -> DirectiveRecorded:
        """Register a directive in the master ledger (总账); with a category it also has a detail ledger (细账)."""
        directive, others = self.new_directive(
            c.group_id, c.unit_id, c.reference_number, c.issuer, c.title, c.issued_on, c.received_on,
            c.lead_department, c.category, c.tied_to_duties,
        )
        position = self.record(directive, *others)
        return DirectiveRecorded(directive_id=str(directive.id), position=position)

    @command
    def amend_directive(self, directive_id: str, changes: dict[str, Any], reason: str) -> dict[str, Any]:
        """Correct a directive's registration: a new event with the reason; the old values stay in history."""
        directive: Directive = self.load(directive_id, Directive)
        changes = {k: (date.fromisoformat(v) if k.endswith("_on") and isinstance(v, str) else v)
                   for k, v in changes.items()}
        effective = directive.check_amendment(changes, reason)
        others: list[Any] = []
        if "category" in effective:
            self._check_category(directive.group_id, effective["category"])
        if "reference_number" in effective:
            effective["reference_number"] = str(effective["reference_number"]).strip()
            ledger = self.master_ledger(directive.group_id, directive.unit_id)
            ledger.check_free(effective["reference_number"], directive_id)
            ledger.rekey(old_reference=directive.reference_number, new_reference=effective["reference_number"],
                         directive_id=directive_id)
            others.append(ledger)
        previous = {field: getattr(directive, field) for field in effective}
        directive.amend(changes=effective, previous=previous, reason=reason.strip())
        return {"directive_id": directive_id, "position": self.record(directive, *others)}

    @command
    def withdraw_directive(self, directive_id: str, reason: str) -> dict[str, Any]:
        """Withdraw a mistaken entry: it stays in the history, marked withdrawn, out of the master ledger."""
        directive: Directive = self.load(directive_id, Directive)
        directive.check_withdrawal(reason)
        directive.withdraw(reason=reason.strip())
        ledger = self.master_ledger(directive.group_id, directive.unit_id)
        ledger.remove_entry(reference_number=directive.reference_number, directive_id=directive_id)
        return {"directive_id": directive_id, "position": self.record(directive, ledger)}

    @command
    def record_stage(self, c: RecordStage) -> DirectiveRecorded:
        """Record what was done at one of the seven full-cycle stages (全周期管理)."""
        directive: Directive = self.load(c.directive_id, Directive)
        directive.check_stage(c.stage, c.skip_reason)
        directive.record_stage(
            stage=c.stage,
            done_on=c.done_on,
            summary=c.summary,
            meeting=c.meeting,
            document=c.document,
            done_by=c.done_by,
            skip_reason=c.skip_reason,
        )
        return DirectiveRecorded(directive_id=c.directive_id, position=self.record(directive))

    @command
    def set_stage_deadline(
        self, directive_id: str, stage: str, deadline: DeadlineRule | dict[str, Any] | date, reason: str | None = None
    ) -> dict[str, Any]:
        """Set (or move) a stage's deadline; the rule and the computed date are both recorded."""
        directive: Directive = self.load(directive_id, Directive)
        directive.check_stage_deadline(stage)
        rule, due_on = self.required_deadline(deadline)
        directive.set_stage_deadline(stage=stage, rule=rule, due_on=due_on, reason=reason)
        return {"directive_id": directive_id, "due_on": due_on.isoformat() if due_on else None,
                "position": self.record(directive)}

    @command
    def evaluate_department(
        self, directive_id: str, department: str, scores: dict[str, int], rationale: str
    ) -> dict[str, Any]:
        """Rate the responsible department on the four dimensions (思想认识、目标定位、责任落实、精神状态)."""
        directive: Directive = self.load(directive_id, Directive)
        directive.check_evaluation(department, scores, rationale)
        directive.evaluate(department=department.strip(), scores=dict(scores), rationale=rationale.strip(),
                           evaluated_on=self.today())
        return {"directive_id": directive_id, "position": self.record(directive)}

    # -- configuration of the detail ledgers ---------------------------------------------
    @command
    def configure_category(
        self,
        group_id: str,
        code: str,
        name: str,
        look_back_basis: str = "calendar",
        look_back_days: int = 90,
        stage_limits: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Add or change a detail-ledger category of the group (细账类别) and its look-back interval."""
        stage_limits = stage_limits or {}
        GroupLedgerConfig.check_category_settings(code, name, look_back_basis, look_back_days, stage_limits)
        config = self.config_for(group_id) or GroupLedgerConfig(group_id=group_id)
        config.configure_category(code=code.strip(), name=name.strip(), look_back_basis=look_back_basis,
                                  look_back_days=look_back_days, stage_limits=stage_limits)
        return {"group_id": group_id, "code": code, "position": self.record(config)}

    @command
    def retire_category(self, group_id: str, code: str, reason: str) -> dict[str, Any]:
        """Stop using a category for new directives (existing detail ledgers keep it)."""
        config = self.config_for(group_id) or GroupLedgerConfig(group_id=group_id)
        config.check_retire(code, reason)
        config.retire_category(code=code, reason=reason.strip())
        return {"group_id": group_id, "code": code, "position": self.record(config)}
