"""Ledgers routes: the master ledger and its stages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from gateway import authz
from gateway.deps import CurrentPrincipal, Services
from gateway.ledgers.schemas import DirectiveCreate, StageRecord

router = APIRouter(prefix="/api/ledgers", tags=["ledgers"])


def readable_directive(services: Services, principal: authz.Principal, directive_id: str) -> dict[str, Any]:
    """Load a directive and check the principal may see it (404 otherwise)."""
    directive: dict[str, Any] = services.query("ledgers", "get_directive", principal, directive_id=directive_id)
    authz.require_read(principal, group_id=directive["group_id"], unit_id=directive["unit_id"],
                       distribution="hq")
    return directive


@router.post("/directives", status_code=201)
def register_directive(body: DirectiveCreate, principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    """Register a directive in the master ledger (总账)."""
    authz.require(principal, "ledgers.register_directive", group_id=body.group_id, unit_id=body.unit_id)
    result: dict[str, Any] = services.call("ledgers", "register_directive", principal, **body.model_dump())
    return result


@router.get("/directives/{directive_id}")
def get_directive(directive_id: str, principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    authz.require(principal, "ledgers.read_directive", hide=True)
    return readable_directive(services, principal, directive_id)


@router.post("/directives/{directive_id}/stages", status_code=201)
def record_stage(directive_id: str, body: StageRecord, principal: CurrentPrincipal,
                 services: Services) -> dict[str, Any]:
    """Record one of the seven full-cycle stages (全周期管理)."""
    directive = readable_directive(services, principal, directive_id)
    authz.require(principal, "ledgers.record_stage", group_id=directive["group_id"],
                  unit_id=directive["unit_id"])
    result: dict[str, Any] = services.call("ledgers", "record_stage", principal, directive_id=directive_id,
                                           **body.model_dump())
    return result
