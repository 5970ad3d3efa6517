"""The closed loop: scheduling rounds (调度), reconciliations (对账), the deadline scheduler."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field

from services.common.interface import (
    NO_CONTROL_CHARACTERS,
    Body,
    Command,
    Count,
    Fields,
    Id,
    Name,
    Query,
    Recorded,
    Result,
    Title,
)
from services.ledgers.interface.fields import SERVICE, DeadlineIn, Reference, ReportedStatus, Text


class RoundRecorded(Result):
    round_id: str
    position: int

class RoundOpened(RoundRecorded):
    respond_by: date

class ReconciliationChanged(Result):
    reconciliation_id: str
    position: int

class ReconciliationRecorded(ReconciliationChanged):
    findings: int = Field(description="对账发现数 (how many mismatches were found)")

class SchedulerRun(Recorded):
    stages_overdue: int
    items_overdue: int
    look_backs_due: int
    rounds_overdue: int

class RoundDirective(Result):
    directive_id: str
    reference_number: str | None = Field(description="文号 (None for a directive no longer in the ledger)")
    title: str | None

class RoundView(Result):
    round_id: str
    group_id: str
    unit_id: str
    subject: str
    directive_ids: list[str]
    respond_by: date
    respond_by_rule: dict[str, Any]
    requested_on: date
    responses: dict[str, dict[str, Any]] = Field(
        description="按批示件的答复：状态、说明、日期、答复人 `answered_by` {side: unit 单位答复 | group 驻部纪检监察组代为"
                    "录入, user, name, via: entered 录入 | progress_report 进展报告, report_id}")
    missing: list[str]
    overdue_on: date | None
    closed: bool
    distribution: str
    directives: list[RoundDirective] = Field(description="调度的批示件：文号、标题 (the directives asked about)")
    unmatched_reports: list[dict[str, Any]] = Field(
        description="未能对应的进展报告 (progress reports naming this round that answered nothing: the round was "
                    "closed, or the directives named are not in it): report_id, reason, directive_ids, reported_on")

class ReconciliationView(Result):
    reconciliation_id: str
    group_id: str
    unit_id: str
    report_id: str
    period: str
    compared_on: date
    matched: int
    findings: list[dict[str, Any]]
    distribution: str

class OpenSchedulingRound(Command[RoundOpened]):
    """Ask the unit for progress on these directives by a date (定期调度进展成效)."""

    service = SERVICE

    group_id: Id
    unit_id: Id
    subject: Title
    directive_ids: Annotated[list[Id], Field(max_length=500)]
    respond_by: DeadlineIn

class RoundResponseBody(Body):
    directive_id: Id
    status: ReportedStatus
    summary: Text

class RecordRoundResponse(Command[RoundRecorded], RoundResponseBody):
    """Record the answer for one directive of a scheduling round: the unit's liaison answers its own unit's
    round, or the group enters the unit's answer on its behalf (the event records which)."""

    service = SERVICE

    round_id: Id

class NoteBody(Body):
    note: Text = ""

class CloseSchedulingRound(Command[RoundRecorded], NoteBody):
    """End a scheduling round."""

    service = SERVICE

    round_id: Id

class ReportedRow(Fields):
    reference_number: Reference
    title: Annotated[str, Field(max_length=500, pattern=NO_CONTROL_CHARACTERS)]
    status: ReportedStatus

class Reconcile(Command[ReconciliationRecorded]):
    """Reconcile (对账) the master ledger with a supervision report entered by hand."""

    service = SERVICE

    group_id: Id
    unit_id: Id
    report_id: Name
    period: Annotated[str, Field(min_length=1, max_length=32, pattern=NO_CONTROL_CHARACTERS)]
    items: Annotated[list[ReportedRow], Field(max_length=2000)]

class ResolveFinding(Command[ReconciliationChanged], NoteBody):
    """Record how a reconciliation finding was dealt with."""

    service = SERVICE

    reconciliation_id: Id
    index: Count

class RunScheduler(Command[SchedulerRun]):
    """Record Overdue / LookBackDue events for every deadline that has passed (once each)."""

    service = SERVICE

class GetSchedulingRound(Query[RoundView]):
    service = SERVICE

    round_id: Id

class GetReconciliation(Query[ReconciliationView]):
    service = SERVICE

    reconciliation_id: Id
