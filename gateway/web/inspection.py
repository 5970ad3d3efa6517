"""Inspection handoff: the team's rounds, a round's page (phases, briefing packages, requests, referrals, the
progress of its findings), a briefing package (rebuilt from the history and verified) and its PDF."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from authz import Permission
from gateway.deps import ReadModels, Services
from gateway.inspections import handoff as handoff_api
from gateway.inspections import packages as packages_api
from gateway.permissions import require
from gateway.reads import After, Paging
from gateway.security import content_disposition
from gateway.web.forms import checked_form
from gateway.web.pdf import briefing_pdf
from gateway.web.render import page, translator
from services.common.interface import Id
from services.inspections.interface import GetRound

router = APIRouter(include_in_schema=False)


@router.get("/inspection", response_class=HTMLResponse)
async def rounds(request: Request, read_models: ReadModels, page_request: Paging, after: After,
                 permission: Permission = require("inspections.list_rounds", listing=True)) -> HTMLResponse:
    """The rounds the user may see (`GET /api/inspections/rounds`, the inspection handoff read model)."""
    found = await handoff_api.rounds(read_models=read_models, response=Response(), page=page_request, after=after,
                                     unit_id=None, sort=handoff_api.RoundSort.newest, permission=permission)
    return page(request, "rounds.html", principal=permission.principal, active="inspection", rounds=found.items,
                next_cursor=found.next_cursor)


@router.get("/inspection/rounds/{round_id}", response_class=HTMLResponse)
def inspection_round(request: Request, round_id: Id, services: Services,
                     permission: Permission = require("inspections.read_round")) -> HTMLResponse:
    found = services.run(GetRound(round_id=round_id), permission)
    done = sum(1 for f in found.findings if f.completed)
    return page(request, "round.html", principal=permission.principal, active="inspection", round=found,
                findings_done=done, may_freeze=permission.principal.org_kind == "group")


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
