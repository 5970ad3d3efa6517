"""The SQL read filter and `authz.can_read` agree on every principal × record (one rule, two forms)."""

from __future__ import annotations

import itertools
import sqlite3

import pytest

import authz
from authz import Principal
from authz.filters import Columns, read_filter

GROUPS = ("group-a", "group-b", None)
UNITS = ("unit-a", "unit-b", None)
DISTRIBUTIONS = ("group", "hq", "unit", "inspection:round-1", "inspection:round-2", "compartment:clue-1",
                 "compartment:clue-2")
COMPARTMENTS = {"compartment:clue-1": {"g.member"}, "compartment:clue-2": {"auditor", "hq.user"}}
ROUND_READERS = {"round-1": {"t.member"}}  # round-2 is closed (or t.member is not in it)

PRINCIPALS = (
    Principal("g.member", "", "group-a", "group", frozenset({"group_staff"}), group_id="group-a",
              supervised_unit_ids=frozenset({"unit-a"})),
    Principal("g.other", "", "group-b", "group", frozenset({"group_leader"}), group_id="group-b"),
    Principal("hq.user", "", "hq", "hq", frozenset({"hq_staff"})),
    Principal("auditor", "", "audit", "audit", frozenset({"auditor"})),
    Principal("u.liaison", "", "unit-a", "unit", frozenset({"unit_liaison"}), unit_id="unit-a"),
    Principal("t.member", "", "team-3", "inspection_team", frozenset({"team_member"})),
    Principal("t.other", "", "team-4", "inspection_team", frozenset({"team_leader"})),
    Principal("stranger", "", "x", "other", frozenset()),
)


@pytest.fixture()
def rows() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE r (id INTEGER PRIMARY KEY, group_id TEXT, unit_id TEXT, distribution TEXT)")
    db.execute("CREATE TABLE cm (compartment TEXT, user_id TEXT)")
    db.execute("CREATE TABLE rr (round_id TEXT, user_id TEXT)")
    for n, (g, u, d) in enumerate(itertools.product(GROUPS, UNITS, DISTRIBUTIONS)):
        db.execute("INSERT INTO r VALUES (?, ?, ?, ?)", (n, g, u, d))
    db.executemany("INSERT INTO cm VALUES (?, ?)", [(c, u) for c, us in COMPARTMENTS.items() for u in us])
    db.executemany("INSERT INTO rr VALUES (?, ?)", [(r, u) for r, us in ROUND_READERS.items() for u in us])
    return db


def expected(principal: Principal, group: str | None, unit: str | None, distribution: str) -> bool:
    round_id = distribution.removeprefix("inspection:") if distribution.startswith("inspection:") else None
    members = ROUND_READERS.get(round_id or "", set())
    return authz.can_read(
        principal, group_id=group, unit_id=unit, distribution=distribution,
        round_members=members, round_open=bool(members),
        compartment=COMPARTMENTS.get(distribution),
    )


@pytest.mark.parametrize("principal", PRINCIPALS, ids=lambda p: p.user_id)
def test_the_sql_filter_selects_exactly_what_can_read_allows(rows: sqlite3.Connection, principal: Principal) -> None:
    clause = read_filter(principal, Columns(compartments="cm", round_readers="rr"))
    chosen = {row[0] for row in rows.execute(f"SELECT id FROM r WHERE {clause.sql.replace('%s', '?')}",
                                              clause.params)}
    allowed = {row[0] for row in rows.execute("SELECT id, group_id, unit_id, distribution FROM r")
               if expected(principal, row[1], row[2], row[3])}
    assert chosen == allowed
    assert chosen or principal.user_id == "stranger" or principal.org_kind == "inspection_team"


def test_without_membership_tables_nobody_reads_compartments_or_rounds(rows: sqlite3.Connection) -> None:
    for principal in PRINCIPALS:
        clause = read_filter(principal)
        seen = [row[0] for row in rows.execute(f"SELECT distribution FROM r WHERE {clause.sql.replace('%s', '?')}",
                                                clause.params)]
        assert not [d for d in seen if d.startswith("compartment:")]
        if principal.org_kind == "inspection_team":
            assert seen == []


def test_an_alias_qualifies_every_column(rows: sqlite3.Connection) -> None:
    hq = PRINCIPALS[2]
    clause = read_filter(hq, Columns(alias="x", compartments="cm"))
    count = rows.execute(f"SELECT COUNT(*) FROM r x WHERE {clause.sql.replace('%s', '?')}", clause.params).fetchone()
    assert count[0] == sum(1 for g, u, d in itertools.product(GROUPS, UNITS, DISTRIBUTIONS)
                           if expected(hq, g, u, d))


@pytest.mark.parametrize("principal", PRINCIPALS, ids=lambda p: p.user_id)
def test_without_membership_tables_the_filter_still_selects_what_can_read_allows(
        rows: sqlite3.Connection, principal: Principal) -> None:
    clause = read_filter(principal)
    chosen = {row[0] for row in rows.execute(f"SELECT id FROM r WHERE {clause.sql.replace('%s', '?')}",
                                              clause.params)}
    allowed = {row[0] for row in rows.execute("SELECT id, group_id, unit_id, distribution FROM r")
               if authz.can_read(principal, group_id=row[1], unit_id=row[2], distribution=row[3],
                                 round_members=set(), round_open=False,
                                 compartment=set() if row[3].startswith("compartment:") else None)}
    assert chosen == allowed


def test_a_group_filter_reaches_the_group_index_of_every_branch_of_a_union(rows: sqlite3.Connection) -> None:
    """Issue #12: written as `(compartment AND 1 = 0) OR (...)`, the filter kept SQLite from pushing
    `group_id = ?` into a UNION's branches: a group's workbench queues scanned the items of every group."""
    rows.execute("CREATE TABLE s (id INTEGER PRIMARY KEY, group_id TEXT, unit_id TEXT, distribution TEXT)")
    rows.execute("CREATE INDEX r_group ON r (group_id)")
    rows.execute("CREATE INDEX s_group ON s (group_id)")
    clause = read_filter(PRINCIPALS[0])
    plan = [row[3] for row in rows.execute(
        "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM (SELECT id, group_id, unit_id, distribution FROM r UNION ALL"
        f" SELECT id, group_id, unit_id, distribution FROM s) q WHERE {clause.sql.replace('%s', '?')}",
        clause.params)]
    assert any("USING INDEX r_group" in step for step in plan), plan
    assert any("USING INDEX s_group" in step for step in plan), plan
