"""Names instead of raw ids on the workbench pages, from the read models the pages already read (no replay):
units from the membership read model, group members by user id, roster persons from the people read model."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import Request

import authz
from gateway.deps import ReadModels, membership
from gateway.people import router as people_api
from gateway.permissions import grant
from gateway.web.paging import every_page
from services.common.errors import DomainError

MAX_PERSONS = 1000
"""At most this many roster persons of one unit are offered in a form (a unit's roster is far smaller)."""


def org_name(request: Request, org_id: str | None) -> str:
    """One organisation's name (a unit's, a group's), for a template: `org(unit_id)`; the id for one unknown.
    Each organisation is looked up once per request (a list names the same unit on every row)."""
    if not org_id:
        return ""
    known: dict[str, str] = _per_request(request, "org_names")
    if org_id not in known:
        org = membership(request).organisation(org_id)
        known[org_id] = org.name if org is not None else org_id
    return known[org_id]


def user_name(request: Request, user_id: str | None) -> str:
    """One user's name, for a template: `who(user_id)`; the id for one unknown."""
    return user_names(request, [user_id]).get(user_id, user_id) if user_id else ""


def _per_request(request: Request, name: str) -> dict[str, str]:
    found = getattr(request.state, name, None)
    if found is None:
        found = {}
        setattr(request.state, name, found)
    return found


def user_names(request: Request, user_ids: Iterable[str]) -> dict[str, str]:
    """User id → the member's name (the id itself for one no longer a member), each looked up once per request."""
    known: dict[str, str] = _per_request(request, "user_names")
    ids = list(dict.fromkeys(user_ids))
    missing = [u for u in ids if u not in known]
    if missing:
        found = membership(request).people(missing)
        known.update({u: found[u][0].name if u in found else u for u in missing})
    return {user_id: known[user_id] for user_id in ids}


async def roster(read_models: ReadModels, principal: authz.Principal, unit_id: str | None) -> dict[str, str]:
    """Person id → name of the roster persons of `unit_id` (every unit the user may read when None), from the
    people read model as `GET /api/people` answers; nothing for a user who may not read people."""
    try:
        permission = grant(principal, "people.read", listing=True)
    except DomainError:
        return {}
    found = await every_page(people_api.people, enough=MAX_PERSONS, read_models=read_models, name=None,
                             unit_id=unit_id, key_person=None, permission=permission)
    return {p.person_id: p.name for p in found}
