"""Reactions to other services' integration events (recorded exactly once with the consumed position)."""

from __future__ import annotations

from typing import Any

from eventsourcing.application import ProcessingEvent

from events import clues, inspections, units
from events.envelope import Envelope
from services.common.application import policy
from services.common.clock import beijing_date
from services.common.errors import InvalidInputError, NotFoundError
from services.ledgers.deadlines import DeadlineRule
from services.ledgers.domain.items import LedgerItem, item_id_for
from services.ledgers.domain.loop import SchedulingRound
from services.ledgers.domainmodel import Directive
from services.ledgers.interface import RegisterDirective
from services.ledgers.records import LedgerRecords
from services.ledgers.vocab import PROBLEM_TYPES

UnmatchedReportError = InvalidInputError.kind("UnmatchedReportError", "report_unmatched")
"""A progress report naming a round the ledgers cannot file it under (its event goes to the dead letters)."""


class Policies(LedgerRecords):
    def _routing(self, envelope: Envelope) -> tuple[str, str] | None:
        if not envelope.group_id or not envelope.unit_id:
            return None  # nothing to file it under; tracking still advances
        return envelope.group_id, envelope.unit_id

    @policy("units.DirectiveNotified")
    def on_directive_notified(
        self, envelope: Envelope, payload: units.DirectiveNotified, processing: ProcessingEvent[Any]
    ) -> None:
        """The unit's notification opens the loop: a new master-ledger entry, or a link to the existing one."""
        routing = self._routing(envelope)
        if routing is None:
            return
        group_id, unit_id = routing
        existing = self.directive_with_reference(unit_id, payload.reference_number)
        if existing is not None:
            directive = self.get(existing, Directive)
            if payload.notification_id not in directive.notifications:
                directive.link_notification(notification_id=payload.notification_id, opened_loop=False)
                processing.collect_events(directive)
            return
        issued_on = min(payload.issued_on, payload.received_on)
        directive, others = self.new_directive(RegisterDirective(
            group_id=group_id, unit_id=unit_id, reference_number=payload.reference_number, issuer=payload.issuer,
            title=payload.title, issued_on=issued_on, received_on=payload.received_on,
            lead_department=payload.lead_department,
        ))
        directive.link_notification(notification_id=payload.notification_id, opened_loop=True)
        processing.collect_events(directive, *others)

    @policy("units.SupervisionReportSubmitted")
    def on_supervision_report(
        self, envelope: Envelope, payload: units.SupervisionReportSubmitted, processing: ProcessingEvent[Any]
    ) -> None:
        """Reconcile (对账) the master ledger with the unit's supervision report; each mismatch is a finding."""
        routing = self._routing(envelope)
        if routing is None:
            return
        items = [item.model_dump() for item in payload.items]
        reconciliation = self.new_reconciliation(routing[0], routing[1], payload.report_id, payload.period, items)
        if reconciliation is not None:
            processing.collect_events(reconciliation)

    @policy("inspections.RectificationItemHandedOver")
    def on_rectification_handed_over(
        self, envelope: Envelope, payload: inspections.RectificationItemHandedOver, processing: ProcessingEvent[Any]
    ) -> None:
        """A rectification item after an inspection round enters the problem list (巡视整改)."""
        routing = self._routing(envelope)
        if routing is None:
            return
        key = f"inspections/{payload.item_id}"
        if item_id_for(key) in self.repository:
            return
        problem_type = payload.problem_type if payload.problem_type in PROBLEM_TYPES else "other"
        origin = f"巡视轮次 {payload.round_id}" if payload.round_id else f"监督活动 {payload.activity_id}"
        item = self.new_item(
            group_id=routing[0], unit_id=routing[1], directive_id=None, list_kind="problem",
            title=payload.title, owner=payload.responsible_department,
            deadline=DeadlineRule.on(payload.deadline),
            description=f"{payload.description}\n（来源 source: {origin}）", problem_type=problem_type,
            source="inspection", source_ref=payload.item_id, source_key=key,
            **self._policy_follower(routing[0]),
        )
        processing.collect_events(item)

    @policy("clues.RecommendationIssued")
    def on_recommendation_issued(
        self, envelope: Envelope, payload: clues.RecommendationIssued, processing: ProcessingEvent[Any]
    ) -> None:
        """A supervision recommendation (纪检监察建议): one implementation item per recommendation."""
        routing = self._routing(envelope)
        if routing is None:
            return
        created = []
        problems = "；".join(payload.problems)
        for number, text in enumerate(payload.recommendations or [payload.title], start=1):
            key = f"clues/{payload.recommendation_id}/{number}"
            if item_id_for(key) in self.repository:
                continue
            created.append(self.new_item(
                group_id=routing[0], unit_id=routing[1], directive_id=None, list_kind="implementation",
                title=f"{payload.title}（{payload.reference_number}）第{number}条：{text}",
                owner=payload.responsible_department, deadline=DeadlineRule.on(payload.deadline),
                description=f"指出问题 (problems): {problems}", source="clue",
                source_ref=payload.recommendation_id, source_key=key, **self._policy_follower(routing[0]),
            ))
        if created:
            processing.collect_events(*created)

    @policy("units.RectificationReported")
    def on_rectification_reported(
        self, envelope: Envelope, payload: units.RectificationReported, processing: ProcessingEvent[Any]
    ) -> None:
        """The unit reports what it did: the items it answers get progress (done when completed) and evidence."""
        targets = list(self.index.items_by_source_ref.get(payload.subject_ref, []))
        if not targets and self._is_item(payload.subject_ref):
            targets = [payload.subject_ref]
        evidence = f"units:report:{payload.report_id}"
        changed = []
        for item_id in targets:
            item = self.get(item_id, LedgerItem)
            if item.status == "closed" or envelope.unit_id not in (None, item.unit_id):
                continue
            item.update_progress(status="done" if payload.completed else "in_progress",
                                 summary=payload.summary, reported_by="unit", report_ref=payload.report_id)
            if evidence not in item.evidence_refs:
                item.attach_evidence(evidence_refs=[evidence], note="单位整改报告 (the unit's report)")
            changed.append(item)
        if changed:
            processing.collect_events(*changed)

    @policy("units.ProgressReported")
    def on_progress_reported(
        self, envelope: Envelope, payload: units.ProgressReported, processing: ProcessingEvent[Any]
    ) -> None:
        """The unit's progress report that names a scheduling round (定期调度) answers it: its status per directive
        becomes the round's responses, once (a redelivered report records nothing). A report for a closed round,
        or naming directives not in it, is recorded on the round as unmatched; one for a round that does not
        exist or is another unit's cannot be filed anywhere and is refused (dead-lettered), the feed goes on."""
        if payload.round_id is None:
            return  # progress on a directive or matter, answering no round
        try:
            round_: SchedulingRound = self.get(payload.round_id, SchedulingRound)
        except NotFoundError as error:
            raise UnmatchedReportError("进展报告所答调度不存在 (the report names no known round)") from error
        if envelope.unit_id != round_.unit_id or envelope.group_id not in (None, round_.group_id):
            raise UnmatchedReportError("进展报告所答调度属于其他单位 (the report names another unit's round)")
        reported_on = beijing_date(envelope.occurred_at)
        answers = [answer.model_dump() for answer in payload.directive_statuses]
        by = {"side": "unit", "user": envelope.actor.user, "name": None}
        if round_.apply_report(payload.report_id, answers, payload.summary, reported_on, by):
            processing.collect_events(round_)

    def _policy_follower(self, group_id: str) -> dict[str, Any]:
        """专人督办 for an item a policy opens: the group's default follower (no directive names one: these items
        come from an inspection round or a recommendation). A group that named none gets the item without a
        follower rather than a stalled feed; the workbench lists it for assignment."""
        follower = self.default_follower(group_id)
        return {"follower": follower, "follower_required": follower is not None}

    def _is_item(self, value: str) -> bool:
        try:
            self.get(value, LedgerItem)
        except NotFoundError:  # not an id, no such aggregate, or not an item
            return False
        return True
