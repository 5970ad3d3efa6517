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


def unit_names(request: Request, unit_ids: Iterable[str]) -> dict[str, str]:
    """Unit id → its registered name (the id itself for one the membership read model does not know)."""
    source = membership(request)
    found: dict[str, str] = {}
    for unit_id in dict.fromkeys(unit_ids):
        org = source.organisation(unit_id)
        found[unit_id] = org.name if org is not None else unit_id
    return found


def user_names(request: Request, user_ids: Iterable[str]) -> dict[str, str]:
    """User id → the member's name (the id itself for one no longer a member)."""
    ids = list(dict.fromkeys(user_ids))
    known = membership(request).people(ids)
    return {user_id: known[user_id][0].name if user_id in known else user_id for user_id in ids}


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
