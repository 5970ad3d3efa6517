"""Integration-event contracts of the ledgers service."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ConfigDict

from events.registry import Contract, contract, upcaster


@contract("ledgers.DirectiveRegistered", 1)
class DirectiveRegistered(Contract):
    directive_id: str
    reference_number: str
    issuer: str
    title: str
    issued_on: date
    received_on: date
    lead_department: str
    category: str | None
    tied_to_duties: bool


@contract("ledgers.DirectiveStageRecorded", 1)
class DirectiveStageRecorded(Contract):
    directive_id: str
    stage: str
    done_on: date
    skipped_with_reason: bool


@contract("ledgers.FirstAgendaItemRecorded", 1)
class FirstAgendaItemRecorded(Contract):
    """第一议题: at relay_study, whether the unit's party group studied the directive as its first agenda item,
    how many working days after receipt, against the threshold (a setting). `outcome`: in_time, late (studied
    as first item after the threshold) or missed (not as first item); late and missed are alerts."""

    directive_id: str
    first_agenda_item: bool
    studied_on: date
    received_on: date
    working_days_after_receipt: int
    threshold_working_days: int
    due_on: date
    outcome: str
    calendar: str
    """the working-day calendar (and its version) the count used"""
    provisional: bool
    """counted Monday–Friday in a year without a recorded holiday arrangement"""


# -- corrections, the loop's opening, stage deadlines, evaluations (distribution "hq") ---------------
class DeadlineRuleFacts(Contract):
    """How a deadline was computed: `count` calendar or working days after `from_date`."""

    basis: str
    """calendar | working (working days of the official Chinese calendar, 调休 included)"""
    count: int
    from_date: date


@contract("ledgers.DirectiveAmended", 1)
class DirectiveAmended(Contract):
    """A correction of a registration: the new values, the old ones and why (never an edit)."""

    directive_id: str
    changes: dict[str, str | bool | None]
    previous: dict[str, str | bool | None]
    reason: str


@contract("ledgers.DirectiveWithdrawn", 1)
class DirectiveWithdrawn(Contract):
    """A mistaken entry withdrawn from the master ledger (it stays in the history)."""

    directive_id: str
    reason: str


@contract("ledgers.DirectiveNotificationLinked", 1)
class DirectiveNotificationLinked(Contract):
    """The unit's notification (units.DirectiveNotified) was filed: opened_loop when it created the entry."""

    directive_id: str
    notification_id: str
    opened_loop: bool


@contract("ledgers.StageDeadlineSet", 1)
class StageDeadlineSet(Contract):
    directive_id: str
    stage: str
    rule: DeadlineRuleFacts
    due_on: date


@contract("ledgers.StageOverdue", 1)
class StageOverdue(Contract):
    directive_id: str
    stage: str
    due_on: date
    detected_on: date


@contract("ledgers.DepartmentEvaluated", 1)
class DepartmentEvaluated(Contract):
    """The four dimensions (思想认识、目标定位、责任落实、精神状态), scores 1 (poor) to 5 (good)."""

    directive_id: str
    department: str
    understanding: int
    goal_setting: int
    responsibility: int
    drive: int
    rationale: str
    evaluated_on: date


@contract("ledgers.CategoryConfigured", 1)
class CategoryConfigured(Contract):
    """A detail-ledger category of a group (细账类别) and its look-back interval."""

    code: str
    name: str
    look_back_basis: str
    look_back_days: int


# -- the four lists' items (distribution "unit": addressed to the unit) ------------------------------
@contract("ledgers.ItemOpened", 1)
class ItemOpenedV1(Contract):
    model_config = ConfigDict(frozen=True, extra="forbid", title="ItemOpened")

    item_id: str
    directive_id: str | None
    list_kind: str
    title: str
    owner: str
    deadline_rule: DeadlineRuleFacts | None
    due_on: date | None
    problem_type: str | None
    source: str
    source_ref: str | None


@contract("ledgers.ItemOpened", 2)
class ItemOpened(Contract):
    """v2 adds `owner_person_id`: the roster's id of the unit's person who owns the item (null when the owner is
    a department or a name only, and when upcast from v1); `owner` stays the name shown."""

    item_id: str
    directive_id: str | None
    list_kind: str
    """task | responsibility | problem | implementation"""
    title: str
    owner: str
    deadline_rule: DeadlineRuleFacts | None
    due_on: date | None
    problem_type: str | None
    source: str
    """group | notification | inspection | clue | import"""
    source_ref: str | None
    """the other service's record it came from (inspection rectification item, recommendation)"""
    owner_person_id: str | None = None
    """人员编号 of the owner on the unit's roster (以人看事: the person↔matter view links the item by it)"""


@upcaster("ledgers.ItemOpened", 1)
def _item_opened_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "owner_person_id": None}


