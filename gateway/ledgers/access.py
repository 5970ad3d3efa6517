"""Listing helper of the ledgers routes: the group filter of an export (lists are authorised in their query)."""

from __future__ import annotations

import authz


def group_filter(principal: authz.Principal) -> str | None:
    """A group member lists their own group's records; HQ and audit list every group's."""
    return principal.group_id if principal.org_kind == "group" else None
