"""Commands on the four lists' items: open, progress, evidence, deadlines, judgement, closure, look-back."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.common.application import command
from services.common.errors import InvalidInputError
from services.ledgers.base import LedgersBase
from services.ledgers.deadlines import DeadlineRule
from services.ledgers.domain.config import DEFAULT_LOOK_BACK
from services.ledgers.domain.items import LedgerItem
from services.ledgers.domainmodel import Directive

Deadline = DeadlineRule | dict[str, Any] | date | None


class ItemCommands(LedgersBase):
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
        deadline: Deadline = None,
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
        return LedgerItem(
            group_id=group_id,
            unit_id=unit_id,
            directive_id=directive_id,
            list_kind=list_kind,
            title=title.strip(),
            description=description.strip(),
            owner=owner.strip(),
            follower=follower,
            deadline_rule=rule,
            due_on=due_on,
            problem_type=problem_type,
            source=source,
            source_ref=source_ref,
            source_key=source_key,
            evidence_refs=[ref for ref in evidence_refs if ref.strip()],
        )

    @command
    def add_item(
        self,
        directive_id: str,
        list_kind: str,
        title: str,
        owner: str,
        follower: str | None = None,
        deadline: Deadline = None,
        description: str = "",
        problem_type: str | None = None,
        evidence_refs: list[str] | None = None,
    ) -> dict[str, Any]:
        """Add an item to one of a directive's four lists (任务、责任、问题、落实清单)."""
        directive: Directive = self.load(directive_id, Directive)
        directive.check_not_withdrawn()
        item = self.new_item(
            group_id=directive.group_id, unit_id=directive.unit_id, directive_id=directive_id,
            list_kind=list_kind, title=title, owner=owner, follower=follower, deadline=deadline,
            description=description, problem_type=problem_type, evidence_refs=evidence_refs or [],
        )
        return {"item_id": str(item.id), "position": self.record(item)}

    def _item(self, item_id: str) -> LedgerItem:
        item: LedgerItem = self.load(item_id, LedgerItem)
        return item

    @command
    def update_item_progress(
        self, item_id: str, status: str, summary: str, report_ref: str | None = None
    ) -> dict[str, Any]:
        """Record the item's progress (dynamic tracking 动态跟踪)."""
        item = self._item(item_id)
        item.check_progress(status, summary)
        item.update_progress(status=status, summary=summary.strip(), reported_by=self.actor_user(),
                             report_ref=report_ref)
        return {"item_id": item_id, "position": self.record(item)}

    @command
    def attach_evidence(self, item_id: str, evidence_refs: list[str], note: str = "") -> dict[str, Any]:
        """Attach evidence references (documents, minutes, site-check records) to an item."""
        item = self._item(item_id)
        item.check_open()
        new = item.check_evidence(evidence_refs)
        item.attach_evidence(evidence_refs=new, note=note)
        return {"item_id": item_id, "position": self.record(item)}

    @command
    def assign_follower(self, item_id: str, follower: str) -> dict[str, Any]:
        """Name the group member who follows the item (专人督办)."""
        item = self._item(item_id)
        item.check_open()
        if not follower.strip():
            raise InvalidInputError("须指定督办人 (a follower is required)", code="follower_required")
        item.assign_follower(follower=follower.strip())
        return {"item_id": item_id, "position": self.record(item)}

    @command
    def set_item_deadline(self, item_id: str, deadline: DeadlineRule | dict[str, Any] | date, reason: str) -> dict[str, Any]:
        """Set or move an item's deadline (限期办结); the rule and the computed date are recorded."""
        item = self._item(item_id)
        item.check_open()
        if not reason.strip():
            raise InvalidInputError("调整期限须说明理由 (a reason is required)", code="reason_required")
        rule, due_on = self.required_deadline(deadline)
        item.set_deadline(rule=rule, due_on=due_on, reason=reason.strip())
        return {"item_id": item_id, "due_on": due_on.isoformat(), "position": self.record(item)}

    @command
    def judge_problem(self, item_id: str, root_causes: list[str], ecology: str, note: str = "") -> dict[str, Any]:
        """Record the root-cause judgement of a problem (精准分析研判)."""
        item = self._item(item_id)
        item.check_judgement(root_causes, ecology)
        item.judge(root_causes=list(root_causes), ecology=ecology, note=note)
        return {"item_id": item_id, "position": self.record(item)}

    @command
    def link_similar(self, item_id: str, similar_item_ids: list[str], note: str = "") -> dict[str, Any]:
        """Link an item to the similar matters it should also fix (举一反三)."""
        item = self._item(item_id)
        new = item.check_link(similar_item_ids)
        for other_id in new:
            other = self._item(other_id)
            if other.group_id != item.group_id:
                raise InvalidInputError("只能关联本组事项 (only items of the same group)", code="foreign_item")
        item.link_similar(similar_item_ids=new, note=note)
        return {"item_id": item_id, "position": self.record(item)}

    def _look_back_rule(self, item: LedgerItem, closed_on: date) -> DeadlineRule:
        category = None
        if item.directive_id:
            directive: Directive = self.load(item.directive_id, Directive)
            category = directive.category
        config = self.config_for(item.group_id)
        if config is None:
            return DeadlineRule(DEFAULT_LOOK_BACK[0], DEFAULT_LOOK_BACK[1], closed_on)
        return config.look_back_rule(category, closed_on)

    @command
    def close_item(self, item_id: str, summary: str, evidence_refs: list[str] | None = None) -> dict[str, Any]:
        """Close an item (销号) with evidence; schedules its look-back (回头看) by the category's interval.

        Only group leadership may call it (the gateway checks the role); the aggregate checks the evidence.
        """
        item = self._item(item_id)
        evidence = [ref.strip() for ref in evidence_refs or [] if ref.strip()]
        item.check_closure(evidence, summary)
        closed_on = self.today()
        rule = self._look_back_rule(item, closed_on)
        item.close(evidence_refs=evidence, summary=summary.strip(), approved_by=self.actor_user(),
                   closed_on=closed_on, look_back_rule=rule.as_dict(), look_back_due_on=rule.due_on())
        return {"item_id": item_id, "look_back_due_on": rule.due_on().isoformat(), "position": self.record(item)}

    @command
    def record_look_back(
        self,
        item_id: str,
        findings: str,
        similar_checked: bool = False,
        reopen: bool = False,
        deadline: Deadline = None,
    ) -> dict[str, Any]:
        """Record the look-back (回头看) of a closed item: confirmed, or reopened with a new deadline."""
        item = self._item(item_id)
        item.check_look_back(findings)
        if reopen:
            rule, due_on = self.deadline(deadline)
            item.reopen(reason=findings.strip(), similar_checked=similar_checked, reopened_on=self.today(),
                        deadline_rule=rule, due_on=due_on)
        else:
            item.confirm_look_back(findings=findings.strip(), similar_checked=similar_checked,
                                   checked_on=self.today())
        return {"item_id": item_id, "status": item.status, "position": self.record(item)}
