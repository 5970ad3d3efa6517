"""Ledgers routes for four-list items, scheduling rounds, reconciliations and the scheduler."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

import authz
from gateway.deps import CurrentPrincipal, Services
from gateway.ledgers import schemas

router = APIRouter()
"""Included by gateway.ledgers.router under /api/ledgers."""


def readable_item(services: Services, principal: authz.Principal, item_id: str) -> dict[str, Any]:
    """Load an item as this principal may see it (404 when they may not know it exists)."""
    for_unit = principal.org_kind == "unit"
    item: dict[str, Any] = services.query("ledgers", "get_item", principal, item_id=item_id, for_unit=for_unit)
    authz.require(principal, "ledgers.read_item", hide=True, group_id=item["group_id"], unit_id=item["unit_id"])
    authz.require_read(principal, group_id=item["group_id"], unit_id=item["unit_id"],
                       distribution=item["distribution"])
    return item


def _item_action(services: Services, principal: authz.Principal, item_id: str, action: str) -> None:
    item = readable_item(services, principal, item_id)
    authz.require(principal, action, group_id=item["group_id"], unit_id=item["unit_id"])


def _call(services: Services, principal: authz.Principal, command: str, **kwargs: Any) -> dict[str, Any]:
    result: dict[str, Any] = services.call("ledgers", command, principal, **kwargs)
    return result


@router.get("/items")
def list_items(principal: CurrentPrincipal, services: Services, status: str | None = None,
               overdue: bool | None = None, source: str | None = None) -> list[dict[str, Any]]:
    """Items across directives; a unit user gets the items addressed to their unit, without the group's notes."""
    authz.require(principal, "ledgers.read_item", group_id=principal.group_id, unit_id=principal.unit_id)
    filters: dict[str, Any] = {"status": status, "overdue": overdue, "source": source}
    if principal.org_kind == "group":
        filters["group_id"] = principal.group_id
    elif principal.org_kind == "unit":
        filters |= {"unit_id": principal.unit_id, "for_unit": True}
    rows: list[dict[str, Any]] = services.query("ledgers", "list_items", principal, **filters)
    return [r for r in rows if authz.can_read(principal, group_id=r["group_id"], unit_id=r["unit_id"],
                                              distribution=r["distribution"])]


