"""Ledgers routes of accountability (执责必严、失责必问): propose, decide, read by id, and the list on a directive
or an item (read model `group_workbench`)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Response
from pydantic import BaseModel

from authz import Permission
from gateway.deps import ReadModels
from gateway.ledgers.lists import PROJECTION
from gateway.permissions import require
from gateway.reads import After, ListPage, Paging, answer
from gateway.routes import operation_route
from projections.common.query import sort_named
from projections.group_workbench import view
from services.common.interface import Id
from services.ledgers.interface import (
    AccountabilityBody,
    AccountabilityDecisionBody,
    AccountabilityForm,
    AccountabilityStatus,
    DecideAccountability,
    GetAccountability,
    ProposeAccountability,
)

router = APIRouter()
"""Included by gateway.ledgers.router under /api/ledgers."""


operation_route(router, "POST", "/directives/{directive_id}/accountability", ProposeAccountability,
                "ledgers.propose_accountability", body=AccountabilityBody, status_code=201)


operation_route(router, "GET", "/accountability/{accountability_id}", GetAccountability,
                "ledgers.read_accountability")


operation_route(router, "POST", "/accountability/{accountability_id}/decision", DecideAccountability,
                "ledgers.decide_accountability", body=AccountabilityDecisionBody)


class AccountabilityRow(BaseModel):
    accountability_id: str
    group_id: str
    unit_id: str | None
    distribution: str
    directive_id: str
    directive_title: str | None
    item_ids: list[str]
    person_id: str
    proposed_form: AccountabilityForm
    proposed_on: date
    status: AccountabilityStatus
    decided_form: AccountabilityForm | None
    decided_by_body: str | None
    decided_on: date | None



class AccountabilityFigures(BaseModel):
    group_id: str
    proposed: int
    pending: int
    decided: int
    not_pursued: int
    decided_by_form: dict[AccountabilityForm, int]


@router.get("/accountability-figures")
async def accountability_figures(
    read_models: ReadModels, response: Response, after: After,
    permission: Permission = require("ledgers.read_accountability", listing=True),
) -> list[AccountabilityFigures]:
    """Per group the caller may read (HQ: every group): accountability proposed, pending, decided by form, not pursued."""
    found, _ = await answer(read_models, response, PROJECTION, after,
                            lambda tx: view.accountability_figures(tx, permission.principal))
    return [AccountabilityFigures.model_validate(row) for row in found]


@router.get("/accountability")
async def list_accountability(
    read_models: ReadModels, response: Response, page: Paging, after: After,
    group_id: Id | None = None, directive_id: Id | None = None, item_id: Id | None = None,
    status: AccountabilityStatus | None = None, oldest_first: bool = False,
    permission: Permission = require("ledgers.read_accountability", listing=True),
) -> ListPage[AccountabilityRow]:
    """Accountability proposed and decided, on a directive or one of its items (the group's and HQ's), newest first."""
    chosen = sort_named(view.ACCOUNTABILITY_SORTS, "proposed_on" if oldest_first else "-proposed_on", "-proposed_on")
    found, freshness = await answer(
        read_models, response, PROJECTION, after,
        lambda tx: view.accountabilities(tx, permission.principal, group_id, directive_id, item_id, status, chosen,
                                         page))
    return ListPage(items=[AccountabilityRow.model_validate(r) for r in found.rows], next_cursor=found.next_cursor,
                    freshness=freshness)
