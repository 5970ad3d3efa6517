"""Inspection handoff: the team's rounds, a round's page (phases, briefing packages, requests, referrals, the
progress of its findings), a briefing package (rebuilt from the history and verified) and its PDF."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

import authz
from authz import Permission
from events.vocab import CLUE_CATEGORIES
from gateway.deps import ReadModels, Services
from gateway.inspections import handoff as handoff_api
from gateway.inspections import packages as packages_api
from gateway.inspections import router as rounds_api
from gateway.inspections.router import side_of
from gateway.permissions import grant, require
from gateway.reads import After, Paging
from gateway.security import content_disposition
from gateway.web.commands import form_command
from gateway.web.forms import checked_form
from gateway.web.pdf import briefing_pdf
from gateway.web.render import page, translator
from services.common.interface import Id
from services.inspections.interface import (
    AnswerBody,
    ClueContent,
    GetRound,
    InformationRequestBody,
    ReferClue,
)

router = APIRouter(include_in_schema=False)


@router.get("/inspection", response_class=HTMLResponse)
async def rounds(request: Request, read_models: ReadModels, page_request: Paging, after: After,
                 permission: Permission = require("inspections.list_rounds", listing=True)) -> HTMLResponse:
    """The rounds the user may see (`GET /api/inspections/rounds`, the inspection handoff read model)."""
    found = await handoff_api.rounds(read_models=read_models, response=Response(), page=page_request, after=after,
                                     unit_id=None, sort=handoff_api.RoundSort.newest, permission=permission)
    return page(request, "rounds.html", principal=permission.principal, active="inspection", rounds=found.items,
                next_cursor=found.next_cursor)


def _round_page(request: Request, services: Services, permission: Permission, round_id: str, *,
                forms: dict[str, dict[str, Any]] | None = None, errors: dict[str, dict[str, str]] | None = None,
                status_code: int = 200) -> HTMLResponse:
    principal = permission.principal
    found = services.run(GetRound(round_id=round_id), grant(principal, "inspections.read_round"))
    done = sum(1 for f in found.findings if f.completed)
    side = side_of(principal)
    return page(request, "round.html", principal=principal, active="inspection", round=found,
                findings_done=done, may_freeze=principal.org_kind == "group", side=side,
                may_request=principal.has_any(authz.TEAM_ROLES | authz.GROUP_ROLES),
                may_refer=principal.has_any(authz.TEAM_ROLES), clue_categories=CLUE_CATEGORIES,
                forms=forms or {}, errors=errors or {}, recorded=request.query_params.get("recorded"),
                status_code=status_code)


@router.get("/inspection/rounds/{round_id}", response_class=HTMLResponse)
def inspection_round(request: Request, round_id: Id, services: Services,
                     permission: Permission = require("inspections.read_round")) -> HTMLResponse:
    return _round_page(request, services, permission, round_id)


async def _round_command(request: Request, services: Services, permission: Permission, round_id: str, name: str,
                         body_model: type[BaseModel], run: Callable[[Any], Any], *lists: str,
                         prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> Response:
    return await form_command(request, name, body_model, run, partial(_round_page, request, services, permission,
                                                                      round_id),
                              f"/inspection/rounds/{round_id}?recorded={name}", *lists, prepare=prepare)


@router.post("/inspection/rounds/{round_id}/requests", response_class=HTMLResponse)
async def request_information(request: Request, round_id: Id, services: Services,
                              permission: Permission = require("inspections.request_information")) -> Response:
    """A request for information to the other side (`POST /api/inspections/rounds/{id}/requests`)."""
    return await _round_command(request, services, permission, round_id, "round_request", InformationRequestBody,
                                lambda body: rounds_api.request_information(round_id, body, services, permission))


@router.post("/inspection/rounds/{round_id}/requests/{request_id}/answer", response_class=HTMLResponse)
async def answer_information(request: Request, round_id: Id, request_id: Id, services: Services,
                             permission: Permission = require("inspections.answer_information")) -> Response:
    """Answer a request addressed to one's side (`POST .../requests/{id}/answer`)."""
    return await _round_command(request, services, permission, round_id, f"answer-{request_id}", AnswerBody,
                                lambda body: rounds_api.answer_information(round_id, request_id, body, services,
                                                                           permission))


@router.post("/inspection/rounds/{round_id}/referrals", response_class=HTMLResponse)
async def refer_clue(request: Request, round_id: Id, services: Services,
                     permission: Permission = require("inspections.refer_clue")) -> Response:
    """The team refers a clue to the group (`POST /api/inspections/rounds/{id}/referrals`): its content is
    sealed for the clues service and never shown again on the round."""
    def prepare(form: dict[str, Any]) -> dict[str, Any]:
        return {**form, "key_person": form.get("key_person") == "on"}

    return await _round_command(request, services, permission, round_id, "round_referral", ClueContent,
                                lambda body: services.run(ReferClue(round_id=round_id, **body.fields()), permission),
                                "categories", prepare=prepare)


@router.post("/inspection/rounds/{round_id}/packages")
async def freeze(request: Request, round_id: Id, services: Services, read_models: ReadModels,
                 permission: Permission = require("inspections.freeze_briefing_package")) -> Response:
    await checked_form(request)
    frozen = packages_api.freeze_briefing_package(round_id, services, read_models, permission)
    return RedirectResponse(f"/inspection/rounds/{round_id}/packages/{frozen.package_id}", status_code=303)


@router.get("/inspection/rounds/{round_id}/packages/{package_id}", response_class=HTMLResponse)
def package(request: Request, round_id: Id, package_id: Id, services: Services, read_models: ReadModels,
            permission: Permission = require("inspections.read_briefing_package")) -> HTMLResponse:
    verified = packages_api.get_briefing_package(round_id, package_id, services, read_models, permission)
    found = services.run(GetRound(round_id=round_id), permission)
    return page(request, "package.html", principal=permission.principal, active="inspection", round=found,
                verified=verified, package=verified.package)


@router.get("/inspection/rounds/{round_id}/packages/{package_id}/pdf")
def package_pdf(request: Request, round_id: Id, package_id: Id, services: Services, read_models: ReadModels,
                permission: Permission = require("inspections.read_briefing_package")) -> Response:
    """The briefing package as a PDF (Chinese text in the CID font every PDF reader has)."""
    verified = packages_api.get_briefing_package(round_id, package_id, services, read_models, permission)
    found = services.run(GetRound(round_id=round_id), permission)
    content = briefing_pdf(found, verified, translator(request))
    return Response(content, media_type="application/pdf", headers={
        "content-disposition": content_disposition(f"简报包-{package_id[:8]}.pdf"), "cache-control": "no-store"})
