"""The read rule as a SQL `WHERE` clause: a list is authorised inside its query, never after loading it.

`read_filter(principal)` states exactly `authz.can_read` over a read model's columns, so every row a query
returns is one the principal may read and no count or total includes one they may not. Both dialects
(SQLite, PostgreSQL) understand it. `tests/unit/authz/test_filters.py` proves the two agree over every
kind of principal and record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from authz import Principal

COMPARTMENT_PREFIX = "compartment:"
INSPECTION_PREFIX = "inspection:"


@dataclass(frozen=True)
class Clause:
    """A boolean SQL expression with `%s` placeholders and their values, in order."""

    sql: str
    params: tuple[Any, ...] = ()

    def __and__(self, other: Clause) -> Clause:
        return Clause(f"({self.sql}) AND ({other.sql})", self.params + other.params)


NOTHING = Clause("1 = 0")
EVERYTHING = Clause("1 = 1")


@dataclass(frozen=True)
class Columns:
    """Where a read model keeps what the authoriser needs, and the tables that say who is in a compartment
    or an open inspection round.

    `compartments` names a table `(compartment TEXT, user_id TEXT)` whose `compartment` is the full
    distribution (`compartment:<id>`); `round_readers` a table `(round_id TEXT, user_id TEXT)` of the members
    of the rounds that are open. Without them nobody reads such rows in that read model.
    """

    group: str = "group_id"
    unit: str = "unit_id"
    distribution: str = "distribution"
    compartments: str | None = None
    round_readers: str | None = None
    alias: str = field(default="")

    def col(self, name: str) -> str:
        return f"{self.alias}.{name}" if self.alias else name


def read_filter(principal: Principal, columns: Columns | None = None) -> Clause:
    """Rows of a read model this principal may read (`authz.can_read`, as SQL)."""
    c = columns or Columns()
    distribution = c.col(c.distribution)
    prefix = len(COMPARTMENT_PREFIX)
    compartment_row = f"substr({distribution}, 1, {prefix}) = '{COMPARTMENT_PREFIX}'"
    open_rows = _by_kind(principal, c)
    if c.compartments is None:
        # nobody reads a compartment's rows here: the same rows as `(compartment AND 1 = 0) OR (NOT compartment
        # AND open)`, written without the OR, so the database can push `open` (e.g. `group_id = %s`) into each
        # branch of a UNION and use the tables' group and unit indexes (issue #12: a group's workbench queues
        # scanned every group's items)
        return Clause(f"(NOT {compartment_row} AND ({open_rows.sql}))", open_rows.params)
    in_compartment = Clause(
        f"EXISTS (SELECT 1 FROM {c.compartments} cm WHERE cm.compartment = {distribution}"
        " AND cm.user_id = %s)",
        (principal.user_id,),
    )
    return Clause(
        f"({compartment_row} AND {in_compartment.sql}) OR (NOT {compartment_row} AND ({open_rows.sql}))",
        in_compartment.params + open_rows.params,
    )


def _by_kind(principal: Principal, c: Columns) -> Clause:
    kind = principal.org_kind
    distribution = c.col(c.distribution)
    if kind == "group":
        if principal.group_id is None:
            return NOTHING
        return Clause(f"{c.col(c.group)} = %s", (principal.group_id,))
    if kind in ("hq", "audit"):
        return Clause(f"{distribution} <> 'group'")
    if kind == "unit":
        if principal.unit_id is None:
            return NOTHING
        return Clause(f"{distribution} = 'unit' AND {c.col(c.unit)} = %s", (principal.unit_id,))
    if kind == "inspection_team" and c.round_readers is not None:
        prefix = len(INSPECTION_PREFIX)
        return Clause(
            f"substr({distribution}, 1, {prefix}) = '{INSPECTION_PREFIX}' AND EXISTS (SELECT 1 FROM "
            f"{c.round_readers} rr WHERE rr.round_id = substr({distribution}, {prefix + 1}) AND rr.user_id = %s)",
            (principal.user_id,),
        )
    return NOTHING
