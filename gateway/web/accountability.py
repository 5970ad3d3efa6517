"""Group workbench: accountability (执责必严、失责必问) — the list of what was proposed and decided, with links to
the directive, its items and the person held accountable; the form to propose it on a directive's items; an
accountability's page with the decision form (the group's leadership).

The list is the `group_workbench` read model through `GET /api/ledgers/accountability`; proposals and decisions
run in the ledgers service under the API routes' permissions. Group roles only: a unit never sees it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from authz import Permission
from gateway.deps import ReadModels, Services
from gateway.ledgers import accountability as accountability_api
from gateway.permissions import grant, require
from gateway.reads import After, Paging
from gateway.web.activities import DirectiveChoice, readable_directives
from gateway.web.forms import checked_form, validate, values
from gateway.web.group import localized, may
from gateway.web.names import roster
from gateway.web.render import page
from services.common.errors import DomainError
from services.common.interface import Id
from services.ledgers.domain.accountability import FORMS, OUTCOMES, STATUSES
from services.ledgers.interface import (
    AccountabilityBody,
    AccountabilityDecisionBody,
    DecideAccountability,
    GetAccountability,
    GetCombinedView,
    ProposeAccountability,
)
from services.ledgers.vocab import LIST_KINDS

router = APIRouter(include_in_schema=False)
StatusChoice = Query(default=None, max_length=32, pattern=r"^[a-z_]*$")


def _items(services: Services, permission: Permission, directive_id: str) -> tuple[Any, dict[str, Any]]:
    """The directive and its items by id (for the form's choices and the names on the page)."""
    combined = services.run(GetCombinedView(directive_id=directive_id),
                            grant(permission.principal, "ledgers.read_directive"))
    return combined.directive, {i.item_id: i for items in combined.lists.values() for i in items}


async def _persons(read_models: ReadModels, permission: Permission, unit_ids: set[str | None]) -> dict[str, str]:
    found: dict[str, str] = {}
    for unit_id in sorted(u for u in unit_ids if u):
        found.update(await roster(read_models, permission.principal, unit_id))
    return found


@router.get("/group/accountability", response_class=HTMLResponse)
async def accountability(request: Request, read_models: ReadModels, page_request: Paging, after: After,
                         status: str | None = StatusChoice,
                         permission: Permission = require("ledgers.propose_accountability", listing=True),
                         ) -> HTMLResponse:
    """Accountability proposed and decided in the group's directives, newest first."""
    principal = permission.principal
    chosen = status if status in STATUSES else None
    found = await accountability_api.list_accountability(
        read_models=read_models, response=Response(), page=page_request, after=after, group_id=None,
        directive_id=None, item_id=None, status=chosen, oldest_first=False,
        permission=grant(principal, "ledgers.read_accountability", listing=True))
    return page(request, "accountability.html", principal=principal, active="accountability",
                rows=found.items, next_cursor=found.next_cursor, status=chosen or "", statuses=STATUSES, forms=FORMS,
                persons=await _persons(read_models, permission, {r.unit_id for r in found.items}),
                directives=await readable_directives(read_models, principal),
                recorded=request.query_params.get("recorded"))


async def _proposal_page(request: Request, services: Services, read_models: ReadModels, permission: Permission,
                         directive_id: str | None, *, form: dict[str, Any] | None = None,
                         errors: dict[str, str] | None = None, status_code: int = 200) -> HTMLResponse:
    principal = permission.principal
    directive, items = _items(services, permission, directive_id) if directive_id else (None, {})
    return page(request, "accountability_new.html", principal=principal, active="accountability",
                directive=directive, items=list(items.values()), list_kinds=LIST_KINDS, forms=FORMS,
                persons=await roster(read_models, principal, directive.unit_id) if directive else {},
                directives=await readable_directives(read_models, principal), form=form or {},
                errors=localized(request, errors or {}),
                status_code=status_code)


@router.get("/group/accountability/new", response_class=HTMLResponse)
async def proposal(request: Request, services: Services, read_models: ReadModels,
                   directive: str | None = DirectiveChoice,
                   permission: Permission = require("ledgers.propose_accountability", listing=True),
                   ) -> HTMLResponse:
    """Choose the directive, then the items that show the failure and the person held accountable."""
    return await _proposal_page(request, services, read_models, permission, directive or None)


@router.post("/group/directives/{directive_id}/accountability", response_class=HTMLResponse)
async def propose(request: Request, directive_id: Id, services: Services, read_models: ReadModels,
                  permission: Permission = require("ledgers.propose_accountability")) -> Response:
    """Propose accountability (`POST /api/ledgers/directives/{id}/accountability`)."""
    form = values(await checked_form(request), "item_ids")
    body, errors = validate(AccountabilityBody, form)
    problem = errors
    if body is not None:
        try:
            recorded = services.run(ProposeAccountability(directive_id=directive_id, **body.fields()), permission)
        except DomainError as error:
            if error.status == 404:
                raise
            problem = {"_form": error.message}
        else:
            return RedirectResponse(f"/group/accountability/{recorded.accountability_id}?recorded=accountability",
                                    status_code=303)
    return await _proposal_page(request, services, read_models, permission, directive_id, form=form,
                                errors=problem, status_code=422)


async def _accountability_page(request: Request, services: Services, read_models: ReadModels,
                               permission: Permission, accountability_id: str, *,
                               forms: dict[str, dict[str, Any]] | None = None,
                               errors: dict[str, dict[str, str]] | None = None,
                               status_code: int = 200) -> HTMLResponse:
    principal = permission.principal
    found = services.run(GetAccountability(accountability_id=accountability_id),
                         grant(principal, "ledgers.read_accountability"))
    directive, items = _items(services, permission, found.directive_id)
    return page(request, "accountability_one.html", principal=principal, active="accountability", record=found,
                directive=directive, items=items, list_kinds=LIST_KINDS, forms_of=FORMS, outcomes=OUTCOMES,
                statuses=STATUSES, persons=await roster(read_models, principal, found.unit_id or directive.unit_id),
                may_decide=may("ledgers.decide_accountability", principal), forms=forms or {},
                errors={name: localized(request, e) for name, e in (errors or {}).items()},
                recorded=request.query_params.get("recorded"), status_code=status_code)


@router.get("/group/accountability/{accountability_id}", response_class=HTMLResponse)
async def accountability_one(request: Request, accountability_id: Id, services: Services, read_models: ReadModels,
                             permission: Permission = require("ledgers.read_accountability")) -> HTMLResponse:
    """One accountability: what failed, on which items, whom, and the decision (`GET .../accountability/{id}`)."""
    return await _accountability_page(request, services, read_models, permission, accountability_id)


@router.post("/group/accountability/{accountability_id}/decision", response_class=HTMLResponse)
async def decide(request: Request, accountability_id: Id, services: Services, read_models: ReadModels,
                 permission: Permission = require("ledgers.decide_accountability")) -> Response:
    """Record the decision (`POST /api/ledgers/accountability/{id}/decision`)."""
    form = values(await checked_form(request))
    body, errors = validate(AccountabilityDecisionBody, form)
    if body is None:
        return await _accountability_page(request, services, read_models, permission, accountability_id,
                                          forms={"decision": form}, errors={"decision": errors}, status_code=422)
    try:
        services.run(DecideAccountability(accountability_id=accountability_id, **body.fields()), permission)
    except DomainError as error:
        if error.status == 404:
            raise
        return await _accountability_page(request, services, read_models, permission, accountability_id,
                                          forms={"decision": form}, errors={"decision": {"_form": error.message}},
                                          status_code=error.status)
    return RedirectResponse(f"/group/accountability/{accountability_id}?recorded=decision", status_code=303)
