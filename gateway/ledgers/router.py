"""Ledgers routes: the master ledger, its corrections, stages, evaluations, categories.

Items, rounds and reconciliations are in items.py; imports and exports in spreadsheets.py; quarterly reviews
in reviews.py.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

import authz
from authz import Permission
from gateway.deps import CurrentPrincipal, Services
from gateway.errors import API_ERRORS
from gateway.ledgers import schemas
from gateway.ledgers.access import group_filter, own_scope, readable_directive
from gateway.ledgers.items import router as items_router
from gateway.ledgers.reviews import router as reviews_router
from gateway.ledgers.spreadsheets import router as spreadsheets_router
from gateway.permissions import require
from services.ledgers.interface import (
    DirectiveRecorded,
    DirectiveView,
    GetDirective,
    RecordStage,
    RegisterDirective,
    StageBody,
)

router = APIRouter(prefix="/api/ledgers", tags=["ledgers"], responses=API_ERRORS)


@router.post("/directives", status_code=201)
def register_directive(body: RegisterDirective, services: Services,
                       permission: Permission = require("ledgers.register_directive")) -> DirectiveRecorded:
    """Register a directive in the master ledger (总账)."""
    return services.run(body, permission)


@router.get("/directives/{directive_id}")
def get_directive(directive_id: str, services: Services,
                  permission: Permission = require("ledgers.read_directive")) -> DirectiveView:
    """One directive: registration, stages, deadlines, evaluations, corrections."""
    return services.run(GetDirective(directive_id=directive_id), permission)


@router.post("/directives/{directive_id}/stages", status_code=201)
def record_stage(directive_id: str, body: StageBody, services: Services,
                 permission: Permission = require("ledgers.record_stage")) -> DirectiveRecorded:
    """Record one of the seven full-cycle stages (全周期管理)."""
    return services.run(RecordStage(directive_id=directive_id, **body.fields()), permission)


# -- directives: listing, corrections, deadlines, evaluations, views -----------------------------------
def _directive_action(services: Services, principal: authz.Principal, directive_id: str, action: str) -> None:
    directive = readable_directive(services, principal, directive_id)
    authz.require(principal, action, group_id=directive["group_id"], unit_id=directive["unit_id"])


@router.get("/directives")
def list_directives(principal: CurrentPrincipal, services: Services, category: str | None = None,
                    unit_id: str | None = None, include_withdrawn: bool = False) -> list[dict[str, Any]]:
    """The master ledger (总账); `category` gives a detail ledger (细账)."""
    authz.require(principal, "ledgers.read_directive", **own_scope(principal))
    rows: list[dict[str, Any]] = services.query(
        "ledgers", "list_directives", principal, category=category, unit_id=unit_id,
        include_withdrawn=include_withdrawn, **group_filter(principal))
    return [r for r in rows if authz.can_read(principal, group_id=r["group_id"], unit_id=r["unit_id"],
                                              distribution="hq")]


@router.post("/directives/{directive_id}/amend")
def amend_directive(directive_id: str, body: schemas.DirectiveAmend, principal: CurrentPrincipal,
                    services: Services) -> dict[str, Any]:
    """Correct a registration (a new event with the reason; the old values stay in the history)."""
    _directive_action(services, principal, directive_id, "ledgers.amend_directive")
    result: dict[str, Any] = services.call("ledgers", "amend_directive", principal, directive_id=directive_id,
                                           **body.model_dump())
    return result


@router.post("/directives/{directive_id}/withdraw")
def withdraw_directive(directive_id: str, body: schemas.Reason, principal: CurrentPrincipal,
                       services: Services) -> dict[str, Any]:
    """Withdraw a mistaken entry (recorded, never erased)."""
    _directive_action(services, principal, directive_id, "ledgers.withdraw_directive")
    result: dict[str, Any] = services.call("ledgers", "withdraw_directive", principal,
                                           directive_id=directive_id, reason=body.reason)
    return result


@router.get("/directives/{directive_id}/corrections")
def directive_corrections(directive_id: str, principal: CurrentPrincipal,
                          services: Services) -> list[dict[str, Any]]:
    """What was corrected, when and by whom."""
    readable_directive(services, principal, directive_id)
    rows: list[dict[str, Any]] = services.query("ledgers", "directive_corrections", principal,
                                                directive_id=directive_id)
    return rows


@router.post("/directives/{directive_id}/stage-deadlines", status_code=201)
def set_stage_deadline(directive_id: str, body: schemas.StageDeadline, principal: CurrentPrincipal,
                       services: Services) -> dict[str, Any]:
    _directive_action(services, principal, directive_id, "ledgers.set_stage_deadline")
    result: dict[str, Any] = services.call("ledgers", "set_stage_deadline", principal, directive_id=directive_id,
                                           **body.model_dump())
    return result


@router.post("/directives/{directive_id}/evaluations", status_code=201)
def evaluate_department(directive_id: str, body: schemas.Evaluation, principal: CurrentPrincipal,
                        services: Services) -> dict[str, Any]:
    """Rate the responsible department on the four dimensions (1 poor – 5 good) with a rationale."""
    _directive_action(services, principal, directive_id, "ledgers.evaluate_department")
    result: dict[str, Any] = services.call("ledgers", "evaluate_department", principal,
                                           directive_id=directive_id, **body.model_dump())
    return result


@router.get("/directives/{directive_id}/lists")
def combined_view(directive_id: str, principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    """四单合一: the directive's tasks, responsibilities, problems and implementation records."""
    readable_directive(services, principal, directive_id)
    view: dict[str, Any] = services.query("ledgers", "combined_view", principal, directive_id=directive_id)
    return view


@router.get("/directives/{directive_id}/three-looks")
def three_looks(directive_id: str, principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    """看态度、看行动、看效果."""
    readable_directive(services, principal, directive_id)
    view: dict[str, Any] = services.query("ledgers", "three_looks", principal, directive_id=directive_id)
    return view


@router.post("/directives/{directive_id}/items", status_code=201)
def add_item(directive_id: str, body: schemas.ItemCreate, principal: CurrentPrincipal,
             services: Services) -> dict[str, Any]:
    """Add an item to one of the directive's four lists."""
    _directive_action(services, principal, directive_id, "ledgers.record_item")
    result: dict[str, Any] = services.call("ledgers", "add_item", principal, directive_id=directive_id,
                                           **body.model_dump())
    return result


# -- detail-ledger categories --------------------------------------------------------------------------
@router.get("/groups/{group_id}/categories")
def categories(group_id: str, principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    authz.require(principal, "ledgers.read_category", hide=True, group_id=group_id)
    config: dict[str, Any] = services.query("ledgers", "get_category_config", principal, group_id=group_id)
    return config


@router.post("/groups/{group_id}/categories", status_code=201)
def configure_category(group_id: str, body: schemas.CategoryIn, principal: CurrentPrincipal,
                       services: Services) -> dict[str, Any]:
    authz.require(principal, "ledgers.configure_category", group_id=group_id)
    result: dict[str, Any] = services.call("ledgers", "configure_category", principal, group_id=group_id,
                                           **body.model_dump())
    return result


@router.post("/groups/{group_id}/categories/{code}/retire")
def retire_category(group_id: str, code: str, body: schemas.Reason, principal: CurrentPrincipal,
                    services: Services) -> dict[str, Any]:
    authz.require(principal, "ledgers.configure_category", group_id=group_id)
    result: dict[str, Any] = services.call("ledgers", "retire_category", principal, group_id=group_id, code=code,
                                           reason=body.reason)
    return result


router.include_router(items_router)
router.include_router(spreadsheets_router)
router.include_router(reviews_router)
