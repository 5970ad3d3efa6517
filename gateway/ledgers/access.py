"""Listing helpers of the ledgers routes: the group filter of a listing and the rows a principal may read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

import authz


class Distributed(Protocol):
    @property
    def group_id(self) -> str: ...

    @property
    def unit_id(self) -> str | None: ...

    @property
    def distribution(self) -> str: ...


Row = TypeVar("Row", bound=Distributed)


def group_filter(principal: authz.Principal) -> str | None:
    """A group member lists their own group's records; HQ and audit list every group's."""
    return principal.group_id if principal.org_kind == "group" else None


def readable(principal: authz.Principal, rows: Sequence[Row]) -> list[Row]:
    """The rows of a listing this principal may read (read models replace these lists in a later issue)."""
    return [r for r in rows
            if authz.can_read(principal, group_id=r.group_id, unit_id=r.unit_id, distribution=r.distribution)]
