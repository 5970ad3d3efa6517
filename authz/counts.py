"""Which records a principal's figures may count, as a SQL `WHERE` clause (numbers only, never rows).

`can_read` says who reads a record; figures need one rule more: HQ and the auditor count every group's
clues (the commission's statistics) although they read none of them. Everyone else counts exactly what
they may read, so no count ever includes a record the reader could not open: a group member counts the
clues whose compartment includes them, a unit or an inspection team nothing.
"""

from __future__ import annotations

from authz import Principal
from authz.filters import EVERYTHING, NOTHING, Clause, Columns, read_filter

COUNTING_KINDS = frozenset({"hq", "audit"})
"""Organisation kinds that count records they may not read (numbers only, no ids, no titles)."""


def count_filter(principal: Principal, columns: Columns | None = None) -> Clause:
    """Rows of a read model this principal's figures may include."""
    if principal.org_kind in COUNTING_KINDS:
        return EVERYTHING
    if principal.org_kind == "group":
        return read_filter(principal, columns)
    return NOTHING
