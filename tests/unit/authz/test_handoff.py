"""The inspection-handoff rules and their SQL forms agree on every principal × round × item."""

from __future__ import annotations

import itertools
import sqlite3

import pytest

from authz import Principal
from authz.filters import Clause
from authz.handoff import package_filter, rectification_filter, team_follows_rectification, team_reads_package

MEMBERS = {"r-recorded": {"t.member"}, "r-open": {"t.member", "t.other"}, "r-closed": {"t.member"}}
STATUSES = {"r-recorded": "recorded", "r-open": "open", "r-closed": "closed"}

PRINCIPALS = (
    Principal("t.member", "", "team-3", "inspection_team", frozenset({"team_member"})),
    Principal("t.other", "", "team-3", "inspection_team", frozenset({"team_leader"})),
    Principal("t.outsider", "", "team-4", "inspection_team", frozenset({"team_leader"})),
    Principal("t.member", "", "team-3", "inspection_team", frozenset()),  # no team role any more
    Principal("g.member", "", "group-a", "group", frozenset({"group_staff"}), group_id="group-a"),
    Principal("hq.user", "", "hq", "hq", frozenset({"hq_staff"})),
    Principal("u.liaison", "", "unit-a", "unit", frozenset({"unit_liaison"}), unit_id="unit-a"),
)


@pytest.fixture()
def db() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE rounds (round_id TEXT, status TEXT)")
    db.execute("CREATE TABLE members (round_id TEXT, user_id TEXT)")
    db.execute("CREATE TABLE items (item_id INTEGER PRIMARY KEY, round_id TEXT, completed INTEGER)")
    db.executemany("INSERT INTO rounds VALUES (?, ?)", STATUSES.items())
    db.executemany("INSERT INTO members VALUES (?, ?)", [(r, u) for r, us in MEMBERS.items() for u in us])
    for n, (round_id, completed) in enumerate(itertools.product(STATUSES, (0, 1))):
        db.execute("INSERT INTO items VALUES (?, ?, ?)", (n, round_id, completed))
    return db


def chosen(db: sqlite3.Connection, sql: str, clause: Clause) -> set[object]:
    return {row[0] for row in db.execute(sql + clause.sql.replace("%s", "?"), clause.params)}


@pytest.mark.parametrize("principal", PRINCIPALS, ids=lambda p: f"{p.user_id}-{sorted(p.roles)}")
def test_the_package_rule_and_its_sql_agree(db: sqlite3.Connection, principal: Principal) -> None:
    expected = {r for r in STATUSES if team_reads_package(principal, round_members=MEMBERS[r],
                                                          round_closed=STATUSES[r] == "closed")}
    assert chosen(db, "SELECT round_id FROM rounds r WHERE ", package_filter(principal, "r", "members")) == expected


@pytest.mark.parametrize("principal", PRINCIPALS, ids=lambda p: f"{p.user_id}-{sorted(p.roles)}")
def test_the_rectification_rule_and_its_sql_agree(db: sqlite3.Connection, principal: Principal) -> None:
    items = db.execute("SELECT item_id, round_id, completed FROM items").fetchall()
    expected = {i for i, r, completed in items if team_follows_rectification(
        principal, round_members=MEMBERS[r], round_closed=STATUSES[r] == "closed", item_completed=bool(completed))}
    clause = rectification_filter(principal, "i", "rounds", "members")
    assert chosen(db, "SELECT item_id FROM items i WHERE ", clause) == expected


def test_what_the_rules_allow_stated_plainly() -> None:
    member = PRINCIPALS[0]
    # the package before the round opens and while it is open, not after it closed
    assert team_reads_package(member, round_members={"t.member"}, round_closed=False)
    assert not team_reads_package(member, round_members={"t.member"}, round_closed=True)
    # rectification only after the round closed, only of its own round, only until the item is closed
    assert team_follows_rectification(member, round_members={"t.member"}, round_closed=True, item_completed=False)
    assert not team_follows_rectification(member, round_members={"t.member"}, round_closed=False,
                                          item_completed=False)
    assert not team_follows_rectification(member, round_members={"t.member"}, round_closed=True,
                                          item_completed=True)
    assert not team_follows_rectification(PRINCIPALS[2], round_members={"t.member"}, round_closed=True,
                                          item_completed=False)
    # nobody but a team member gains anything from these rules
    for other in PRINCIPALS[3:]:
        assert not team_reads_package(other, round_members={other.user_id}, round_closed=False)
        assert not team_follows_rectification(other, round_members={other.user_id}, round_closed=True,
                                              item_completed=False)