@router.get("/items/{item_id}")
def get_item(item_id: str, principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    return readable_item(services, principal, item_id)


@router.post("/items/{item_id}/progress")
def update_progress(item_id: str, body: schemas.Progress, principal: CurrentPrincipal,
                    services: Services) -> dict[str, Any]:
    _item_action(services, principal, item_id, "ledgers.record_item")
    return _call(services, principal, "update_item_progress", item_id=item_id, **body.model_dump())


@router.post("/items/{item_id}/evidence")
def attach_evidence(item_id: str, body: schemas.EvidenceIn, principal: CurrentPrincipal,
                    services: Services) -> dict[str, Any]:
    _item_action(services, principal, item_id, "ledgers.record_item")
    return _call(services, principal, "attach_evidence", item_id=item_id, **body.model_dump())


@router.post("/items/{item_id}/follower")
def assign_follower(item_id: str, body: schemas.FollowerIn, principal: CurrentPrincipal,
                    services: Services) -> dict[str, Any]:
    _item_action(services, principal, item_id, "ledgers.record_item")
    return _call(services, principal, "assign_follower", item_id=item_id, follower=body.follower)


@router.post("/items/{item_id}/deadline")
def set_deadline(item_id: str, body: schemas.ItemDeadline, principal: CurrentPrincipal,
                 services: Services) -> dict[str, Any]:
    _item_action(services, principal, item_id, "ledgers.record_item")
    return _call(services, principal, "set_item_deadline", item_id=item_id, **body.model_dump())


@router.post("/items/{item_id}/judgement")
def judge_problem(item_id: str, body: schemas.Judgement, principal: CurrentPrincipal,
                  services: Services) -> dict[str, Any]:
    _item_action(services, principal, item_id, "ledgers.judge_problem")
    return _call(services, principal, "judge_problem", item_id=item_id, **body.model_dump())


@router.post("/items/{item_id}/similar")
def link_similar(item_id: str, body: schemas.SimilarIn, principal: CurrentPrincipal,
                 services: Services) -> dict[str, Any]:
    _item_action(services, principal, item_id, "ledgers.record_item")
    return _call(services, principal, "link_similar", item_id=item_id, **body.model_dump())


@router.post("/items/{item_id}/close")
def close_item(item_id: str, body: schemas.Closure, principal: CurrentPrincipal,
               services: Services) -> dict[str, Any]:
    """销号: group leadership approves; the item must have evidence."""
    _item_action(services, principal, item_id, "ledgers.close_item")
    return _call(services, principal, "close_item", item_id=item_id, **body.model_dump())


@router.post("/items/{item_id}/look-back")
def record_look_back(item_id: str, body: schemas.LookBack, principal: CurrentPrincipal,
                     services: Services) -> dict[str, Any]:
    """回头看: staff confirm; reopening the item needs group leadership."""
    action = "ledgers.reopen_item" if body.reopen else "ledgers.record_look_back"
    _item_action(services, principal, item_id, action)
    return _call(services, principal, "record_look_back", item_id=item_id, **body.model_dump())


# -- scheduling rounds (调度) ------------------------------------------------------------------------
def readable_round(services: Services, principal: authz.Principal, round_id: str) -> dict[str, Any]:
    found: dict[str, Any] = services.query("ledgers", "get_scheduling_round", principal, round_id=round_id)
    authz.require(principal, "ledgers.read_round", hide=True, group_id=found["group_id"], unit_id=found["unit_id"])
    authz.require_read(principal, group_id=found["group_id"], unit_id=found["unit_id"],
                       distribution=found["distribution"])
    return found


@router.post("/scheduling-rounds", status_code=201)
def open_round(body: schemas.RoundCreate, principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    authz.require(principal, "ledgers.schedule", group_id=body.group_id, unit_id=body.unit_id)
    return _call(services, principal, "open_scheduling_round", **body.model_dump())


@router.get("/scheduling-rounds/{round_id}")
def get_round(round_id: str, principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    return readable_round(services, principal, round_id)


@router.post("/scheduling-rounds/{round_id}/responses", status_code=201)
def record_response(round_id: str, body: schemas.RoundResponse, principal: CurrentPrincipal,
                    services: Services) -> dict[str, Any]:
    found = readable_round(services, principal, round_id)
    authz.require(principal, "ledgers.schedule", group_id=found["group_id"], unit_id=found["unit_id"])
    return _call(services, principal, "record_round_response", round_id=round_id, **body.model_dump())


@router.post("/scheduling-rounds/{round_id}/close")
def close_round(round_id: str, body: schemas.Note, principal: CurrentPrincipal,
                services: Services) -> dict[str, Any]:
    found = readable_round(services, principal, round_id)
    authz.require(principal, "ledgers.schedule", group_id=found["group_id"], unit_id=found["unit_id"])
    return _call(services, principal, "close_scheduling_round", round_id=round_id, note=body.note)


# -- reconciliations (对账) ---------------------------------------------------------------------------
def readable_reconciliation(services: Services, principal: authz.Principal, rec_id: str) -> dict[str, Any]:
    found: dict[str, Any] = services.query("ledgers", "get_reconciliation", principal, reconciliation_id=rec_id)
    authz.require(principal, "ledgers.read_reconciliation", hide=True, group_id=found["group_id"],
                  unit_id=found["unit_id"])
    authz.require_read(principal, group_id=found["group_id"], unit_id=found["unit_id"],
                       distribution=found["distribution"])
    return found


@router.post("/reconciliations", status_code=201)
def reconcile(body: schemas.ReconciliationCreate, principal: CurrentPrincipal,
              services: Services) -> dict[str, Any]:
    """Reconcile the master ledger with a supervision report entered by hand."""
    authz.require(principal, "ledgers.reconcile", group_id=body.group_id, unit_id=body.unit_id)
    return _call(services, principal, "reconcile", **body.model_dump())


@router.get("/reconciliations")
def list_reconciliations(principal: CurrentPrincipal, services: Services) -> list[dict[str, Any]]:
    authz.require(principal, "ledgers.read_reconciliation", group_id=principal.group_id,
                  unit_id=principal.unit_id)
    group = {"group_id": principal.group_id} if principal.org_kind == "group" else {}
    rows: list[dict[str, Any]] = services.query("ledgers", "list_reconciliations", principal, **group)
    return [r for r in rows if authz.can_read(principal, group_id=r["group_id"], unit_id=r["unit_id"],
                                              distribution=r["distribution"])]


@router.get("/reconciliations/{reconciliation_id}")
def get_reconciliation(reconciliation_id: str, principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    return readable_reconciliation(services, principal, reconciliation_id)


@router.post("/reconciliations/{reconciliation_id}/findings/{index}/resolve")
def resolve_finding(reconciliation_id: str, index: int, body: schemas.Note, principal: CurrentPrincipal,
                    services: Services) -> dict[str, Any]:
    found = readable_reconciliation(services, principal, reconciliation_id)
    authz.require(principal, "ledgers.reconcile", group_id=found["group_id"], unit_id=found["unit_id"])
    return _call(services, principal, "resolve_finding", reconciliation_id=reconciliation_id, index=index,
                 note=body.note)


@router.post("/scheduler/run")
def run_scheduler(principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    """Record overdue and look-back-due events now (the platform normally runs this on a timer)."""
    authz.require(principal, "ledgers.run_scheduler")
    return _call(services, principal, "run_scheduler")
