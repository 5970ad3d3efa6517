"""Ledgers domain events -> published integration events."""

from __future__ import annotations

from datetime import date
from typing import Any

from events import ledgers as contracts
from services.common.integration import IntegrationMapper, Published
from services.ledgers.domain.config import GroupLedgerConfig
from services.ledgers.domain.imports import ImportBatch
from services.ledgers.domain.items import LedgerItem
from services.ledgers.domain.loop import Reconciliation, SchedulingRound
from services.ledgers.domain.reviews import QuarterlyReview
from services.ledgers.domainmodel import Directive

mapper = IntegrationMapper("ledgers")


@mapper.maps(Directive.Registered)
def directive_registered(event: Any) -> Published:
    return Published(
        contracts.DirectiveRegistered(
            directive_id=str(event.originator_id),
            reference_number=event.reference_number,
            issuer=event.issuer,
            title=event.title,
            issued_on=event.issued_on,
            received_on=event.received_on,
            lead_department=event.lead_department,
            category=event.category,
            tied_to_duties=event.tied_to_duties,
        )
    )


@mapper.maps(Directive.StageRecorded)
def stage_recorded(event: Any) -> Published:
    return Published(
        contracts.DirectiveStageRecorded(
            directive_id=str(event.originator_id),
            stage=event.stage,
            done_on=event.done_on,
            skipped_with_reason=bool(event.skip_reason),
        )
    )


def _facts(rule: dict[str, Any] | None) -> contracts.DeadlineRuleFacts | None:
    return None if rule is None else contracts.DeadlineRuleFacts(**rule)


def _required_facts(rule: dict[str, Any]) -> contracts.DeadlineRuleFacts:
    return contracts.DeadlineRuleFacts(**rule)


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}


@mapper.maps(Directive.Amended)
def directive_amended(event: Any) -> Published:
    return Published(contracts.DirectiveAmended(
        directive_id=str(event.originator_id), changes=_plain(event.changes), previous=_plain(event.previous),
        reason=event.reason,
    ))


@mapper.maps(Directive.Withdrawn)
def directive_withdrawn(event: Any) -> Published:
    return Published(contracts.DirectiveWithdrawn(directive_id=str(event.originator_id), reason=event.reason))


@mapper.maps(Directive.NotificationLinked)
def notification_linked(event: Any) -> Published:
    return Published(contracts.DirectiveNotificationLinked(
        directive_id=str(event.originator_id), notification_id=event.notification_id,
        opened_loop=event.opened_loop,
    ))


@mapper.maps(Directive.StageDeadlineSet)
def stage_deadline_set(event: Any) -> Published:
    return Published(contracts.StageDeadlineSet(
        directive_id=str(event.originator_id), stage=event.stage, rule=_required_facts(event.rule), due_on=event.due_on,
    ))


@mapper.maps(Directive.StageOverdue)
def stage_overdue(event: Any) -> Published:
    return Published(contracts.StageOverdue(
        directive_id=str(event.originator_id), stage=event.stage, due_on=event.due_on,
        detected_on=event.detected_on,
    ))


@mapper.maps(Directive.Evaluated)
def department_evaluated(event: Any) -> Published:
    return Published(contracts.DepartmentEvaluated(
        directive_id=str(event.originator_id), department=event.department, rationale=event.rationale,
        evaluated_on=event.evaluated_on, **event.scores,
    ))


@mapper.maps(GroupLedgerConfig.CategoryConfigured)
def category_configured(event: Any) -> Published:
    return Published(contracts.CategoryConfigured(
        code=event.code, name=event.name, look_back_basis=event.look_back_basis,
        look_back_days=event.look_back_days,
    ))


@mapper.maps(LedgerItem.Opened)
def item_opened(event: Any) -> Published:
    return Published(contracts.ItemOpened(
        item_id=str(event.originator_id), directive_id=event.directive_id, list_kind=event.list_kind,
        title=event.title, owner=event.owner, deadline_rule=_facts(event.deadline_rule), due_on=event.due_on,
        problem_type=event.problem_type, source=event.source, source_ref=event.source_ref,
    ))


@mapper.maps(LedgerItem.ProgressUpdated)
def item_progress(event: Any) -> Published:
    return Published(contracts.ItemProgressUpdated(
        item_id=str(event.originator_id), status=event.status, summary=event.summary, report_ref=event.report_ref,
    ))


