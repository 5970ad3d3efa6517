"""Paging over a union of sources one page at a time (`fetch_union_page`): the same rows and cursors as
`fetch_page` over the whole `UNION ALL`, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from authz.filters import Clause
from bench.support import pg_dsn
from projections.common.db import Database, SqliteDatabase, Tx, connect
from projections.common.query import Page, PageRequest, Sort, fetch_page, fetch_union_page

COLUMNS = ("id", "group_id", "day", "shown_from")
SOURCES = (
    "(SELECT id, group_id, day, '' AS shown_from FROM a) s",
    "(SELECT 'b:' || id AS id, group_id, due AS day, due AS shown_from FROM b WHERE due IS NOT NULL) s",
)
SORTS = [Sort("day", "day", "id"), Sort("-day", "day", "id", descending=True)]


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    database = (SqliteDatabase(":memory:") if request.param == "sqlite"
                else connect(pg_dsn(request.getfixturevalue("pg_database")), 2))
    with database.transaction() as tx:
        tx.execute("DROP TABLE IF EXISTS a")
        tx.execute("DROP TABLE IF EXISTS b")
        tx.execute("CREATE TABLE a (id TEXT PRIMARY KEY, group_id TEXT NOT NULL, day TEXT NOT NULL)")
        tx.execute("CREATE TABLE b (id TEXT PRIMARY KEY, group_id TEXT NOT NULL, due TEXT)")
        tx.execute("CREATE INDEX a_day ON a (day, id)")
        for n in range(37):
            tx.execute("INSERT INTO a VALUES (%s, %s, %s)", (f"a{n:02}", f"g{n % 3}", f"2026-01-{n % 9 + 1:02}"))
        for n in range(29):  # days shared with a's rows: ties broken by the key across sources
            tx.execute("INSERT INTO b VALUES (%s, %s, %s)",
                       (f"{n:02}", f"g{n % 2}", None if n % 5 == 0 else f"2026-01-{n % 11 + 1:02}"))
    yield database
    database.close()


def walk(db: Database, read: Callable[[Tx, PageRequest], Page], limit: int) -> list[tuple[list[dict[str, object]], str | None]]:
    found: list[tuple[list[dict[str, object]], str | None]] = []
    cursor = None
    while True:
        with db.transaction() as tx:
            page = read(tx, PageRequest(limit, cursor))
        found.append((page.rows, page.next_cursor))
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


@pytest.mark.parametrize("sort", SORTS, ids=["ascending", "descending"])
@pytest.mark.parametrize("limit", [1, 4, 50])
def test_a_union_paged_source_by_source_is_the_union_paged_whole(db: Database, sort: Sort, limit: int) -> None:
    clauses = [Clause("group_id <> %s", ("g2",)), Clause("shown_from <= %s", ("2026-01-09",))]
    whole = ("(" + " UNION ALL ".join(f"SELECT {', '.join(COLUMNS)} FROM {s}" for s in SOURCES) + ") s")
    expected = walk(db, lambda tx, page: fetch_page(tx, f"SELECT {', '.join(COLUMNS)} FROM {whole}", COLUMNS,
                                                    clauses, sort, page), limit)
    found = walk(db, lambda tx, page: fetch_union_page(tx, [f"SELECT {', '.join(COLUMNS)} FROM {s}" for s in SOURCES],
                                                       COLUMNS, clauses, sort, page), limit)
    assert found == expected
    rows = [row for page, _ in found for row in page]
    assert len(rows) == len({row["id"] for row in rows}) > 40  # every row once, from both sources
    assert {str(row["id"])[:2] == "b:" for row in rows} == {True, False}
