"""Read guards shared by the ledgers routes: a directive as the principal may see it, the scope of a listing."""

from __future__ import annotations

from typing import Any

import authz
from gateway.deps import Services


def readable_directive(services: Services, principal: authz.Principal, directive_id: str) -> dict[str, Any]:
    """Load a directive and check the principal may see it (404 otherwise)."""
    directive: dict[str, Any] = services.query("ledgers", "get_directive", principal, directive_id=directive_id)
    authz.require(principal, "ledgers.read_directive", hide=True, group_id=directive["group_id"],
                  unit_id=directive["unit_id"])
    authz.require_read(principal, group_id=directive["group_id"], unit_id=directive["unit_id"],
                       distribution="hq")
    return directive


def group_filter(principal: authz.Principal) -> dict[str, Any]:
    """A group member lists their own group's records; HQ and audit list every group's."""
    return {"group_id": principal.group_id} if principal.org_kind == "group" else {}


def own_scope(principal: authz.Principal) -> dict[str, Any]:
    """The scope of a listing: the principal's own group or unit (HQ and audit: everywhere)."""
    return {"group_id": principal.group_id, "unit_id": principal.unit_id}
