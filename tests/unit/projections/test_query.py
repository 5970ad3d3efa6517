"""Keyset paging over a read model: every row once, in order, authorised in the query, tamper-proof cursors."""

from __future__ import annotations

import pytest

from authz.filters import Clause
from projections.common.db import SqliteDatabase
from projections.common.query import InvalidCursorError, PageRequest, Sort, encode_cursor, fetch_page

BY_DAY = Sort("received_on", "received_on", "id")
NEWEST = Sort("-received_on", "received_on", "id", descending=True)


@pytest.fixture()
def db() -> SqliteDatabase:
    database = SqliteDatabase(":memory:")
    with database.transaction() as tx:
        tx.execute("CREATE TABLE d (id TEXT PRIMARY KEY, group_id TEXT, received_on TEXT)")
        for n in range(23):
            tx.execute("INSERT INTO d VALUES (%s, %s, %s)", (f"d{n:02}", f"g{n % 2}", f"2026-01-{n % 7 + 1:02}"))
    return database


def pages(db: SqliteDatabase, sort: Sort, clauses: list[Clause], limit: int) -> list[list[str]]:
    found, cursor = [], None
    while True:
        with db.transaction() as tx:
            page = fetch_page(tx, "SELECT id, received_on FROM d", ("id", "received_on"), clauses, sort,
                              PageRequest(limit, cursor))
        found.append([row["id"] for row in page.rows])
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


@pytest.mark.parametrize("sort", [BY_DAY, NEWEST], ids=["ascending", "descending"])
def test_paging_visits_every_row_once_in_order(db: SqliteDatabase, sort: Sort) -> None:
    visited = pages(db, sort, [], limit=5)
    flat = [row for page in visited for row in page]
    assert [len(p) for p in visited] == [5, 5, 5, 5, 3]
    with db.transaction() as tx:
        order = "DESC" if sort.descending else "ASC"
        expected = [r[0] for r in tx.fetchall(f"SELECT id FROM d ORDER BY received_on {order}, id {order}")]
    assert flat == expected


def test_the_filter_is_part_of_the_query(db: SqliteDatabase) -> None:
    visited = pages(db, BY_DAY, [Clause("group_id = %s", ("g1",))], limit=4)
    flat = [row for page in visited for row in page]
    assert len(flat) == 11 and all(int(r[1:]) % 2 == 1 for r in flat)


def test_a_cursor_of_another_sort_or_garbage_is_refused(db: SqliteDatabase) -> None:
    with db.transaction() as tx:
        for cursor in (encode_cursor(NEWEST, "2026-01-01", "d00"), "bm90LWpzb24", "%%%"):
            with pytest.raises(InvalidCursorError):
                fetch_page(tx, "SELECT id FROM d", ("id",), [], BY_DAY, PageRequest(5, cursor))
