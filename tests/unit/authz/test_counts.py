"""Figures count exactly what the reader may read, except HQ and the auditor, who count every record (numbers
only); a unit or an inspection team counts nothing, whatever it may read."""

from __future__ import annotations

import sqlite3

import pytest

from authz import Principal
from authz.counts import count_filter
from authz.filters import Columns
from tests.unit.authz.test_filters import PRINCIPALS, expected, rows  # noqa: F401 (the fixture)


def selected(db: sqlite3.Connection, principal: Principal) -> set[int]:
    clause = count_filter(principal, Columns(compartments="cm", round_readers="rr"))
    return {row[0] for row in db.execute(f"SELECT id FROM r WHERE {clause.sql.replace('%s', '?')}", clause.params)}


@pytest.mark.parametrize("principal", PRINCIPALS, ids=lambda p: p.user_id)
def test_the_count_filter(rows: sqlite3.Connection, principal: Principal) -> None:  # noqa: F811
    every = {row[0] for row in rows.execute("SELECT id FROM r")}
    readable = {row[0] for row in rows.execute("SELECT id, group_id, unit_id, distribution FROM r")
                if expected(principal, row[1], row[2], row[3])}
    chosen = selected(rows, principal)
    if principal.org_kind in ("hq", "audit"):
        assert chosen == every
    elif principal.org_kind == "group":
        assert chosen == readable and chosen != every
    else:
        assert chosen == set()