@contract("ledgers.ItemProgressUpdated", 1)
class ItemProgressUpdated(Contract):
    item_id: str
    status: str
    """open | in_progress | done"""
    summary: str
    report_ref: str | None


@contract("ledgers.ItemDeadlineSet", 1)
class ItemDeadlineSet(Contract):
    item_id: str
    rule: DeadlineRuleFacts
    due_on: date
    reason: str


@contract("ledgers.ItemOverdue", 1)
class ItemOverdue(Contract):
    item_id: str
    due_on: date
    detected_on: date


@contract("ledgers.ItemClosed", 1)
class ItemClosed(Contract):
    """销号 with evidence; the look-back (回头看) is due on look_back_due_on."""

    item_id: str
    evidence_count: int
    closed_on: date
    look_back_due_on: date


@contract("ledgers.ItemLookBackDue", 1)
class ItemLookBackDue(Contract):
    item_id: str
    due_on: date
    detected_on: date


@contract("ledgers.ItemLookBackConfirmed", 1)
class ItemLookBackConfirmed(Contract):
    item_id: str
    similar_checked: bool
    checked_on: date


@contract("ledgers.ItemReopened", 1)
class ItemReopened(Contract):
    item_id: str
    reason: str
    reopened_on: date
    due_on: date | None


@contract("ledgers.SchedulingRoundOpened", 1)
class SchedulingRoundOpened(Contract):
    """调度: the group asks the unit for progress on these directives by respond_by (distribution "unit")."""

    round_id: str
    subject: str
    directive_ids: list[str]
    respond_by: date


@contract("ledgers.SchedulingRoundOverdue", 1)
class SchedulingRoundOverdue(Contract):
    round_id: str
    respond_by: date
    detected_on: date
    missing_directive_ids: list[str]


# -- group facts about items and the reconciliation (distribution "hq") ------------------------------
@contract("ledgers.ProblemJudged", 1)
class ProblemJudged(Contract):
    """精准分析研判: root causes and whether it is an individual's conduct or the political ecology."""

    item_id: str
    root_causes: list[str]
    """political_stance | capability_and_conduct | insufficient_responsibility | weak_institutions"""
    ecology: str
    """individual | political_ecology"""


class ReconciliationFinding(Contract):
    kind: str
    """missing_in_report | missing_in_ledger | status_differs"""
    reference_number: str
    directive_id: str | None
    title: str
    ledger_status: str | None
    reported_status: str | None


@contract("ledgers.ReconciliationRecorded", 1)
class ReconciliationRecorded(Contract):
    """对账: the master ledger compared with the unit's supervision report; every mismatch is a finding."""

    reconciliation_id: str
    report_id: str
    period: str
    compared_on: date
    matched: int
    findings: list[ReconciliationFinding]


# -- spreadsheet imports and the group's quarterly review (distribution "hq") ------------------------
class ImportedRow(Contract):
    row: int
    """the row number in the workbook"""
    reference_number: str
    directive_id: str


@contract("ledgers.LedgerImported", 1)
class LedgerImported(Contract):
    """A master ledger imported from an .xlsx file; each row also arrives as ledgers.DirectiveRegistered."""

    import_id: str
    sha256: str
    filename: str
    imported: list[ImportedRow]
    skipped_rows: list[int]
    imported_on: date


class FollowUpAction(Contract):
    action: str
    owner: str
    deadline: date


@contract("ledgers.QuarterlyReviewHeld", 1)
class QuarterlyReviewHeld(Contract):
    """组务会季度专题研究: the group meeting's study of its supervision work in a quarter."""

    review_id: str
    quarter: str
    """like 2025Q1"""
    meeting_on: date
    chaired_by: str
    attendees: list[str]
    topics: list[str]
    decisions: list[str]
    follow_ups: list[FollowUpAction]


@contract("ledgers.SelfLookBackRecorded", 1)
class SelfLookBackRecorded(Contract):
    """自身回头看: the group's findings about its own supervision work in the quarter (of QuarterlyReviewHeld)."""

    review_id: str
    good_practices: list[str]
    shortcomings: list[str]
    causes: list[str]
    measures: list[str]
    recorded_on: date


@contract("ledgers.ReviewFollowUpCompleted", 1)
class ReviewFollowUpCompleted(Contract):
    """A follow-up action of a quarterly review done; `index` is its position in QuarterlyReviewHeld.follow_ups."""

    review_id: str
    index: int
    note: str
    completed_on: date


# -- facts the read side needs (issue #11): evidence, follower, similar matters, rounds, findings --------
@contract("ledgers.ItemEvidenceAttached", 1)
class ItemEvidenceAttached(Contract):
    """Evidence added to an item before its closure (distribution "unit", like the item)."""

    item_id: str
    added: int
    """how many new references were attached"""


