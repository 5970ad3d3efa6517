"""Ledgers routes for four-list items, scheduling rounds, reconciliations and the scheduler."""

from __future__ import annotations

from fastapi import APIRouter

from authz import Permission
from gateway.deps import Services
from gateway.ledgers.access import group_filter, readable
from gateway.permissions import require
from services.common.interface import Count, Id
from services.ledgers.interface import (
    AssignFollower,
    AttachEvidence,
    CloseItem,
    CloseSchedulingRound,
    ClosureBody,
    EvidenceBody,
    FollowerBody,
    GetItem,
    GetReconciliation,
    GetSchedulingRound,
    ItemClosed,
    ItemDeadlineBody,
    ItemDeadlineSet,
    ItemRecorded,
    ItemSource,
    ItemStatus,
    ItemView,
    JudgementBody,
    JudgeProblem,
    LinkSimilar,
    ListItems,
    ListReconciliations,
    LookBackBody,
    LookBackRecorded,
    NoteBody,
    OpenSchedulingRound,
    ProgressBody,
    Reconcile,
    ReconciliationChanged,
    ReconciliationRecorded,
    ReconciliationView,
    RecordLookBack,
    RecordRoundResponse,
    ResolveFinding,
    RoundOpened,
    RoundRecorded,
    RoundResponseBody,
    RoundView,
    RunScheduler,
    SchedulerRun,
    SetItemDeadline,
    SimilarBody,
    UnitItemView,
    UpdateItemProgress,
)

router = APIRouter()
"""Included by gateway.ledgers.router under /api/ledgers."""


@router.get("/items")
def list_items(services: Services, status: ItemStatus | None = None, overdue: bool | None = None,
               source: ItemSource | None = None,
               permission: Permission = require("ledgers.read_item", listing=True)) -> list[ItemView | UnitItemView]:
    """Items across directives; a unit user gets the items addressed to their unit, without the group's notes."""
    principal = permission.principal
    unit = principal.unit_id if principal.org_kind == "unit" else None
    rows = services.run(ListItems(group_id=group_filter(principal), unit_id=unit, status=status, overdue=overdue,
                                  source=source, for_unit=principal.org_kind == "unit"), permission)
    return readable(principal, rows)


@router.get("/items/{item_id}")
def get_item(item_id: Id, services: Services,
             permission: Permission = require("ledgers.read_item")) -> ItemView | UnitItemView:
    """One item; a unit user sees it without the group's own judgement of it."""
    for_unit = permission.principal.org_kind == "unit"
    return services.run(GetItem(item_id=item_id, for_unit=for_unit), permission)


@router.post("/items/{item_id}/progress")
def update_progress(item_id: Id, body: ProgressBody, services: Services,
                    permission: Permission = require("ledgers.record_item")) -> ItemRecorded:
    """Record the item's progress (动态跟踪)."""
    return services.run(UpdateItemProgress(item_id=item_id, **body.fields()), permission)


@router.post("/items/{item_id}/evidence")
def attach_evidence(item_id: Id, body: EvidenceBody, services: Services,
                    permission: Permission = require("ledgers.record_item")) -> ItemRecorded:
    """Attach evidence references to an item."""
    return services.run(AttachEvidence(item_id=item_id, **body.fields()), permission)


@router.post("/items/{item_id}/follower")
def assign_follower(item_id: Id, body: FollowerBody, services: Services,
                    permission: Permission = require("ledgers.record_item")) -> ItemRecorded:
    """Name the group member who follows the item (专人督办)."""
    return services.run(AssignFollower(item_id=item_id, **body.fields()), permission)


@router.post("/items/{item_id}/deadline")
def set_deadline(item_id: Id, body: ItemDeadlineBody, services: Services,
                 permission: Permission = require("ledgers.record_item")) -> ItemDeadlineSet:
    """Set or move the item's deadline, with a reason (限期办结)."""
    return services.run(SetItemDeadline(item_id=item_id, **body.fields()), permission)


@router.post("/items/{item_id}/judgement")
def judge_problem(item_id: Id, body: JudgementBody, services: Services,
                  permission: Permission = require("ledgers.judge_problem")) -> ItemRecorded:
    """Record the root-cause judgement of a problem (精准分析研判)."""
    return services.run(JudgeProblem(item_id=item_id, **body.fields()), permission)


