"""Group workbench: the three-level network (三级联动) of one supervised unit — the organ discipline committee's
and the branches' discipline posts with their holders and vacancies, how the unit channel reaches each, the
joint meetings, training, 以干代训 and guidance held with them, and the form to record one.

The network is the units service's `GetNetwork` (as `GET /api/units/units/{id}/network`), the joint work the
`unit_channel` read model through the API's list function (`GET /api/units/units/{id}/network-activities`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from authz import Permission
from gateway.deps import ReadModels, Services
from gateway.permissions import grant, require
from gateway.reads import After, Paging
from gateway.units import lists_meetings as meetings_api
from gateway.web.channel import UnitChoice, chosen_unit
from gateway.web.forms import checked_form, validate, values
from gateway.web.group import localized
from gateway.web.render import page
from projections.common.query import PageRequest
from services.common.errors import DomainError
from services.common.interface import Id
from services.units.interface import GetNetwork, NetworkActivityBody, RecordNetworkActivity
from services.units.network import ACTIVITY_KINDS, LEVELS
from services.units.roster import POST_KINDS

router = APIRouter(include_in_schema=False)


async def _network_page(request: Request, services: Services, read_models: ReadModels, permission: Permission,
                        unit_id: str, page_request: PageRequest, after: dict[str, int], *,
                        form: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                        status_code: int = 200) -> HTMLResponse:
    principal = permission.principal
    reading = grant(principal, "units.read")
    network = services.run(GetNetwork(unit_id=unit_id), reading)
    found = await meetings_api.list_network_activities(
        unit_id=unit_id, read_models=read_models, response=Response(), page=page_request, after=after, kind=None,
        sort=meetings_api.HeldSort.newest, permission=grant(principal, "units.read", listing=True))
    members = {h["person_id"]: h["person_name"] for p in network.positions for h in p.holders}
    units = sorted(principal.supervised_unit_ids)
    return page(request, "network.html", principal=principal, active="network", unit_id=unit_id, units=units,
                network=network, members=members, activities=found.items,
                next_cursor=found.next_cursor, levels=LEVELS, post_kinds=POST_KINDS, activity_kinds=ACTIVITY_KINDS,
                form=form or {}, errors=localized(request, errors or {}), recorded=request.query_params.get("recorded"),
                status_code=status_code)


@router.get("/group/network", response_class=HTMLResponse)
async def network(request: Request, services: Services, read_models: ReadModels, page_request: Paging,
                  after: After, unit: str | None = UnitChoice,
                  permission: Permission = require("units.record_network", listing=True)) -> HTMLResponse:
    """The unit's network, its vacancies and its joint work, and the form to record joint work."""
    unit_id = chosen_unit(permission.principal, unit)
    return await _network_page(request, services, read_models, permission, unit_id, page_request, after)


@router.post("/group/network/{unit_id}/activities", response_class=HTMLResponse)
async def record(request: Request, unit_id: Id, services: Services, read_models: ReadModels,
                 permission: Permission = require("units.record_network")) -> Response:
    """Record a joint meeting, training, 以干代训 or guidance (`POST /api/units/units/{id}/network-activities`)."""
    form = values(await checked_form(request), "participant_ids")
    body, errors = validate(NetworkActivityBody, form)
    problem = errors
    if body is not None:
        try:
            recorded = services.run(RecordNetworkActivity(unit_id=unit_id, **body.fields()), permission)
        except DomainError as error:
            if error.status == 404:
                raise
            problem = {"_form": error.message}
        else:
            return RedirectResponse(f"/group/network?unit={unit_id}&recorded=network_activity"
                                    f"&after=units:{recorded.position}", status_code=303)
    return await _network_page(request, services, read_models, permission, unit_id, PageRequest(), {}, form=form,
                               errors=problem, status_code=422)
