"""Seed data of the built-in accounts: the demo organisations and their members, recorded through the units
service's membership commands (the membership read model is built from these events, like any other)."""

from __future__ import annotations

from typing import Any

from gateway.accounts import ACCOUNTS, ORGS
from services.units.membership import Organisation


def record_builtin_membership(units: Any) -> int:
    """Record the built-in organisations and members that the history has never held; return how many.

    Resumable: an interrupted seeding records the rest at the next start."""
    recorded = 0
    ordered = sorted(ORGS.values(), key=lambda o: (o.kind == "unit", o.org_id))  # groups before their units
    for org in ordered:
        if Organisation.create_id(org.org_id) in units.repository:
            continue
        supervisor = next((g.org_id for g in ORGS.values() if org.org_id in g.supervises), None)
        units.register_organisation(org_id=org.org_id, org_kind=org.kind, name=org.name, name_en=org.name_en,
                                    supervised_by=supervisor if org.kind == "unit" else None)
        recorded += 1
    for account in ACCOUNTS.values():
        organisation = units.repository.get(Organisation.create_id(account.org_id))
        if account.user_id in organisation.members or account.user_id in organisation.former:
            continue  # recorded already (resumed seeding), or removed since: seed data never overrides the history
        units.add_organisation_member(org_id=account.org_id, user_id=account.user_id, name=account.name,
                                      roles=list(account.roles))
        recorded += 1
    return recorded


def seed(demo: Any) -> None:
    with demo.acting("chen.hq"):
        record_builtin_membership(demo.app("units"))
