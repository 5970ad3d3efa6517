"""Group workbench: meeting supervision (会议监督, 与“一把手”交换意见, 谈心谈话) of one supervised unit — the list of
meetings attended and talks held, the form to record one with what was observed, and a record's page with its
observations and the form to add a later one.

The list is the `unit_channel` read model through the API's own list function
(`GET /api/units/units/{id}/leadership-contacts`); records are read and written by the units service under the
API routes' permissions. Group roles only: the unit never sees what the group observed about its leaders.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from authz import Permission
from events.vocab import STAGE_LABELS
from gateway import references
from gateway.deps import ReadModels, Services, runtime
from gateway.permissions import grant, require
from gateway.reads import After, Paging
from gateway.units import lists_meetings as meetings_api
from gateway.web.activities import readable_directives
from gateway.web.channel import UnitChoice, chosen_unit
from gateway.web.commands import form_command
from gateway.web.forms import checked_form, validate, values
from gateway.web.group import localized, members
from gateway.web.names import roster
from gateway.web.render import page
from projections.common.query import PageRequest
from services.common.errors import DomainError
from services.common.interface import Id
from services.units.interface import (
    AddContactObservation,
    ContactBody,
    ContactObservationBody,
    GetLeadershipContact,
    RecordLeadershipContact,
)
from services.units.meetings import CONTACT_KINDS, MEETING_KINDS
from services.units.roster import POST_KINDS

router = APIRouter(include_in_schema=False)
LISTS = ("person_ids", "attended_by")


async def _meetings_page(request: Request, read_models: ReadModels, permission: Permission, unit_id: str,
                         page_request: PageRequest, after: dict[str, int], *, form: dict[str, Any] | None = None,
                         errors: dict[str, str] | None = None, status_code: int = 200) -> HTMLResponse:
    principal = permission.principal
    found = await meetings_api.list_leadership_contacts(
        unit_id=unit_id, read_models=read_models, response=Response(), page=page_request, after=after, kind=None,
        directive_id=None, sort=meetings_api.HeldSort.newest, permission=grant(principal, "units.read_meetings",
                                                                                 listing=True))
    units = sorted(principal.supervised_unit_ids)
    return page(request, "meetings.html", principal=principal, active="meetings", unit_id=unit_id, units=units,
                contacts=found.items, next_cursor=found.next_cursor,
                persons=await roster(read_models, principal, unit_id), group_members=members(request, permission),
                contact_kinds=CONTACT_KINDS, meeting_kinds=MEETING_KINDS, stage_labels=STAGE_LABELS,
                directives=await readable_directives(read_models, principal), form=form or {},
                errors=localized(request, errors or {}), recorded=request.query_params.get("recorded"),
                status_code=status_code)


@router.get("/group/meetings", response_class=HTMLResponse)
async def meetings(request: Request, read_models: ReadModels, page_request: Paging, after: After,
                   unit: str | None = UnitChoice,
                   permission: Permission = require("units.supervise_meetings", listing=True)) -> HTMLResponse:
    """The meetings attended and talks held in one unit, newest first, and the form to record one."""
    unit_id = chosen_unit(permission.principal, unit)
    return await _meetings_page(request, read_models, permission, unit_id, page_request, after)


@router.post("/group/meetings/{unit_id}", response_class=HTMLResponse)
async def record(request: Request, unit_id: Id, services: Services, read_models: ReadModels,
                 permission: Permission = require("units.supervise_meetings")) -> Response:
    """Record a meeting attended, an exchange of views or a talk (`POST /api/units/units/{id}/leadership-contacts`)."""
    form = values(await checked_form(request), *LISTS)
    body, errors = validate(ContactBody, form)
    problem = errors
    if body is not None:
        command = RecordLeadershipContact(unit_id=unit_id, **body.fields())
        try:
            references.linked_directive(command, permission, runtime(request))
            recorded = services.run(command, permission)
        except DomainError as error:
            if error.status == 404:
                raise
            problem = {getattr(error, "field", None) or "_form": error.message}
        else:
            return RedirectResponse(f"/group/meetings/contacts/{recorded.contact_id}?recorded=contact"
                                    f"&after=units:{recorded.position}", status_code=303)
    return await _meetings_page(request, read_models, permission, unit_id, PageRequest(), {}, form=form,
                                errors=problem, status_code=422)


def _contact_page(request: Request, services: Services, permission: Permission, contact_id: str, *,
                  forms: dict[str, dict[str, Any]] | None = None, errors: dict[str, dict[str, str]] | None = None,
                  status_code: int = 200) -> HTMLResponse:
    principal = permission.principal
    found = services.run(GetLeadershipContact(contact_id=contact_id), grant(principal, "units.read_meetings"))
    return page(request, "meeting.html", principal=principal, active="meetings", contact=found,
                contact_kinds=CONTACT_KINDS,
                meeting_kinds=MEETING_KINDS, post_kinds=POST_KINDS, stage_labels=STAGE_LABELS, forms=forms or {},
                errors={name: localized(request, e) for name, e in (errors or {}).items()},
                recorded=request.query_params.get("recorded"), status_code=status_code)


@router.get("/group/meetings/contacts/{contact_id}", response_class=HTMLResponse)
def contact(request: Request, contact_id: Id, services: Services,
            permission: Permission = require("units.supervise_meetings")) -> HTMLResponse:
    """One meeting attended, exchange of views or talk (`GET /api/units/leadership-contacts/{id}`)."""
    return _contact_page(request, services, permission, contact_id)


@router.post("/group/meetings/contacts/{contact_id}/observations", response_class=HTMLResponse)
async def observe(request: Request, contact_id: Id, services: Services,
                  permission: Permission = require("units.supervise_meetings")) -> Response:
    """A later observation (`POST /api/units/leadership-contacts/{id}/observations`)."""
    return await form_command(
        request, "observation", ContactObservationBody,
        lambda body: services.run(AddContactObservation(contact_id=contact_id, **body.fields()), permission),
        partial(_contact_page, request, services, permission, contact_id),
        f"/group/meetings/contacts/{contact_id}?recorded=observation")