@router.post("/items/{item_id}/similar")
def link_similar(item_id: Id, body: SimilarBody, services: Services,
                 permission: Permission = require("ledgers.record_item")) -> ItemRecorded:
    """Link the similar matters the item should also fix (举一反三)."""
    return services.run(LinkSimilar(item_id=item_id, **body.fields()), permission)


@router.post("/items/{item_id}/close")
def close_item(item_id: Id, body: ClosureBody, services: Services,
               permission: Permission = require("ledgers.close_item")) -> ItemClosed:
    """销号: group leadership approves; the item must have evidence."""
    return services.run(CloseItem(item_id=item_id, **body.fields()), permission)


@router.post("/items/{item_id}/look-back")
def record_look_back(item_id: Id, body: LookBackBody, services: Services,
                     permission: Permission = require("ledgers.record_look_back")) -> LookBackRecorded:
    """回头看: staff confirm; reopening the item needs group leadership (`ledgers.reopen_item`)."""
    return services.run(RecordLookBack(item_id=item_id, **body.fields()), permission)


# -- scheduling rounds (调度) ------------------------------------------------------------------------
@router.post("/scheduling-rounds", status_code=201)
def open_round(body: OpenSchedulingRound, services: Services,
               permission: Permission = require("ledgers.schedule")) -> RoundOpened:
    """Ask the unit for progress on directives by a date (定期调度)."""
    return services.run(body, permission)


@router.get("/scheduling-rounds/{round_id}")
def get_round(round_id: Id, services: Services,
              permission: Permission = require("ledgers.read_round")) -> RoundView:
    """One scheduling round; the unit it asks reads it too."""
    return services.run(GetSchedulingRound(round_id=round_id), permission)


@router.post("/scheduling-rounds/{round_id}/responses", status_code=201)
def record_response(round_id: Id, body: RoundResponseBody, services: Services,
                    permission: Permission = require("ledgers.schedule")) -> RoundRecorded:
    """Record the unit's answer for one directive of the round."""
    return services.run(RecordRoundResponse(round_id=round_id, **body.fields()), permission)


@router.post("/scheduling-rounds/{round_id}/close")
def close_round(round_id: Id, body: NoteBody, services: Services,
                permission: Permission = require("ledgers.schedule")) -> RoundRecorded:
    """End a scheduling round."""
    return services.run(CloseSchedulingRound(round_id=round_id, **body.fields()), permission)


# -- reconciliations (对账) ---------------------------------------------------------------------------
@router.post("/reconciliations", status_code=201)
def reconcile(body: Reconcile, services: Services,
              permission: Permission = require("ledgers.reconcile")) -> ReconciliationRecorded:
    """Reconcile the master ledger with a supervision report entered by hand."""
    return services.run(body, permission)


@router.get("/reconciliations")
def list_reconciliations(services: Services, permission: Permission = require(
        "ledgers.read_reconciliation", listing=True)) -> list[ReconciliationView]:
    """Reconciliations: a group member sees their group's, HQ and audit every group's."""
    principal = permission.principal
    rows = services.run(ListReconciliations(group_id=group_filter(principal)), permission)
    return readable(principal, rows)


@router.get("/reconciliations/{reconciliation_id}")
def get_reconciliation(reconciliation_id: Id, services: Services,
                       permission: Permission = require("ledgers.read_reconciliation")) -> ReconciliationView:
    """One reconciliation and its findings."""
    return services.run(GetReconciliation(reconciliation_id=reconciliation_id), permission)


@router.post("/reconciliations/{reconciliation_id}/findings/{index}/resolve")
def resolve_finding(reconciliation_id: Id, index: Count, body: NoteBody, services: Services,
                    permission: Permission = require("ledgers.reconcile")) -> ReconciliationChanged:
    """Record how a finding was dealt with."""
    return services.run(ResolveFinding(reconciliation_id=reconciliation_id, index=index, **body.fields()),
                        permission)


@router.post("/scheduler/run")
def run_scheduler(services: Services, permission: Permission = require("ledgers.run_scheduler")) -> SchedulerRun:
    """Record overdue and look-back-due events now (the platform normally runs this on a timer)."""
    return services.run(RunScheduler(), permission)
