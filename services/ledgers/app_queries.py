"""Queries of the ledgers: directive pages, corrections, master/detail ledgers, combined four lists, three looks."""

from __future__ import annotations

from typing import Any

from services.common.application import query
from services.ledgers.base import LedgersBase
from services.ledgers.deadlines import plain
from services.ledgers.domain.items import LedgerItem
from services.ledgers.domain.loop import Reconciliation, SchedulingRound
from services.ledgers.domainmodel import STAGES, Directive
from services.ledgers.interface import DirectiveView, GetDirective
from services.ledgers.vocab import EVALUATION_DIMENSIONS, LIST_KINDS


def directive_view(directive: Directive) -> dict[str, Any]:
    return plain({
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
    })


def item_view(item: LedgerItem) -> dict[str, Any]:
    return plain({
        "item_id": str(item.id),
        "group_id": item.group_id,
        "unit_id": item.unit_id,
        "directive_id": item.directive_id,
        "list_kind": item.list_kind,
        "title": item.title,
        "description": item.description,
        "owner": item.owner,
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
        "distribution": item.default_distribution,
        "version": item.version,
    })


def unit_item_view(item: LedgerItem) -> dict[str, Any]:
    """What the unit may see of an item addressed to it (not the group's judgement of it)."""
    view = item_view(item)
    for private in ("root_causes", "ecology", "similar_item_ids", "follower"):
        view.pop(private)
    return view


