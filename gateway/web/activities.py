"""Group workbench: supervision activities (嵌入式, 跟踪式, 点穴式, 联合监督, 定期会商, 专项督促检查, with their talks
and checks) — the list by kind and unit, the form to plan one, and an activity's page with its whole-process
record: start, each piece of work by one of its methods, findings, conclusion.

The list is the inspection handoff read model (`GET /api/inspections/activities`); the activity is read and
changed by the inspections service under the API routes' permissions (HQ and the auditor read only).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

import authz
from authz import Permission
from events.vocab import STAGE_LABELS
from gateway import references
from gateway.deps import ReadModels, Services, runtime
from gateway.inspections import handoff as handoff_api
from gateway.ledgers import lists as lists_api
from gateway.permissions import grant, require
from gateway.reads import After, Paging
from gateway.web.channel import UnitChoice
from gateway.web.commands import form_command
from gateway.web.forms import checked_form, validate, values
from gateway.web.group import members
from gateway.web.paging import every_page
from gateway.web.render import page
from projections.common.query import PageRequest
from services.common.errors import DomainError
from services.common.interface import Command, Id
from services.inspections.interface import (
    ActivityConclusion,
    ActivityFindingBody,
    ActivityStart,
    CompleteActivity,
    GetActivity,
    PlanActivity,
    RecordActivityFinding,
    RecordActivityWork,
    StartActivity,
    WorkBody,
)
from services.inspections.vocab import (
    ACTIVITY_KINDS,
    ACTIVITY_STATUSES,
    ALLOWED_METHODS,
    FINDING_OUTCOMES,
    METHODS,
)

router = APIRouter(include_in_schema=False)
KindChoice = Query(default=None, max_length=32, pattern=r"^[a-z_]*$")
DirectiveChoice = Query(default=None, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]*$")
MAX_DIRECTIVES = 200
"""At most this many directives (the latest received) are offered in the plan form and the filter."""


def _may_work(permission: Permission) -> bool:
    return permission.principal.has_any(authz.GROUP_ROLES)


async def readable_directives(read_models: ReadModels, principal: authz.Principal) -> dict[str, str]:
    """The directives the user may read (id → title), for the plan form and the directive filter (issue #15:
    an activity records the directive and stage it supervised); none for whoever may not read them."""
    try:
        permission = grant(principal, "ledgers.read_directive", listing=True)
    except DomainError:
        return {}
    found = await every_page(lists_api.list_directives, enough=MAX_DIRECTIVES, read_models=read_models,
                             category=None, unit_id=None, status=None, overdue=None, include_withdrawn=False,
                             q=None, sort="-received_on", permission=permission)
    return {d.directive_id: f"{d.reference_number} {d.title}".strip() for d in found}


async def _activities_page(request: Request, read_models: ReadModels, permission: Permission,
                           page_request: PageRequest, after: dict[str, int], kind: str | None, unit: str | None,
                           directive: str | None = None, *,
                           form: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                           status_code: int = 200) -> HTMLResponse:
    principal = permission.principal
    chosen = kind if kind in ACTIVITY_KINDS else None
    found = await handoff_api.activities(read_models=read_models, response=Response(), page=page_request,
                                         after=after, kind=chosen, unit_id=unit or None,
                                         directive_id=directive or None, stage=None,
                                         sort=handoff_api.ActivitySort.newest, permission=permission)
    return page(request, "activities.html", principal=principal, active="activities", activities=found.items,
                next_cursor=found.next_cursor, kinds=ACTIVITY_KINDS, statuses=ACTIVITY_STATUSES, methods=METHODS,
                kind=chosen or "", unit_id=unit or "", units=sorted(principal.supervised_unit_ids),
                directive_id=directive or "", directives=await readable_directives(read_models, principal),
                stage_labels=STAGE_LABELS,
                followers=members(request, permission), may_plan=_may_work(permission), form=form or {},
                errors=errors or {}, status_code=status_code)


@router.get("/group/activities", response_class=HTMLResponse)
async def activities(request: Request, read_models: ReadModels, page_request: Paging, after: After,
                     kind: str | None = KindChoice, unit: str | None = UnitChoice,
                     directive: str | None = DirectiveChoice,
                     permission: Permission = require("inspections.list_activities", listing=True)) -> HTMLResponse:
    return await _activities_page(request, read_models, permission, page_request, after, kind, unit, directive)


@router.post("/group/activities", response_class=HTMLResponse)
async def plan(request: Request, services: Services, read_models: ReadModels,
               permission: Permission = require("inspections.plan_activity")) -> Response:
    """Plan an activity (`POST /api/inspections/activities`)."""
    form = values(await checked_form(request), "participant_ids", "methods")
    data = {**form, "group_id": permission.principal.group_id or ""}
    command, errors = validate(PlanActivity, data)
    problem = errors
    if command is not None:
        try:
            references.linked_directive(command, permission, runtime(request))
            planned = services.run(command, permission)
        except DomainError as error:
            problem = {getattr(error, "field", None) or "_form": error.message}
        else:
            return RedirectResponse(f"/group/activities/{planned.activity_id}?recorded=activity", status_code=303)
    return await _activities_page(request, read_models, grant(permission.principal, "inspections.list_activities",
                                                              listing=True),
                                  PageRequest(), {}, None, None, form=form, errors=problem, status_code=422)


def _activity_page(request: Request, services: Services, permission: Permission, activity_id: str, *,
                   forms: dict[str, dict[str, Any]] | None = None, errors: dict[str, dict[str, str]] | None = None,
                   status_code: int = 200) -> HTMLResponse:
    principal = permission.principal
    found = services.run(GetActivity(activity_id=activity_id), grant(principal, "inspections.read_activity"))
    allowed = [(m, METHODS[m]) for m in found.methods if m in METHODS] or [
        (m, METHODS[m]) for m in sorted(ALLOWED_METHODS.get(found.kind, METHODS))]
    return page(request, "activity.html", principal=principal, active="activities", activity=found,
                kinds=ACTIVITY_KINDS, statuses=ACTIVITY_STATUSES, methods=METHODS, method_options=allowed,
                outcomes=FINDING_OUTCOMES, stage_labels=STAGE_LABELS, may_work=_may_work(permission), forms=forms or {},
                errors=errors or {},
                recorded=request.query_params.get("recorded"), status_code=status_code)


@router.get("/group/activities/{activity_id}", response_class=HTMLResponse)
def activity(request: Request, activity_id: Id, services: Services,
             permission: Permission = require("inspections.read_activity")) -> HTMLResponse:
    """An activity with its plan, record and findings (`GET /api/inspections/activities/{id}`)."""
    return _activity_page(request, services, permission, activity_id)


async def _activity_command(request: Request, services: Services, permission: Permission, activity_id: str,
                            name: str, body_model: type[BaseModel], command: Callable[..., Command[Any]]) -> Response:
    return await form_command(
        request, name, body_model,
        lambda body: services.run(command(activity_id=activity_id, **body.fields()), permission),
        partial(_activity_page, request, services, permission, activity_id),
        f"/group/activities/{activity_id}?recorded={name}")


@router.post("/group/activities/{activity_id}/start", response_class=HTMLResponse)
async def start(request: Request, activity_id: Id, services: Services,
                permission: Permission = require("inspections.carry_out_activity")) -> Response:
    return await _activity_command(request, services, permission, activity_id, "start", ActivityStart,
                                   StartActivity)


@router.post("/group/activities/{activity_id}/work", response_class=HTMLResponse)
async def work(request: Request, activity_id: Id, services: Services,
               permission: Permission = require("inspections.carry_out_activity")) -> Response:
    return await _activity_command(request, services, permission, activity_id, "work", WorkBody,
                                   RecordActivityWork)


@router.post("/group/activities/{activity_id}/findings", response_class=HTMLResponse)
async def finding(request: Request, activity_id: Id, services: Services,
                  permission: Permission = require("inspections.carry_out_activity")) -> Response:
    return await _activity_command(request, services, permission, activity_id, "finding", ActivityFindingBody,
                                   RecordActivityFinding)


@router.post("/group/activities/{activity_id}/complete", response_class=HTMLResponse)
async def complete(request: Request, activity_id: Id, services: Services,
                   permission: Permission = require("inspections.carry_out_activity")) -> Response:
    return await _activity_command(request, services, permission, activity_id, "complete", ActivityConclusion,
                                   CompleteActivity)
