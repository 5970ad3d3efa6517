"""Permissions as route dependencies: one declaration per route, decided by the one authoriser.

`require("ledgers.record_stage")` refuses at once a principal who holds no role for the action (403)
and hands the route a `Permission`. The route passes it with the operation to the service, which checks
every record it loads or creates for that call against the same rule (`authz.authorize`): the record's
scope is decided where the record is, with the command, not by a second round trip first.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request

import authz
from authz import Permission
from gateway.deps import CurrentPrincipal
from services.common.errors import ForbiddenError, NotFoundError


def require(action: str, *, listing: bool = False) -> Any:
    """A dependency: the principal must hold a role of `action`'s rule.

    On a route addressing an existing record (it has path parameters), whoever holds no role to read
    such records gets the 404 a missing record gets; whoever may read but not act gets 403.

    With `listing`, the records the service reads are not checked one by one (the route shows only the
    rows `authz.can_read` allows); otherwise each record the call touches is.
    """

    async def permission(request: Request, principal: CurrentPrincipal) -> Permission:
        # no I/O: run on the event loop (a plain function would take a worker thread per request)
        return grant(principal, action, addresses_record=bool(request.path_params), listing=listing)

    permission.__name__ = f"require_{action.replace('.', '_')}"
    return Depends(permission)


def grant(principal: authz.Principal, action: str, *, addresses_record: bool = True,
          listing: bool = False) -> Permission:
    """What `require(action)` hands a route: refused at once (404 or 403) to whoever holds no role for it.

    A page that reads a second record kind for the same user (a clue's read log beside the clue) asks here."""
    found = authz.rule_of(action)
    guard = authz.rule_of(found.reads) if found is not None and found.reads else found
    if addresses_record and not listing and (guard is None or not principal.has_any(guard.roles)):
        raise NotFoundError("记录不存在 (not found)")  # whoever may not read the record may not know it
    if found is None or not principal.has_any(found.roles):
        raise ForbiddenError(f"无权执行此操作 (not allowed: {action})", code="forbidden")
    return Permission(principal, None if listing else action)
