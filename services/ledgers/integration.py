"""Ledgers domain events -> published integration events."""

from __future__ import annotations

from typing import Any

from events import ledgers as contracts
from events.plain import plain
from services.common.calendar import CalendarArrangement
from services.common.integration import IntegrationMapper, Published
from services.ledgers.deadlines import rule_facts
from services.ledgers.domain.accountability import Accountability
from services.ledgers.domain.config import GroupLedgerConfig
from services.ledgers.domain.imports import ImportBatch
from services.ledgers.domain.items import LedgerItem
from services.ledgers.domain.loop import LEGACY_ANSWERER, Reconciliation, SchedulingRound
from services.ledgers.domain.reviews import QuarterlyReview
from services.ledgers.domainmodel import Directive

mapper = IntegrationMapper("ledgers")


@mapper.maps(Directive.Registered, publishes=contracts.DirectiveRegistered)
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


@mapper.maps(Directive.StageRecorded, publishes=contracts.DirectiveStageRecorded)
def stage_recorded(event: Any) -> Published:
    return Published(
        contracts.DirectiveStageRecorded(
            directive_id=str(event.originator_id),
            stage=event.stage,
            done_on=event.done_on,
            skipped_with_reason=bool(event.skip_reason),
        )
    )


@mapper.maps(Directive.FirstAgendaRecorded, publishes=contracts.FirstAgendaItemRecorded)
def first_agenda_recorded(event: Any) -> Published:
    return Published(contracts.FirstAgendaItemRecorded(
        directive_id=str(event.originator_id), first_agenda_item=event.first_agenda_item,
        studied_on=event.studied_on, received_on=event.received_on,
        working_days_after_receipt=event.working_days_after_receipt,
        threshold_working_days=event.threshold_working_days, due_on=event.due_on, outcome=event.outcome,
        calendar=event.calendar, provisional=event.provisional,
    ))


def _facts(rule: dict[str, Any] | None) -> contracts.DeadlineRuleFacts | None:
    return None if rule is None else _required_facts(rule)


def _required_facts(rule: dict[str, Any]) -> contracts.DeadlineRuleFacts:
    return contracts.DeadlineRuleFacts(**rule_facts(rule))  # the v1 contract: the rule without its calendar


@mapper.maps(Directive.Amended, publishes=contracts.DirectiveAmended)
def directive_amended(event: Any) -> Published:
    return Published(contracts.DirectiveAmended(
        directive_id=str(event.originator_id), changes=plain(event.changes), previous=plain(event.previous),
        reason=event.reason,
    ))


@mapper.maps(Directive.Categorised)
def directive_categorised(event: Any) -> Published:
    """Published in the v1 contract the read models already follow for a category change; the domain event
    is its own (Categorised), never an amendment of the directive."""
    return Published(contracts.DirectiveAmended(
        directive_id=str(event.originator_id), changes={"category": event.category},
        previous={"category": event.previous}, reason=event.reason or "归入细账 (categorised)",
    ))


mapper.copies(Directive.Withdrawn, contracts.DirectiveWithdrawn, id_field="directive_id")
mapper.copies(Directive.NotificationLinked, contracts.DirectiveNotificationLinked, id_field="directive_id")


@mapper.maps(Directive.StageDeadlineSet, publishes=contracts.StageDeadlineSet)
def stage_deadline_set(event: Any) -> Published:
    return Published(contracts.StageDeadlineSet(
        directive_id=str(event.originator_id), stage=event.stage, rule=_required_facts(event.rule), due_on=event.due_on,
    ))


mapper.copies(Directive.StageOverdue, contracts.StageOverdue, id_field="directive_id")


@mapper.maps(Directive.Evaluated, publishes=contracts.DepartmentEvaluated)
def department_evaluated(event: Any) -> Published:
    return Published(contracts.DepartmentEvaluated(
        directive_id=str(event.originator_id), department=event.department, rationale=event.rationale,
        evaluated_on=event.evaluated_on, **event.scores,
    ))


@mapper.maps(GroupLedgerConfig.CategoryConfigured, publishes=contracts.CategoryConfigured)
def category_configured(event: Any) -> Published:
    return Published(contracts.CategoryConfigured(
        code=event.code, name=event.name, look_back_basis=event.look_back_basis,
        look_back_days=event.look_back_days,
    ))