class Queries(LedgersBase):
    @query
    def get_directive(self, q: GetDirective) -> DirectiveView:
        """One directive as the group's workbench shows it."""
        directive: Directive = self.load(q.directive_id, Directive)
        return DirectiveView.model_validate(directive_view(directive))

    @query
    def directive_corrections(self, directive_id: str) -> list[dict[str, Any]]:
        """What was corrected, when and by whom: every amendment and withdrawal, oldest first."""
        directive: Directive = self.load(directive_id, Directive)
        corrections = []
        for event in self.repository.event_store.get(directive.id):
            if isinstance(event, Directive.Amended):
                corrections.append({"kind": "amended", "changes": event.changes, "previous": event.previous,
                                    "reason": event.reason})
            elif isinstance(event, Directive.Withdrawn):
                corrections.append({"kind": "withdrawn", "changes": {}, "previous": {}, "reason": event.reason})
            else:
                continue
            corrections[-1] |= {"at": event.timestamp.isoformat(), "by": dict(event.actor),
                                "version": event.originator_version}
        return plain(corrections)

    def _directives(self) -> list[Directive]:
        return [self.load(i, Directive) for i in self.index.ids["directive"]]

    @query
    def list_directives(
        self,
        group_id: str | None = None,
        unit_id: str | None = None,
        category: str | None = None,
        include_withdrawn: bool = False,
    ) -> list[dict[str, Any]]:
        """The master ledger (总账); with `category`, the detail ledger (细账) of that category."""
        rows = []
        for directive in self._directives():
            if group_id and directive.group_id != group_id or unit_id and directive.unit_id != unit_id:
                continue
            if category and directive.category != category or directive.withdrawn and not include_withdrawn:
                continue
            rows.append(directive_view(directive))
        return sorted(rows, key=lambda r: (r["received_on"], r["reference_number"]))

    @query
    def get_category_config(self, group_id: str) -> dict[str, Any]:
        """The group's detail-ledger categories and their look-back intervals."""
        config = self.config_for(group_id)
        return {"group_id": group_id, "categories": list(config.categories.values()) if config else []}

    @query
    def get_item(self, item_id: str, for_unit: bool = False) -> dict[str, Any]:
        """One item; `for_unit` leaves out the group's own judgement of it."""
        item: LedgerItem = self.load(item_id, LedgerItem)
        return unit_item_view(item) if for_unit else item_view(item)

    @query
    def combined_view(self, directive_id: str) -> dict[str, Any]:
        """四单合一: the directive with its tasks, responsibilities, problems and implementation records."""
        directive: Directive = self.load(directive_id, Directive)
        lists: dict[str, list[dict[str, Any]]] = {kind: [] for kind in LIST_KINDS}
        for item_id in self.index.items_by_directive.get(directive_id, []):
            item: LedgerItem = self.load(item_id, LedgerItem)
            lists[item.list_kind].append(item_view(item))
        return {"directive": directive_view(directive), "lists": lists}

    @query
    def list_items(
        self,
        group_id: str | None = None,
        unit_id: str | None = None,
        status: str | None = None,
        overdue: bool | None = None,
        source: str | None = None,
        for_unit: bool = False,
    ) -> list[dict[str, Any]]:
        """Items across directives (e.g. every overdue item, every inspection rectification item)."""
        rows = []
        for item_id in self.index.ids["item"]:
            item: LedgerItem = self.load(item_id, LedgerItem)
            if group_id and item.group_id != group_id or unit_id and item.unit_id != unit_id:
                continue
            if status and item.status != status or source and item.source != source:
                continue
            if overdue is not None and (item.overdue_on is not None) != overdue:
                continue
            rows.append(unit_item_view(item) if for_unit else item_view(item))
        return rows

    @query
    def get_scheduling_round(self, round_id: str) -> dict[str, Any]:
        round_: SchedulingRound = self.load(round_id, SchedulingRound)
        return plain({
            "round_id": round_id, "group_id": round_.group_id, "unit_id": round_.unit_id,
            "subject": round_.subject, "directive_ids": round_.directive_ids, "respond_by": round_.respond_by,
            "respond_by_rule": round_.respond_by_rule, "requested_on": round_.requested_on,
            "responses": round_.responses, "missing": round_.missing, "overdue_on": round_.overdue_on,
            "closed": round_.closed, "distribution": round_.default_distribution,
        })

    @query
    def get_reconciliation(self, reconciliation_id: str) -> dict[str, Any]:
        reconciliation: Reconciliation = self.load(reconciliation_id, Reconciliation)
        return plain({
            "reconciliation_id": reconciliation_id, "group_id": reconciliation.group_id,
            "unit_id": reconciliation.unit_id, "report_id": reconciliation.report_id,
            "period": reconciliation.period, "compared_on": reconciliation.compared_on,
            "matched": reconciliation.matched, "findings": reconciliation.findings,
            "distribution": reconciliation.default_distribution,
        })

    @query
    def list_reconciliations(self, group_id: str | None = None, unit_id: str | None = None) -> list[dict[str, Any]]:
        rows = [self.get_reconciliation(i) for i in self.index.ids["reconciliation"]]
        return [r for r in rows if (not group_id or r["group_id"] == group_id) and (not unit_id or r["unit_id"] == unit_id)]

    @query
    def three_looks(self, directive_id: str) -> dict[str, Any]:
        """看态度、看行动、看效果: days from receipt to relay/deployment/plan; evaluations; rectification."""
        directive: Directive = self.load(directive_id, Directive)
        attitude = {}
        for stage in STAGES[:3]:
            done = directive.stages.get(stage)
            attitude[stage] = None if done is None else (done["done_on"] - directive.received_on).days
        items = [self.load(i, LedgerItem) for i in self.index.items_by_directive.get(directive_id, [])]
        closed = [i for i in items if i.status == "closed"]
        look_backs = [lb for i in items for lb in i.look_backs]
        averages = {}
        for dimension in EVALUATION_DIMENSIONS:
            scores = [e["scores"][dimension] for e in directive.evaluations.values()]
            averages[dimension] = round(sum(scores) / len(scores), 2) if scores else None
        return plain({
            "directive_id": directive_id,
            "attitude": {"days_from_receipt": attitude, "received_on": directive.received_on},
            "action": {"evaluations": directive.evaluations, "averages": averages},
            "effect": {
                "items": len(items),
                "closed": len(closed),
                "overdue": sum(1 for i in items if i.overdue_on is not None),
                "reopened": sum(i.reopen_count for i in items),
                "look_backs": len(look_backs),
                "similar_checked": sum(1 for lb in look_backs if lb["similar_checked"]),
                "similar_links": sum(len(i.similar_item_ids) for i in items),
            },
        })
