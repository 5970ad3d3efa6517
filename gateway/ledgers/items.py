"""Ledgers routes for four-list items, scheduling rounds, reconciliations and the scheduler."""

from __future__ import annotations

from fastapi import APIRouter

from authz import Permission
from gateway import references
from gateway.deps import Services
from gateway.permissions import require
from gateway.routes import operation_route
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
    ItemDeadlineBody,
    ItemView,
    JudgementBody,
    JudgeProblem,
    LinkSimilar,
    LookBackBody,
    NoteBody,
    OpenSchedulingRound,
    ProgressBody,
    QualificationBody,
    QualifyProblem,
    Reconcile,
    ReconciliationChanged,
    RecordLookBack,
    RecordRoundResponse,
    ResolveFinding,
    RoundResponseBody,
    RunScheduler,
    SchedulerRun,
    SetItemDeadline,
    SimilarBody,
    UnitItemView,
    UpdateItemProgress,
)

router = APIRouter()
"""Included by gateway.ledgers.router under /api/ledgers."""


@router.get("/items/{item_id}")
def get_item(item_id: Id, services: Services,
             permission: Permission = require("ledgers.read_item")) -> ItemView | UnitItemView:
    """One item; a unit user sees it without the group's own judgement of it."""
    for_unit = permission.principal.org_kind == "unit"
    return services.run(GetItem(item_id=item_id, for_unit=for_unit), permission)


operation_route(router, "POST", "/items/{item_id}/progress", UpdateItemProgress,
                "ledgers.record_item", body=ProgressBody)


operation_route(router, "POST", "/items/{item_id}/evidence", AttachEvidence,
                "ledgers.record_item", body=EvidenceBody)


operation_route(router, "POST", "/items/{item_id}/follower", AssignFollower,
                "ledgers.record_item", body=FollowerBody, check=references.follower)


operation_route(router, "POST", "/items/{item_id}/deadline", SetItemDeadline,
                "ledgers.record_item", body=ItemDeadlineBody)


operation_route(router, "POST", "/items/{item_id}/judgement", JudgeProblem,
                "ledgers.judge_problem", body=JudgementBody)


operation_route(router, "POST", "/items/{item_id}/problem-attributes", QualifyProblem,
                "ledgers.judge_problem", body=QualificationBody)


operation_route(router, "POST", "/items/{item_id}/similar", LinkSimilar,
                "ledgers.record_item", body=SimilarBody)


operation_route(router, "POST", "/items/{item_id}/close", CloseItem, "ledgers.close_item", body=ClosureBody)


operation_route(router, "POST", "/items/{item_id}/look-back", RecordLookBack,
                "ledgers.record_look_back", body=LookBackBody)


# -- scheduling rounds (调度) ------------------------------------------------------------------------
operation_route(router, "POST", "/scheduling-rounds", OpenSchedulingRound,
                "ledgers.schedule", body=OpenSchedulingRound, status_code=201)


operation_route(router, "GET", "/scheduling-rounds/{round_id}", GetSchedulingRound, "ledgers.read_round")


operation_route(router, "POST", "/scheduling-rounds/{round_id}/responses", RecordRoundResponse,
                "ledgers.answer_round", body=RoundResponseBody, status_code=201)


operation_route(router, "POST", "/scheduling-rounds/{round_id}/close", CloseSchedulingRound,
                "ledgers.schedule", body=NoteBody)


# -- reconciliations (对账) ---------------------------------------------------------------------------
operation_route(router, "POST", "/reconciliations", Reconcile,
                "ledgers.reconcile", body=Reconcile, status_code=201)


operation_route(router, "GET", "/reconciliations/{reconciliation_id}", GetReconciliation,
                "ledgers.read_reconciliation")


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