@mapper.maps(LedgerItem.Opened, publishes=contracts.ItemOpened)
def item_opened(event: Any) -> Published:
    return Published(contracts.ItemOpened(
        item_id=str(event.originator_id), directive_id=event.directive_id, list_kind=event.list_kind,
        title=event.title, owner=event.owner, deadline_rule=_facts(event.deadline_rule), due_on=event.due_on,
        problem_type=event.problem_type, source=event.source, source_ref=event.source_ref,
        owner_person_id=getattr(event, "owner_person_id", None),
    ))


mapper.copies(LedgerItem.ProgressUpdated, contracts.ItemProgressUpdated, id_field="item_id")


@mapper.maps(LedgerItem.DeadlineSet, publishes=contracts.ItemDeadlineSet)
def item_deadline(event: Any) -> Published:
    return Published(contracts.ItemDeadlineSet(
        item_id=str(event.originator_id), rule=_required_facts(event.rule), due_on=event.due_on, reason=event.reason,
    ))


mapper.copies(LedgerItem.Overdue, contracts.ItemOverdue, id_field="item_id")


@mapper.maps(LedgerItem.Closed, publishes=contracts.ItemClosed)
def item_closed(event: Any) -> Published:
    return Published(contracts.ItemClosed(
        item_id=str(event.originator_id), evidence_count=len(event.evidence_refs), closed_on=event.closed_on,
        look_back_due_on=event.look_back_due_on,
    ))


mapper.copies(LedgerItem.LookBackDue, contracts.ItemLookBackDue, id_field="item_id")
mapper.copies(LedgerItem.LookBackConfirmed, contracts.ItemLookBackConfirmed, id_field="item_id")
mapper.copies(LedgerItem.Reopened, contracts.ItemReopened, id_field="item_id")
mapper.copies(LedgerItem.RootCauseJudged, contracts.ProblemJudged, id_field="item_id")
mapper.copies(SchedulingRound.Opened, contracts.SchedulingRoundOpened, id_field="round_id")


@mapper.maps(SchedulingRound.Overdue, publishes=contracts.SchedulingRoundOverdue)
def round_overdue(event: Any) -> Published:
    return Published(contracts.SchedulingRoundOverdue(
        round_id=str(event.originator_id), respond_by=event.due_on, detected_on=event.detected_on,
        missing_directive_ids=event.missing,
    ))


@mapper.maps(Reconciliation.Recorded, publishes=contracts.ReconciliationRecorded)
def reconciliation_recorded(event: Any) -> Published:
    return Published(contracts.ReconciliationRecorded(
        reconciliation_id=str(event.originator_id), report_id=event.report_id, period=event.period,
        compared_on=event.compared_on, matched=event.matched,
        findings=[contracts.ReconciliationFinding(**f) for f in event.findings],
    ))


@mapper.maps(ImportBatch.Recorded, publishes=contracts.LedgerImported)
def ledger_imported(event: Any) -> Published:
    return Published(contracts.LedgerImported(
        import_id=str(event.originator_id), sha256=event.sha256, filename=event.filename,
        imported=[contracts.ImportedRow(**row) for row in event.imported],
        skipped_rows=[row["row"] for row in event.skipped], imported_on=event.imported_on,
    ))


@mapper.maps(QuarterlyReview.Held, publishes=contracts.QuarterlyReviewHeld)
def quarterly_review_held(event: Any) -> Published:
    return Published(contracts.QuarterlyReviewHeld(
        review_id=str(event.originator_id), quarter=event.quarter, meeting_on=event.meeting_on,
        chaired_by=event.chaired_by, attendees=event.attendees, topics=event.topics, decisions=event.decisions,
        follow_ups=[contracts.FollowUpAction(**f) for f in event.follow_ups],
    ))


mapper.copies(QuarterlyReview.SelfLookBackRecorded, contracts.SelfLookBackRecorded, id_field="review_id")
mapper.copies(QuarterlyReview.FollowUpCompleted, contracts.ReviewFollowUpCompleted, id_field="review_id")


