"""Scheduling rounds (定期调度) in the portals: the unit lists the rounds addressed to it and answers each
directive (status and progress); the group's page of a round shows the answers with who gave them (the unit,
its progress report, or the group entering an answer on the unit's behalf) and lets the group enter one.

The list is the API's `GET /api/ledgers/scheduling-rounds` (the group workbench read model, authorised in its
query); a round's page is `GET /api/ledgers/scheduling-rounds/{id}` and its forms run
`POST /api/ledgers/scheduling-rounds/{id}/responses`: the pages decide no access of their own (another unit's
round is the page of a missing one)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

import authz
from authz import Permission
from gateway.deps import ReadModels, Services
from gateway.ledgers import lists as rounds_api
from gateway.permissions import grant, require
from gateway.reads import After, Paging
from gateway.web.commands import form_command
from gateway.web.render import page
from services.common.interface import Id
from services.ledgers.interface import GetSchedulingRound, RecordRoundResponse, RoundResponseBody
from services.ledgers.vocab import REPORTED_STATUS_LABELS

router = APIRouter(include_in_schema=False)
PORTALS = {"unit": "unit", "group": "group"}
"""The portals that show rounds: their path prefix and navigation entry. Either page of a round answers whoever
may read the round (as the API does); the forms show to whoever may answer it."""


async def _list(request: Request, portal: str, read_models: ReadModels, page_request: Paging, after: After,
                permission: Permission) -> HTMLResponse:
    found = await rounds_api.list_rounds(read_models=read_models, response=Response(), page=page_request,
                                         after=after, open_only=False, sort="respond_by", permission=permission)
    return page(request, "scheduling_rounds.html", principal=permission.principal, active=PORTALS[portal],
                portal=portal, rounds=found.items, next_cursor=found.next_cursor)


@router.get("/unit/rounds", response_class=HTMLResponse)
async def unit_rounds(request: Request, read_models: ReadModels, page_request: Paging, after: After,
                      permission: Permission = require("ledgers.read_round", listing=True)) -> HTMLResponse:
    """The rounds addressed to the user's unit, soonest reply date first."""
    return await _list(request, "unit", read_models, page_request, after, permission)


@router.get("/group/rounds", response_class=HTMLResponse)
async def group_rounds(request: Request, read_models: ReadModels, page_request: Paging, after: After,
                       permission: Permission = require("ledgers.read_round", listing=True)) -> HTMLResponse:
    """The group's rounds with how many directives are still unanswered."""
    return await _list(request, "group", read_models, page_request, after, permission)


def _round_page(request: Request, services: Services, permission: Permission, portal: str, round_id: str, *,
                forms: dict[str, Any] | None = None, errors: dict[str, Any] | None = None,
                status_code: int = 200) -> HTMLResponse:
    principal = permission.principal
    found = services.run(GetSchedulingRound(round_id=round_id), grant(principal, "ledgers.read_round"))
    may_answer = not found.closed and authz.can(principal, "ledgers.answer_round",
                                                authz.Scope(found.group_id, found.unit_id))
    return page(request, "scheduling_round.html", principal=principal, active=PORTALS[portal], portal=portal,
                round=found, may_answer=may_answer, statuses=list(REPORTED_STATUS_LABELS.items()), status_labels=REPORTED_STATUS_LABELS,
                forms=forms or {}, errors=errors or {},
                recorded=request.query_params.get("recorded"), status_code=status_code)


@router.get("/unit/rounds/{round_id}", response_class=HTMLResponse)
def unit_round(request: Request, round_id: Id, services: Services,
               permission: Permission = require("ledgers.read_round")) -> HTMLResponse:
    """A round addressed to the unit: the directives asked about, its answers, a form per directive."""
    return _round_page(request, services, permission, "unit", round_id)


@router.get("/group/rounds/{round_id}", response_class=HTMLResponse)
def group_round(request: Request, round_id: Id, services: Services,
                permission: Permission = require("ledgers.read_round")) -> HTMLResponse:
    """A round of the group: the unit's answers with who answered, reports that matched nothing."""
    return _round_page(request, services, permission, "group", round_id)


async def _answer(request: Request, portal: str, round_id: str, directive_id: str, services: Services,
                  permission: Permission) -> Response:
    name = f"answer-{directive_id}"

    def run(body: RoundResponseBody) -> Any:
        return services.run(RecordRoundResponse(round_id=round_id, **body.fields()), permission)

    def render(**kwargs: Any) -> HTMLResponse:
        return _round_page(request, services, grant(permission.principal, "ledgers.read_round"), portal, round_id,
                           **kwargs)

    return await form_command(request, name, RoundResponseBody, run, render,
                              f"/{portal}/rounds/{round_id}?recorded=round_answer#d-{directive_id}",
                              prepare=lambda form: {**form, "directive_id": directive_id})


@router.post("/unit/rounds/{round_id}/directives/{directive_id}/answer", response_class=HTMLResponse)
async def unit_answer(request: Request, round_id: Id, directive_id: Id, services: Services,
                      permission: Permission = require("ledgers.answer_round")) -> Response:
    """The unit answers one directive of its round."""
    return await _answer(request, "unit", round_id, directive_id, services, permission)


@router.post("/group/rounds/{round_id}/directives/{directive_id}/answer", response_class=HTMLResponse)
async def group_answer(request: Request, round_id: Id, directive_id: Id, services: Services,
                       permission: Permission = require("ledgers.answer_round")) -> Response:
    """The group enters the unit's answer on its behalf (a call, a meeting): recorded as the group's."""
    return await _answer(request, "group", round_id, directive_id, services, permission)
