"""Items of the four lists: open, progress, evidence, follower, deadline, judgement, closure, look-back; views."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.common.application import command, query
from services.common.context import current
from services.common.errors import InvalidInputError
from services.ledgers.deadlines import DeadlineRule, plain
from services.ledgers.domain.config import DEFAULT_LOOK_BACK
from services.ledgers.domain.items import LedgerItem
from services.ledgers.domainmodel import Directive
from services.ledgers.interface import (
    AddItem,
    AssignFollower,
    AttachEvidence,
    CloseItem,
    GetItem,
    ItemClosed,
    ItemDeadlineSet,
    ItemRecorded,
    ItemView,
    JudgeProblem,
    LinkSimilar,
    LookBackRecorded,
    QualifyProblem,
    RecordLookBack,
    SetItemDeadline,
    UnitItemView,
    UpdateItemProgress,
)
from services.ledgers.records import LedgerRecords

UNIT_HIDDEN = ("root_causes", "ecology", "similar_item_ids", "follower", "deviations", "gaps", "obstacles")
"""The group's own judgement of an item, which the unit it is addressed to does not see."""


def _item_fields(item: LedgerItem) -> dict[str, Any]:
    return plain({
        "item_id": str(item.id),
        "group_id": item.group_id,
        "unit_id": item.unit_id,
        "directive_id": item.directive_id,
        "list_kind": item.list_kind,
        "title": item.title,
        "description": item.description,
        "owner": item.owner,
        "owner_person_id": getattr(item, "owner_person_id", None),
        "follower": item.follower,
        "deadline_rule": item.deadline_rule,
        "due_on": item.due_on,
        "overdue": item.overdue_on is not None,
        "overdue_on": item.overdue_on,
        "problem_type": item.problem_type,
        "root_causes": item.root_causes,
        "ecology": item.ecology,
        "similar_item_ids": item.similar_item_ids,
        "source": item.source,
        "source_ref": item.source_ref,
        "status": item.status,
        "evidence_refs": item.evidence_refs,
        "progress": item.progress,
        "closure": item.closure,
        "look_back_due_on": item.look_back_due_on,
        "look_back_due": item.look_back_due_marked,
        "look_backs": item.look_backs,
        "reopen_count": item.reopen_count,
        "history": getattr(item, "history", []),
        "deviations": getattr(item, "deviations", []),
        "gaps": getattr(item, "gaps", []),
        "obstacles": getattr(item, "obstacles", []),
        "distribution": item.default_distribution,
        "version": item.version,
    })


def item_view(item: LedgerItem) -> ItemView:
    return ItemView.model_validate(_item_fields(item))


def unit_item_view(item: LedgerItem) -> UnitItemView:
    """What the unit may see of an item addressed to it (not the group's judgement of it)."""
    fields = _item_fields(item)
    for private in UNIT_HIDDEN:
        fields.pop(private)
    return UnitItemView.model_validate(fields)


def for_unit(asked: bool) -> bool:
    """The unit's view when asked for, and always for a unit user (whatever the caller asked)."""
    principal = current().principal
    return asked or (principal is not None and principal.org_kind == "unit")