@mapper.maps(LedgerItem.DeadlineSet)
def item_deadline(event: Any) -> Published:
    return Published(contracts.ItemDeadlineSet(
        item_id=str(event.originator_id), rule=_required_facts(event.rule), due_on=event.due_on, reason=event.reason,
    ))


@mapper.maps(LedgerItem.Overdue)
def item_overdue(event: Any) -> Published:
    return Published(contracts.ItemOverdue(
        item_id=str(event.originator_id), due_on=event.due_on, detected_on=event.detected_on,
    ))


@mapper.maps(LedgerItem.Closed)
def item_closed(event: Any) -> Published:
    return Published(contracts.ItemClosed(
        item_id=str(event.originator_id), evidence_count=len(event.evidence_refs), closed_on=event.closed_on,
        look_back_due_on=event.look_back_due_on,
    ))


@mapper.maps(LedgerItem.LookBackDue)
def item_look_back_due(event: Any) -> Published:
    return Published(contracts.ItemLookBackDue(
        item_id=str(event.originator_id), due_on=event.due_on, detected_on=event.detected_on,
    ))


@mapper.maps(LedgerItem.LookBackConfirmed)
def item_look_back_confirmed(event: Any) -> Published:
    return Published(contracts.ItemLookBackConfirmed(
        item_id=str(event.originator_id), similar_checked=event.similar_checked, checked_on=event.checked_on,
    ))


@mapper.maps(LedgerItem.Reopened)
def item_reopened(event: Any) -> Published:
    return Published(contracts.ItemReopened(
        item_id=str(event.originator_id), reason=event.reason, reopened_on=event.reopened_on, due_on=event.due_on,
    ))


@mapper.maps(LedgerItem.RootCauseJudged)
def problem_judged(event: Any) -> Published:
    return Published(contracts.ProblemJudged(
        item_id=str(event.originator_id), root_causes=event.root_causes, ecology=event.ecology,
    ))


@mapper.maps(SchedulingRound.Opened)
def round_opened(event: Any) -> Published:
    return Published(contracts.SchedulingRoundOpened(
        round_id=str(event.originator_id), subject=event.subject, directive_ids=event.directive_ids,
        respond_by=event.respond_by,
    ))


@mapper.maps(SchedulingRound.Overdue)
def round_overdue(event: Any) -> Published:
    return Published(contracts.SchedulingRoundOverdue(
        round_id=str(event.originator_id), respond_by=event.due_on, detected_on=event.detected_on,
        missing_directive_ids=event.missing,
    ))


@mapper.maps(Reconciliation.Recorded)
def reconciliation_recorded(event: Any) -> Published:
    return Published(contracts.ReconciliationRecorded(
        reconciliation_id=str(event.originator_id), report_id=event.report_id, period=event.period,
        compared_on=event.compared_on, matched=event.matched,
        findings=[contracts.ReconciliationFinding(**f) for f in event.findings],
    ))


@mapper.maps(ImportBatch.Recorded)
def ledger_imported(event: Any) -> Published:
    return Published(contracts.LedgerImported(
        import_id=str(event.originator_id), sha256=event.sha256, filename=event.filename,
        imported=[contracts.ImportedRow(**row) for row in event.imported],
        skipped_rows=[row["row"] for row in event.skipped], imported_on=event.imported_on,
    ))


@mapper.maps(QuarterlyReview.Held)
def quarterly_review_held(event: Any) -> Published:
    return Published(contracts.QuarterlyReviewHeld(
        review_id=str(event.originator_id), quarter=event.quarter, meeting_on=event.meeting_on,
        chaired_by=event.chaired_by, attendees=event.attendees, topics=event.topics, decisions=event.decisions,
        follow_ups=[contracts.FollowUpAction(**f) for f in event.follow_ups],
    ))


@mapper.maps(QuarterlyReview.SelfLookBackRecorded)
def self_look_back_recorded(event: Any) -> Published:
    return Published(contracts.SelfLookBackRecorded(
        review_id=str(event.originator_id),
        good_practices=event.good_practices, shortcomings=event.shortcomings, causes=event.causes,
        measures=event.measures, recorded_on=event.recorded_on,
    ))


@mapper.maps(QuarterlyReview.FollowUpCompleted)
def review_follow_up_completed(event: Any) -> Published:
    return Published(contracts.ReviewFollowUpCompleted(
        review_id=str(event.originator_id), index=event.index, note=event.note, completed_on=event.completed_on,
    ))
