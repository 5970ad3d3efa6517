"""Supervision-activity routes (嵌入式, 跟踪式, 点穴式, 联合监督, 定期会商, 专项督促检查)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

import authz
from gateway.deps import CurrentPrincipal, Services
from gateway.inspections import schemas

router = APIRouter(prefix="/activities")


def visible(principal: authz.Principal, activity: dict[str, Any]) -> bool:
    return authz.can_read(principal, group_id=activity["group_id"], unit_id=activity["unit_id"],
                          distribution=activity["distribution"])


def readable_activity(services: Services, principal: authz.Principal, activity_id: str) -> dict[str, Any]:
    activity: dict[str, Any] = services.query("inspections", "get_activity", principal, activity_id=activity_id)
    authz.require(principal, "inspections.read_activity", hide=True, group_id=activity["group_id"],
                  unit_id=activity["unit_id"])
    authz.require_read(principal, group_id=activity["group_id"], unit_id=activity["unit_id"],
                       distribution=activity["distribution"])
    return activity


def act(services: Services, principal: authz.Principal, action: str, rule: str, activity_id: str,
        **kwargs: Any) -> dict[str, Any]:
    activity = readable_activity(services, principal, activity_id)
    authz.require(principal, f"inspections.{rule}", group_id=activity["group_id"], unit_id=activity["unit_id"])
    result: dict[str, Any] = services.call("inspections", action, principal, activity_id=activity_id, **kwargs)
    return result


@router.post("", status_code=201)
def plan_activity(body: schemas.ActivityCreate, principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    """Plan a supervision activity: kind, plan, participants, methods, dates."""
    authz.require(principal, "inspections.plan_activity", group_id=body.group_id, unit_id=body.unit_id)
    result: dict[str, Any] = services.call("inspections", "plan_activity", principal, **body.model_dump())
    return result


@router.get("")
def list_activities(principal: CurrentPrincipal, services: Services, kind: str | None = Query(default=None),
                    unit_id: str | None = Query(default=None)) -> list[dict[str, Any]]:
    authz.require(principal, "inspections.list_activities")
    activities: list[dict[str, Any]] = services.query("inspections", "list_activities", principal, kind=kind,
                                                      unit_id=unit_id)
    return [a for a in activities if visible(principal, a)]


@router.get("/{activity_id}")
def get_activity(activity_id: str, principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    return readable_activity(services, principal, activity_id)


@router.post("/{activity_id}/start")
def start_activity(activity_id: str, body: schemas.ActivityStart, principal: CurrentPrincipal,
                   services: Services) -> dict[str, Any]:
    return act(services, principal, "start_activity", "carry_out_activity", activity_id, **body.model_dump())


@router.post("/{activity_id}/work", status_code=201)
def record_work(activity_id: str, body: schemas.WorkRecord, principal: CurrentPrincipal,
                services: Services) -> dict[str, Any]:
    """Record work done by one of the planned methods (谈心谈话, 会议监督, 驻点调研, 现场检查, ...)."""
    return act(services, principal, "record_activity_work", "carry_out_activity", activity_id, **body.model_dump())


@router.post("/{activity_id}/findings", status_code=201)
def record_finding(activity_id: str, body: schemas.ActivityFinding, principal: CurrentPrincipal,
                   services: Services) -> dict[str, Any]:
    return act(services, principal, "record_activity_finding", "carry_out_activity", activity_id,
               **body.model_dump())


@router.post("/{activity_id}/findings/{finding_id}/hand-over")
def hand_over_finding(activity_id: str, finding_id: str, body: schemas.ActivityHandOver,
                      principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    """The finding becomes a problem-list item (ledgers)."""
    return act(services, principal, "hand_over_activity_finding", "hand_over_activity_finding", activity_id,
               finding_id=finding_id, **body.model_dump())


@router.post("/{activity_id}/findings/{finding_id}/refer")
def refer_finding(activity_id: str, finding_id: str, body: schemas.ClueContent, principal: CurrentPrincipal,
                  services: Services) -> dict[str, Any]:
    """The finding becomes a clue (sealed for the clues service)."""
    return act(services, principal, "refer_activity_finding", "refer_activity_finding", activity_id,
               finding_id=finding_id, **body.model_dump())


@router.post("/{activity_id}/complete")
def complete_activity(activity_id: str, body: schemas.ActivityComplete, principal: CurrentPrincipal,
                      services: Services) -> dict[str, Any]:
    return act(services, principal, "complete_activity", "carry_out_activity", activity_id, **body.model_dump())
