"""Group workbench: the unit channel (单位联络) of one supervised unit — the items sent to it (document and
scheduling requests, relays, issued feedback) with their delivery and answers, the unit's inbound submissions,
the form to send a request and the review (已阅) of a submission.

Lists come from the `unit_channel` and `unit_portal` read models through the API's own list functions;
commands run under the API routes' permissions.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from authz import Permission, Principal
from gateway.deps import ReadModels, Services
from gateway.permissions import grant, require
from gateway.reads import After, Paging
from gateway.units import routes_channel as channel_api
from gateway.units import routes_portal as portal_api
from gateway.web.forms import checked_form, validate, values
from gateway.web.render import page
from projections.common.query import PageRequest
from services.common.errors import DomainError, InvalidInputError, NotFoundError
from services.common.interface import Id
from services.units.inbound import INBOUND_KIND_LABELS
from services.units.interface import IssueRequest, RequestBody, ReviewBody, ReviewSubmission
from services.units.outbound import DIRECT_KINDS, ITEM_STATUSES, OUTBOUND_KINDS

router = APIRouter(include_in_schema=False)
UnitChoice = Query(default=None, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]*$")
"""A unit id, or empty: a GET form sends its "any" choice as an empty value."""


def chosen_unit(principal: Principal, unit: str | None) -> str:
    """The unit a workbench page is about: the one asked for, else the first the group supervises (the
    service answers 404 for a unit the user may not read, as for one never registered)."""
    if unit:
        return unit
    supervised = sorted(principal.supervised_unit_ids)
    if not supervised:
        raise NotFoundError("记录不存在 (not found)")
    return supervised[0]


def departments(services: Services, principal: Principal, unit_id: str) -> tuple[str, list[tuple[str, str]]]:
    """The unit's name and its active departments (the counterparts an item or feedback may go to)."""
    unit = portal_api.get_unit(unit_id, services, False, grant(principal, "units.read"))
    return unit.name, [(d.department_id, d.name) for d in unit.departments if d.active]


async def _channel_page(request: Request, services: Services, read_models: ReadModels, permission: Permission,
                        unit_id: str, page_request: PageRequest, after: dict[str, int], *,
                        form: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                        status_code: int = 200) -> HTMLResponse:
    principal = permission.principal
    unit_name, counterparts = departments(services, principal, unit_id)
    reading = grant(principal, "units.read")
    items = await channel_api.list_items(unit_id=unit_id, read_models=read_models, response=Response(),
                                         page=page_request, after=after, status=None,
                                         sort=channel_api.ItemSort.newest, permission=reading)
    submissions = await channel_api.list_submissions(unit_id=unit_id, read_models=read_models, response=Response(),
                                                     page=PageRequest(limit=50), after=after, kind=None, status=None,
                                                     permission=reading)
    return page(request, "channel.html", principal=principal, active="channel", unit_id=unit_id,
                unit_name=unit_name, units=sorted(principal.supervised_unit_ids), counterparts=counterparts,
                items=items.items, next_cursor=items.next_cursor, submissions=submissions.items,
                item_kinds=OUTBOUND_KINDS, request_kinds=[(k, OUTBOUND_KINDS[k]) for k in DIRECT_KINDS],
                item_statuses=ITEM_STATUSES, inbound_labels=INBOUND_KIND_LABELS,
                form=form or {}, errors=errors or {}, recorded=request.query_params.get("recorded"),
                status_code=status_code)


@router.get("/group/channel", response_class=HTMLResponse)
async def channel(request: Request, services: Services, read_models: ReadModels, page_request: Paging,
                  after: After, unit: str | None = UnitChoice,
                  permission: Permission = require("units.review_submission", listing=True)) -> HTMLResponse:
    """The channel with one unit (`GET /api/units/units/{id}/items` and `.../submissions`)."""
    unit_id = chosen_unit(permission.principal, unit)
    return await _channel_page(request, services, read_models, permission, unit_id, page_request, after)


@router.post("/group/channel/{unit_id}/requests", response_class=HTMLResponse)
async def send_request(request: Request, unit_id: Id, services: Services, read_models: ReadModels,
                       permission: Permission = require("units.issue_item")) -> Response:
    """Send a document request, scheduling request or relay (`POST /api/units/units/{id}/requests`)."""
    form = values(await checked_form(request))
    body, errors = validate(RequestBody, form)
    problem: dict[str, str] = errors
    if body is not None:
        try:
            sent = services.run(IssueRequest(unit_id=unit_id, **body.fields()), permission)
        except DomainError as error:
            if error.status == 404:
                raise
            problem = {"_form": error.message}
        else:
            return RedirectResponse(f"/group/channel?unit={unit_id}&recorded=channel_request"
                                    f"&after=units:{sent.position}", status_code=303)
    return await _channel_page(request, services, read_models, permission, unit_id, PageRequest(), {},
                               form=form, errors=problem, status_code=422)


@router.post("/group/channel/submissions/{submission_id}/review", response_class=HTMLResponse)
async def review(request: Request, submission_id: Id, services: Services,
                 permission: Permission = require("units.review_submission")) -> Response:
    """Mark a submission reviewed (已阅) with a note (`POST /api/units/submissions/{id}/review`)."""
    form = values(await checked_form(request))
    body, errors = validate(ReviewBody, {"note": form.get("note", "")})
    if body is None:
        raise InvalidInputError(next(iter(errors.values())), code="invalid_input")
    reviewed = services.run(ReviewSubmission(submission_id=submission_id, **body.fields()), permission)
    unit_id = form.get("unit", "")
    unit = f"unit={unit_id}&" if unit_id in permission.principal.supervised_unit_ids else ""
    return RedirectResponse(f"/group/channel?{unit}recorded=channel_review&after=units:{reviewed.position}",
                            status_code=303)
