"""Ledgers routes: the master ledger, its corrections, stages, evaluations, categories.

Items, rounds and reconciliations are in items.py; imports and exports in spreadsheets.py; quarterly reviews
in reviews.py. Every route declares its permission once; the service checks each record it loads or
creates against it (404 for whoever may not know the record, 403 for whoever may read but not act).
"""

from __future__ import annotations

from fastapi import APIRouter

from authz import Permission
from gateway.deps import Services
from gateway.errors import API_ERRORS
from gateway.ledgers.access import group_filter, readable
from gateway.ledgers.items import router as items_router
from gateway.ledgers.reviews import router as reviews_router
from gateway.ledgers.spreadsheets import router as spreadsheets_router
from gateway.permissions import require
from services.common.interface import Id
from services.ledgers.interface import (
    AddItem,
    AmendBody,
    AmendDirective,
    CategoryBody,
    CategoryCode,
    CategoryConfig,
    CategoryRecorded,
    CombinedView,
    ConfigureCategory,
    Correction,
    DirectiveCorrections,
    DirectiveRecorded,
    DirectiveView,
    EvaluateDepartment,
    EvaluationBody,
    GetCategoryConfig,
    GetCombinedView,
    GetDirective,
    GetThreeLooks,
    ItemBody,
    ItemRecorded,
    ListDirectives,
    ReasonBody,
    RecordStage,
    RegisterDirective,
    RetireCategory,
    SetStageDeadline,
    StageBody,
    StageDeadlineBody,
    StageDeadlineSet,
    ThreeLooks,
    WithdrawDirective,
)

router = APIRouter(prefix="/api/ledgers", tags=["ledgers"], responses=API_ERRORS)


@router.post("/directives", status_code=201)
def register_directive(body: RegisterDirective, services: Services,
                       permission: Permission = require("ledgers.register_directive")) -> DirectiveRecorded:
    """Register a directive in the master ledger (总账)."""
    return services.run(body, permission)


@router.get("/directives")
def list_directives(services: Services, category: CategoryCode | None = None, unit_id: Id | None = None,
                    include_withdrawn: bool = False,
                    permission: Permission = require("ledgers.read_directive", listing=True)) -> list[DirectiveView]:
    """The master ledger (总账); `category` gives a detail ledger (细账)."""
    principal = permission.principal
    rows = services.run(ListDirectives(group_id=group_filter(principal), unit_id=unit_id, category=category,
                                       include_withdrawn=include_withdrawn), permission)
    return readable(principal, rows)


@router.get("/directives/{directive_id}")
def get_directive(directive_id: Id, services: Services,
                  permission: Permission = require("ledgers.read_directive")) -> DirectiveView:
    """One directive: registration, stages, deadlines, evaluations, corrections."""
    return services.run(GetDirective(directive_id=directive_id), permission)


@router.post("/directives/{directive_id}/stages", status_code=201)
def record_stage(directive_id: Id, body: StageBody, services: Services,
                 permission: Permission = require("ledgers.record_stage")) -> DirectiveRecorded:
    """Record one of the seven full-cycle stages (全周期管理)."""
    return services.run(RecordStage(directive_id=directive_id, **body.fields()), permission)


@router.post("/directives/{directive_id}/amend")
def amend_directive(directive_id: Id, body: AmendBody, services: Services,
                    permission: Permission = require("ledgers.amend_directive")) -> DirectiveRecorded:
    """Correct a registration (a new event with the reason; the old values stay in the history)."""
    return services.run(AmendDirective(directive_id=directive_id, **body.fields()), permission)


@router.post("/directives/{directive_id}/withdraw")
def withdraw_directive(directive_id: Id, body: ReasonBody, services: Services,
                       permission: Permission = require("ledgers.withdraw_directive")) -> DirectiveRecorded:
    """Withdraw a mistaken entry (recorded, never erased)."""
    return services.run(WithdrawDirective(directive_id=directive_id, **body.fields()), permission)


@router.get("/directives/{directive_id}/corrections")
def directive_corrections(directive_id: Id, services: Services,
                          permission: Permission = require("ledgers.read_directive")) -> list[Correction]:
    """What was corrected, when and by whom."""
    return services.run(DirectiveCorrections(directive_id=directive_id), permission)


@router.post("/directives/{directive_id}/stage-deadlines", status_code=201)
def set_stage_deadline(directive_id: Id, body: StageDeadlineBody, services: Services,
                       permission: Permission = require("ledgers.set_stage_deadline")) -> StageDeadlineSet:
    """Set or move a stage's deadline (calendar or working days, or a date)."""
    return services.run(SetStageDeadline(directive_id=directive_id, **body.fields()), permission)


@router.post("/directives/{directive_id}/evaluations", status_code=201)
def evaluate_department(directive_id: Id, body: EvaluationBody, services: Services,
                        permission: Permission = require("ledgers.evaluate_department")) -> DirectiveRecorded:
    """Rate the responsible department on the four dimensions (1 poor – 5 good) with a rationale."""
    return services.run(EvaluateDepartment(directive_id=directive_id, **body.fields()), permission)


@router.get("/directives/{directive_id}/lists")
def combined_view(directive_id: Id, services: Services,
                  permission: Permission = require("ledgers.read_directive")) -> CombinedView:
    """四单合一: the directive's tasks, responsibilities, problems and implementation records."""
    return services.run(GetCombinedView(directive_id=directive_id), permission)


@router.get("/directives/{directive_id}/three-looks")
def three_looks(directive_id: Id, services: Services,
                permission: Permission = require("ledgers.read_directive")) -> ThreeLooks:
    """看态度、看行动、看效果."""
    return services.run(GetThreeLooks(directive_id=directive_id), permission)


@router.post("/directives/{directive_id}/items", status_code=201)
def add_item(directive_id: Id, body: ItemBody, services: Services,
             permission: Permission = require("ledgers.record_item")) -> ItemRecorded:
    """Add an item to one of the directive's four lists."""
    return services.run(AddItem(directive_id=directive_id, **body.fields()), permission)


# -- detail-ledger categories --------------------------------------------------------------------------
@router.get("/groups/{group_id}/categories")
def categories(group_id: Id, services: Services,
               permission: Permission = require("ledgers.read_category")) -> CategoryConfig:
    """The group's detail-ledger categories (细账类别) and their look-back intervals."""
    return services.run(GetCategoryConfig(group_id=group_id), permission)


@router.post("/groups/{group_id}/categories", status_code=201)
def configure_category(group_id: Id, body: CategoryBody, services: Services,
                       permission: Permission = require("ledgers.configure_category")) -> CategoryRecorded:
    """Add or change a category and its look-back interval (group leadership)."""
    return services.run(ConfigureCategory(group_id=group_id, **body.fields()), permission)


@router.post("/groups/{group_id}/categories/{code}/retire")
def retire_category(group_id: Id, code: CategoryCode, body: ReasonBody, services: Services,
                    permission: Permission = require("ledgers.configure_category")) -> CategoryRecorded:
    """Stop using a category for new directives (group leadership)."""
    return services.run(RetireCategory(group_id=group_id, code=code, **body.fields()), permission)


router.include_router(items_router)
router.include_router(spreadsheets_router)
router.include_router(reviews_router)
