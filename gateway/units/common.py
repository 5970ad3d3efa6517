"""The units router object and the helpers its routes share (load the record, then ask gateway.authz)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

import authz
from gateway.deps import Services

router = APIRouter(prefix="/api/units", tags=["units"])

Result = dict[str, Any]


# -- helpers: load, then ask the authorisation module ---------------------------------------------
def unit_facts(services: Services, principal: authz.Principal, unit_id: str) -> Result:
    roster: Result = services.query("units", "get_unit", principal, unit_id=unit_id)
    return {"group_id": roster["group_id"], "unit_id": roster["unit_id"]}


def require_on_unit(services: Services, principal: authz.Principal, action: str, unit_id: str) -> Result:
    facts = unit_facts(services, principal, unit_id)
    authz.require(principal, action, **facts)
    return facts


def require_unit_read(services: Services, principal: authz.Principal, unit_id: str, distribution: str) -> Result:
    authz.require(principal, "units.read", hide=True)
    facts = unit_facts(services, principal, unit_id)
    authz.require_read(principal, distribution=distribution, **facts)
    return facts


def readable(services: Services, principal: authz.Principal, query: str, **kwargs: Any) -> Result:
    """Load a record and check the principal may see it (404 otherwise, as if it did not exist)."""
    authz.require(principal, "units.read", hide=True)
    record: Result = services.query("units", query, principal, **kwargs)
    authz.require_read(principal, group_id=record["group_id"], unit_id=record["unit_id"],
                       distribution=record["distribution"])
    return record


def on_record(services: Services, principal: authz.Principal, action: str, query: str, **kwargs: Any) -> Result:
    record = readable(services, principal, query, **kwargs)
    authz.require(principal, action, group_id=record["group_id"], unit_id=record["unit_id"])
    return record


def call(services: Services, principal: authz.Principal, command: str, **kwargs: Any) -> Result:
    result: Result = services.call("units", command, principal, **kwargs)
    return result