@contract("ledgers.ItemFollowerAssigned", 1)
class ItemFollowerAssigned(Contract):
    """专人督办: the group member who follows the item (published "hq": the unit does not see it)."""

    item_id: str
    follower: str
    """the follower's user id (account) in the item's group (the gateway checks membership); records from before
    the check may hold a name"""


@contract("ledgers.ProblemQualified", 1)
class ProblemQualified(Contract):
    """A problem's attributes (codes of services/ledgers/vocab.py; the note stays in the service), distribution
    "hq": the unit does not see the group's judgement."""

    item_id: str
    deviations: list[str]
    """偏向、变通、打折扣"""
    gaps: list[str]
    """落差、温差、偏差"""
    obstacles: list[str]
    """堵点、淤点、难点"""


@contract("ledgers.DefaultFollowerSet", 1)
class DefaultFollowerSet(Contract):
    """专人督办: the group member who follows the items policies open on their own."""

    follower: str


@contract("ledgers.SimilarMattersLinked", 1)
class SimilarMattersLinked(Contract):
    """举一反三: items the group linked to this one as similar matters (distribution "hq")."""

    item_id: str
    similar_item_ids: list[str]


@contract("ledgers.SchedulingRoundResponded", 1)
class SchedulingRoundRespondedV1(Contract):
    """The unit's answer for one directive of a scheduling round (distribution "unit")."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="SchedulingRoundResponded")

    round_id: str
    directive_id: str
    status: str
    """not_started | in_progress | completed"""
    responded_on: date


@contract("ledgers.SchedulingRoundResponded", 2)
class SchedulingRoundResponded(Contract):
    """The unit's answer for one directive of a scheduling round (distribution "unit").

    v2 says who answered: `answered_by` `unit` (the unit's own user, or its progress report) or `group` (the
    group entering the unit's answer on its behalf), `via` `entered` or `progress_report` with its `report_id`.
    Upcast from v1: `group`, `entered` (only the group could enter answers then)."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="SchedulingRoundResponded")

    round_id: str
    directive_id: str
    status: str
    """not_started | in_progress | completed"""
    responded_on: date
    answered_by: str
    """unit | group"""
    via: str
    """entered | progress_report"""
    report_id: str | None = None


@upcaster("ledgers.SchedulingRoundResponded", 1)
def _round_responded_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "answered_by": "group", "via": "entered", "report_id": None}


@contract("ledgers.SchedulingRoundClosed", 1)
class SchedulingRoundClosed(Contract):
    round_id: str


@contract("ledgers.ReconciliationFindingResolved", 1)
class ReconciliationFindingResolved(Contract):
    """A reconciliation finding dealt with; `index` is its position in ReconciliationRecorded.findings."""

    reconciliation_id: str
    index: int
    resolved_on: date


# -- the working-day calendar (owned by the ledgers service; every service records it by a policy) --------
class HolidayFacts(Contract):
    """One festival of a State Council notice: days off (first to last, inclusive) and weekend days worked."""

    name: str
    first_day: date
    last_day: date
    makeup_workdays: list[date]


@contract("ledgers.CalendarArrangementRecorded", 1)
class CalendarArrangementRecorded(Contract):
    """A year's holiday arrangement recorded from the notice (国务院办公厅关于某年部分节假日安排的通知)."""

    year: int
    reference: str
    title: str
    published_on: date | None
    holidays: list[HolidayFacts]
    version: str
    """the notice's reference and a digest of the days it decides: what deadlines record as their calendar"""


@contract("ledgers.DeadlineRecomputed", 1)
class DeadlineRecomputed(Contract):
    """A deadline counted Monday–Friday (provisional) counted again once its year's arrangement was recorded."""

    record_kind: str
    """stage (a directive's stage deadline) | item (an item's deadline) | look_back (a closed item's look-back)
    | round (a scheduling round's reply date)"""
    record_id: str
    stage: str | None
    rule: DeadlineRuleFacts
    old_due_on: date
    new_due_on: date
    calendar: str


@contract("ledgers.AccountabilityProposed", 1)
class AccountabilityProposed(Contract):
    """执责必严、失责必问: accountability proposed against a person of the unit's roster for a failed duty on a
    directive's items (distribution "hq"; the grounds are read by id from the ledgers service)."""

    accountability_id: str
    directive_id: str
    item_ids: list[str]
    person_id: str
    """the units service's roster id of the person"""
    form: str
    """one of: notification, admonishment, organisational_adjustment, disciplinary_sanction"""
    proposed_on: date


@contract("ledgers.AccountabilityDecided", 1)
class AccountabilityDecided(Contract):
    """The decision on a proposed accountability: decided in a form, or not pursued."""

    accountability_id: str
    outcome: str
    """one of: decided, not_pursued"""
    form: str | None = None
    decided_by_body: str
    decided_on: date
