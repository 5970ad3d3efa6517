"""Ledgers routes: the master ledger, its corrections, stages, evaluations, categories.

Items, rounds and reconciliations are in items.py; imports and exports in spreadsheets.py; quarterly reviews
in reviews.py. Every route declares its permission once; the service checks each record it loads or
creates against it (404 for whoever may not know the record, 403 for whoever may read but not act).
"""

from __future__ import annotations

from fastapi import APIRouter

from gateway import references
from gateway.errors import API_ERRORS
from gateway.ledgers.accountability import router as accountability_router
from gateway.ledgers.items import router as items_router
from gateway.ledgers.lists import router as lists_router
from gateway.ledgers.reviews import router as reviews_router
from gateway.ledgers.spreadsheets import router as spreadsheets_router
from gateway.routes import operation_route
from services.ledgers.interface import (
    AddItem,
    AmendBody,
    AmendDirective,
    CategoriseDirective,
    CategoryBody,
    CategoryChoiceBody,
    ConfigureCategory,
    DefaultFollowerBody,
    DirectiveCorrections,
    EvaluateDepartment,
    EvaluationBody,
    GetCategoryConfig,
    GetCombinedView,
    GetDirective,
    GetThreeLooks,
    ItemBody,
    ReasonBody,
    RecordStage,
    RegisterDirective,
    RetireCategory,
    SetDefaultFollower,
    SetStageDeadline,
    StageBody,
    StageDeadlineBody,
    WithdrawDirective,
)

router = APIRouter(prefix="/api/ledgers", tags=["ledgers"], responses=API_ERRORS)


operation_route(router, "POST", "/directives", RegisterDirective, "ledgers.register_directive",
                body=RegisterDirective, status_code=201)
operation_route(router, "GET", "/directives/{directive_id}", GetDirective, "ledgers.read_directive")
operation_route(router, "POST", "/directives/{directive_id}/stages", RecordStage, "ledgers.record_stage",
                body=StageBody, status_code=201)
operation_route(router, "POST", "/directives/{directive_id}/amend", AmendDirective, "ledgers.amend_directive",
                body=AmendBody)
operation_route(router, "POST", "/directives/{directive_id}/category", CategoriseDirective,
                "ledgers.amend_directive", body=CategoryChoiceBody)
operation_route(router, "POST", "/directives/{directive_id}/withdraw", WithdrawDirective,
                "ledgers.withdraw_directive", body=ReasonBody)
operation_route(router, "GET", "/directives/{directive_id}/corrections", DirectiveCorrections,
                "ledgers.read_directive")
operation_route(router, "POST", "/directives/{directive_id}/stage-deadlines", SetStageDeadline,
                "ledgers.set_stage_deadline", body=StageDeadlineBody, status_code=201)
operation_route(router, "POST", "/directives/{directive_id}/evaluations", EvaluateDepartment,
                "ledgers.evaluate_department", body=EvaluationBody, status_code=201)
operation_route(router, "GET", "/directives/{directive_id}/lists", GetCombinedView, "ledgers.read_directive")
operation_route(router, "GET", "/directives/{directive_id}/three-looks", GetThreeLooks, "ledgers.read_directive")
operation_route(router, "POST", "/directives/{directive_id}/items", AddItem, "ledgers.record_item",
                body=ItemBody, status_code=201, check=references.new_item)

# -- detail-ledger categories --------------------------------------------------------------------------
operation_route(router, "GET", "/groups/{group_id}/categories", GetCategoryConfig, "ledgers.read_category")
operation_route(router, "POST", "/groups/{group_id}/categories", ConfigureCategory, "ledgers.configure_category",
                body=CategoryBody, status_code=201)
operation_route(router, "PUT", "/groups/{group_id}/default-follower", SetDefaultFollower,
                "ledgers.configure_category", body=DefaultFollowerBody, check=references.default_follower)
operation_route(router, "POST", "/groups/{group_id}/categories/{code}/retire", RetireCategory,
                "ledgers.configure_category", body=ReasonBody)


router.include_router(lists_router)
router.include_router(items_router)
router.include_router(spreadsheets_router)
router.include_router(reviews_router)
router.include_router(accountability_router)
