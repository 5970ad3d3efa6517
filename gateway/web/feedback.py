"""Group workbench: feedback deliberation (反馈会商, 集体研判) — a unit's feedback drafts, the form to draft one,
and a draft's page: its text, the members' opinions, the leader's decision, revision and issuing.

The list is the `unit_channel` read model's drafts (`GET /api/units/units/{id}/feedback-drafts`); the draft is
read and changed by the units service under the API routes' permissions (drafts are group-internal).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from authz import Permission
from gateway.deps import ReadModels, Services
from gateway.permissions import grant, require
from gateway.reads import After, Paging
from gateway.units import routes_channel as channel_api
from gateway.web.channel import UnitChoice, chosen_unit, departments
from gateway.web.commands import form_command
from gateway.web.forms import checked_form, validate, values
from gateway.web.render import page
from projections.common.query import PageRequest
from services.common.errors import DomainError
from services.common.interface import Command, Id
from services.units.deliberation import DECISIONS, DRAFT_STATUSES, FORMS, STANCES
from services.units.interface import (
    DecideFeedback,
    DecisionBody,
    DraftFeedback,
    FeedbackDraftBody,
    GetFeedbackDraft,
    IssueBody,
    IssueFeedback,
    OpinionBody,
    RecordOpinion,
    ReviseFeedback,
    RevisionBody,
)

router = APIRouter(include_in_schema=False)


async def _drafts_page(request: Request, services: Services, read_models: ReadModels, permission: Permission,
                       unit_id: str, page_request: PageRequest, after: dict[str, int], *,
                       form: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                       status_code: int = 200) -> HTMLResponse:
    principal = permission.principal
    unit_name, counterparts = departments(services, principal, unit_id)
    drafts = await channel_api.list_feedback_drafts(unit_id=unit_id, read_models=read_models, response=Response(),
                                                    page=page_request, after=after,
                                                    sort=channel_api.DraftSort.newest,
                                                    permission=grant(principal, "units.read_draft"))
    return page(request, "feedback.html", principal=principal, active="feedback", unit_id=unit_id,
                unit_name=unit_name, units=sorted(principal.supervised_unit_ids), counterparts=counterparts,
                drafts=drafts.items, next_cursor=drafts.next_cursor, draft_statuses=DRAFT_STATUSES,
                feedback_forms=FORMS, form=form or {}, errors=errors or {}, status_code=status_code)


@router.get("/group/feedback", response_class=HTMLResponse)
async def drafts(request: Request, services: Services, read_models: ReadModels, page_request: Paging,
                 after: After, unit: str | None = UnitChoice,
                 permission: Permission = require("units.deliberate_feedback", listing=True)) -> HTMLResponse:
    unit_id = chosen_unit(permission.principal, unit)
    return await _drafts_page(request, services, read_models, permission, unit_id, page_request, after)


@router.post("/group/feedback/{unit_id}/drafts", response_class=HTMLResponse)
async def draft(request: Request, unit_id: Id, services: Services, read_models: ReadModels,
                permission: Permission = require("units.deliberate_feedback")) -> Response:
    """Draft feedback for deliberation (`POST /api/units/units/{id}/feedback-drafts`)."""
    form = values(await checked_form(request))
    body, errors = validate(FeedbackDraftBody, {**form, "important": form.get("important") == "on"})
    problem = errors
    if body is not None:
        try:
            drafted = services.run(DraftFeedback(unit_id=unit_id, **body.fields()), permission)
        except DomainError as error:
            if error.status == 404:
                raise
            problem = {"_form": error.message}
        else:
            return RedirectResponse(f"/group/feedback/drafts/{drafted.draft_id}?recorded=draft", status_code=303)
    return await _drafts_page(request, services, read_models, permission, unit_id, PageRequest(), {},
                              form=form, errors=problem, status_code=422)


def _draft_page(request: Request, services: Services, permission: Permission, draft_id: str, *,
                forms: dict[str, dict[str, Any]] | None = None, errors: dict[str, dict[str, str]] | None = None,
                status_code: int = 200) -> HTMLResponse:
    principal = permission.principal
    found = services.run(GetFeedbackDraft(draft_id=draft_id), grant(principal, "units.read_draft"))
    mine = next((o for o in found.opinions if o.get("member") == principal.user_id), None)
    unit_name, counterparts = departments(services, principal, found.unit_id)
    return page(request, "feedback_draft.html", principal=principal, active="feedback", draft=found, mine=mine,
                unit_name=unit_name, counterpart=dict(counterparts).get(found.counterpart_id, found.counterpart_id),
                stances=STANCES, decisions=DECISIONS, draft_statuses=DRAFT_STATUSES, feedback_forms=FORMS,
                may_decide="group_leader" in principal.roles, forms=forms or {}, errors=errors or {},
                recorded=request.query_params.get("recorded"), status_code=status_code)


@router.get("/group/feedback/drafts/{draft_id}", response_class=HTMLResponse)
def draft_page(request: Request, draft_id: Id, services: Services,
               permission: Permission = require("units.read_draft")) -> HTMLResponse:
    """A feedback draft with its opinions, decision and history (`GET /api/units/feedback-drafts/{id}`)."""
    return _draft_page(request, services, permission, draft_id)


async def _draft_command(request: Request, services: Services, permission: Permission, draft_id: str, name: str,
                         body_model: type[BaseModel], command: Callable[..., Command[Any]],
                         prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> Response:
    return await form_command(
        request, name, body_model, lambda body: services.run(command(draft_id=draft_id, **body.fields()), permission),
        partial(_draft_page, request, services, permission, draft_id),
        f"/group/feedback/drafts/{draft_id}?recorded={name}", prepare=prepare)


def _important(form: dict[str, Any]) -> dict[str, Any]:
    return {**form, "important": form.get("important") == "on"}


@router.post("/group/feedback/drafts/{draft_id}/opinions", response_class=HTMLResponse)
async def opinion(request: Request, draft_id: Id, services: Services,
                  permission: Permission = require("units.deliberate_feedback")) -> Response:
    return await _draft_command(request, services, permission, draft_id, "opinion", OpinionBody, RecordOpinion)


@router.post("/group/feedback/drafts/{draft_id}/revise", response_class=HTMLResponse)
async def revise(request: Request, draft_id: Id, services: Services,
                 permission: Permission = require("units.deliberate_feedback")) -> Response:
    return await _draft_command(request, services, permission, draft_id, "revision", RevisionBody, ReviseFeedback,
                                _important)


@router.post("/group/feedback/drafts/{draft_id}/decision", response_class=HTMLResponse)
async def decide(request: Request, draft_id: Id, services: Services,
                 permission: Permission = require("units.deliberate_feedback")) -> Response:
    return await _draft_command(request, services, permission, draft_id, "decision", DecisionBody, DecideFeedback)


@router.post("/group/feedback/drafts/{draft_id}/issue", response_class=HTMLResponse)
async def issue(request: Request, draft_id: Id, services: Services,
                permission: Permission = require("units.deliberate_feedback")) -> Response:
    return await _draft_command(request, services, permission, draft_id, "issue", IssueBody, IssueFeedback)