class ItemHandlers(LedgerRecords):
    @command
    def add_item(self, c: AddItem) -> ItemRecorded:
        """Add an item to one of a directive's four lists (任务、责任、问题、落实清单)."""
        directive: Directive = self.load(c.directive_id, Directive)
        directive.check_not_withdrawn()
        item = self.new_item(
            group_id=directive.group_id, unit_id=directive.unit_id, directive_id=c.directive_id,
            list_kind=c.list_kind, title=c.title, owner=c.owner, follower=c.follower, deadline=c.deadline,
            description=c.description, problem_type=c.problem_type, evidence_refs=c.evidence_refs,
            owner_person_id=c.owner_person_id,
        )
        return ItemRecorded(item_id=str(item.id), position=self.record(item))

    def _item(self, item_id: str) -> LedgerItem:
        item: LedgerItem = self.load(item_id, LedgerItem)
        return item

    @command
    def update_item_progress(self, c: UpdateItemProgress) -> ItemRecorded:
        """Record the item's progress (dynamic tracking 动态跟踪)."""
        item = self._item(c.item_id)
        item.update_progress(status=c.status, summary=c.summary, reported_by=self.actor_user(),
                             report_ref=c.report_ref)
        return ItemRecorded(item_id=c.item_id, position=self.record(item))

    @command
    def attach_evidence(self, c: AttachEvidence) -> ItemRecorded:
        """Attach evidence references (documents, minutes, site-check records) to an item."""
        item = self._item(c.item_id)
        item.attach_evidence(evidence_refs=list(c.evidence_refs), note=c.note)
        return ItemRecorded(item_id=c.item_id, position=self.record(item))

    @command
    def assign_follower(self, c: AssignFollower) -> ItemRecorded:
        """Name the group member who follows the item (专人督办)."""
        item = self._item(c.item_id)
        item.assign_follower(follower=c.follower)
        return ItemRecorded(item_id=c.item_id, position=self.record(item))

    @command
    def set_item_deadline(self, c: SetItemDeadline) -> ItemDeadlineSet:
        """Set or move an item's deadline (限期办结); the rule and the computed date are recorded."""
        item = self._item(c.item_id)
        item.check_open()
        if not c.reason.strip():
            raise InvalidInputError("调整期限须说明理由 (a reason is required)", code="reason_required")
        rule, due_on = self.required_deadline(c.deadline)
        item.set_deadline(rule=rule, due_on=due_on, reason=c.reason)
        return ItemDeadlineSet(item_id=c.item_id, due_on=due_on, position=self.record(item))

    @command
    def judge_problem(self, c: JudgeProblem) -> ItemRecorded:
        """Record the root-cause judgement of a problem (精准分析研判)."""
        item = self._item(c.item_id)
        item.judge(root_causes=list(c.root_causes), ecology=c.ecology, note=c.note)
        return ItemRecorded(item_id=c.item_id, position=self.record(item))

    @command
    def qualify_problem(self, c: QualifyProblem) -> ItemRecorded:
        """Record a problem's attributes: 偏向、变通、打折扣; 落差、温差、偏差; 堵点、淤点、难点."""
        item = self._item(c.item_id)
        item.qualify(deviations=list(c.deviations), gaps=list(c.gaps), obstacles=list(c.obstacles), note=c.note)
        return ItemRecorded(item_id=c.item_id, position=self.record(item))

    @command
    def link_similar(self, c: LinkSimilar) -> ItemRecorded:
        """Link an item to the similar matters it should also fix (举一反三)."""
        item = self._item(c.item_id)
        for other_id in item.check_link(list(c.similar_item_ids)):
            if self._item(other_id).group_id != item.group_id:
                raise InvalidInputError("只能关联本组事项 (only items of the same group)", code="foreign_item")
        item.link_similar(similar_item_ids=list(c.similar_item_ids), note=c.note)
        return ItemRecorded(item_id=c.item_id, position=self.record(item))

    def _look_back_rule(self, item: LedgerItem, closed_on: date) -> DeadlineRule:
        category = self.get(item.directive_id, Directive).category if item.directive_id else None
        config = self.config_for(item.group_id)
        if config is None:
            return DeadlineRule(DEFAULT_LOOK_BACK[0], DEFAULT_LOOK_BACK[1], closed_on)
        return config.look_back_rule(category, closed_on)

    @command
    def close_item(self, c: CloseItem) -> ItemClosed:
        """Close an item (销号) with evidence; schedules its look-back (回头看) by the category's interval.

        Only group leadership may call it (the rule of `ledgers.close_item`); the aggregate checks the evidence.
        """
        item = self._item(c.item_id)
        closed_on = self.today()
        recorded, due_on = self._look_back_rule(item, closed_on).computed(self.working_calendar())
        item.close(evidence_refs=list(c.evidence_refs), summary=c.summary, approved_by=self.actor_user(),
                   closed_on=closed_on, look_back_rule=recorded, look_back_due_on=due_on)
        return ItemClosed(item_id=c.item_id, look_back_due_on=due_on, position=self.record(item))

    @command
    def record_look_back(self, c: RecordLookBack) -> LookBackRecorded:
        """Record the look-back (回头看) of a closed item: confirmed, or reopened with a new deadline.

        Reopening needs `ledgers.reopen_item` (group leadership) besides the look-back's own permission.
        """
        item = self._item(c.item_id)
        checks: dict[str, dict[str, str]] = {}
        for check in c.checks:
            if check.check in checks:
                raise InvalidInputError(f"检查项重复 (check given twice): {check.check}",
                                        code="look_back_checks_required")
            checks[check.check] = {"finding": check.finding, "note": check.note}
        item.check_look_back(c.findings, checks)
        if c.reopen:
            self.authorize_also("ledgers.reopen_item", item)
            rule, due_on = self.deadline(c.deadline)
            item.reopen(reason=c.findings, checks=checks, reopened_on=self.today(), reopened_by=self.actor_user(),
                        deadline_rule=rule, due_on=due_on)
        else:
            item.confirm_look_back(findings=c.findings, checks=checks, checked_on=self.today(),
                                   checked_by=self.actor_user())
        return LookBackRecorded(item_id=c.item_id, status=item.status, position=self.record(item))

    # -- queries ---------------------------------------------------------------------------
    @query
    def get_item(self, q: GetItem) -> ItemView | UnitItemView:
        """One item; the unit's view leaves out the group's own judgement of it."""
        item = self._item(q.item_id)
        return unit_item_view(item) if for_unit(q.for_unit) else item_view(item)