# -- facts the read side needs (issue #11) ----------------------------------------------------------
@mapper.maps(LedgerItem.EvidenceAttached)
def evidence_attached(event: Any) -> Published:
    return Published(contracts.ItemEvidenceAttached(item_id=str(event.originator_id), added=len(event.evidence_refs)))


@mapper.maps(LedgerItem.FollowerAssigned)
def follower_assigned(event: Any) -> Published:
    """The follower is the group's own business: published to HQ and the group, never to the unit."""
    return Published(contracts.ItemFollowerAssigned(item_id=str(event.originator_id), follower=event.follower),
                     distribution="hq")


@mapper.maps(LedgerItem.ProblemQualified, publishes=contracts.ProblemQualified)
def problem_qualified(event: Any) -> Published:
    return Published(contracts.ProblemQualified(item_id=str(event.originator_id), deviations=list(event.deviations),
                                                gaps=list(event.gaps), obstacles=list(event.obstacles)),
                     distribution="hq")


@mapper.maps(GroupLedgerConfig.DefaultFollowerSet, publishes=contracts.DefaultFollowerSet)
def default_follower_set(event: Any) -> Published:
    return Published(contracts.DefaultFollowerSet(follower=event.follower))


@mapper.maps(LedgerItem.SimilarLinked)
def similar_linked(event: Any) -> Published:
    return Published(contracts.SimilarMattersLinked(item_id=str(event.originator_id),
                                                    similar_item_ids=list(event.similar_item_ids)))


@mapper.maps(SchedulingRound.ResponseRecorded)
def round_responded(event: Any) -> Published:
    by = getattr(event, "answered_by", None) or LEGACY_ANSWERER  # absent before the unit could answer
    return Published(contracts.SchedulingRoundResponded(
        round_id=str(event.originator_id), directive_id=event.directive_id, status=event.status,
        responded_on=event.responded_on, answered_by=by["side"], via=by["via"], report_id=by.get("report_id"),
    ))


@mapper.maps(SchedulingRound.Closed)
def round_closed(event: Any) -> Published:
    return Published(contracts.SchedulingRoundClosed(round_id=str(event.originator_id)))


@mapper.maps(Reconciliation.FindingResolved)
def finding_resolved(event: Any) -> Published:
    return Published(contracts.ReconciliationFindingResolved(
        reconciliation_id=str(event.originator_id), index=event.index, resolved_on=event.resolved_on,
    ))


@mapper.maps(CalendarArrangement.Recorded)
def calendar_arrangement_recorded(event: Any) -> Published | None:
    if event.learnt_from is not None:
        return None  # only the arrangement recorded here is published
    return Published(contracts.CalendarArrangementRecorded(
        year=event.year, reference=event.reference, title=event.title, published_on=event.published_on,
        holidays=[contracts.HolidayFacts(**h) for h in event.holidays], version=event.calendar_version,
    ))


@mapper.maps(Directive.StageDeadlineRecomputed)
def stage_deadline_recomputed(event: Any) -> Published:
    return Published(contracts.DeadlineRecomputed(
        record_kind="stage", record_id=str(event.originator_id), stage=event.stage,
        rule=_required_facts(event.rule), old_due_on=event.old_due_on, new_due_on=event.new_due_on,
        calendar=event.calendar,
    ))


def _recomputed(kind: str) -> Any:
    def publish(event: Any) -> Published:
        return Published(contracts.DeadlineRecomputed(
            record_kind=kind, record_id=str(event.originator_id), stage=None,
            rule=_required_facts(event.rule), old_due_on=event.old_due_on, new_due_on=event.new_due_on,
            calendar=event.calendar,
        ))

    return publish


mapper.maps(LedgerItem.DeadlineRecomputed)(_recomputed("item"))
mapper.maps(LedgerItem.LookBackRecomputed)(_recomputed("look_back"))
mapper.maps(SchedulingRound.DeadlineRecomputed)(_recomputed("round"))


mapper.copies(Accountability.Proposed, contracts.AccountabilityProposed, id_field="accountability_id")
mapper.copies(Accountability.Decided, contracts.AccountabilityDecided, id_field="accountability_id")
