"""How a read reaches the read-model database: no more transactions at once than the database has
connections (the others wait on the event loop), and the positions and alarms a read reflects read in one
statement that agrees with projections.common.query."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from gateway.reads import _reflected, in_transaction
from projections.common.db import Database, SqliteDatabase, Tx
from projections.common.query import lacking, positions


class Counting(Database):
    """A database whose transactions only count how many run at once (and take a little while)."""

    dialect = "sqlite"

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self.running = 0
        self.most = 0
        self.lock = threading.Lock()

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(0.02)
            yield None  # type: ignore[misc]
        finally:
            with self.lock:
                self.running -= 1


def test_no_more_reads_run_at_once_than_the_database_has_connections() -> None:
    db = Counting(max_size=3)

    async def many() -> list[int]:
        return await asyncio.gather(*(in_transaction(db, lambda _tx, n=n: n) for n in range(20)))

    with ThreadPoolExecutor(1) as own_thread:  # a loop of its own, whatever loop the test's thread may hold
        assert own_thread.submit(asyncio.run, many()).result() == list(range(20))
    assert db.most == 3


def test_the_reflected_positions_and_alarms_agree_with_the_query_helpers() -> None:
    db = SqliteDatabase(":memory:")
    with db.transaction() as tx:
        tx.execute("CREATE TABLE projection_positions (projection TEXT, service TEXT, position BIGINT)")
        tx.execute("CREATE TABLE projection_alarms (projection TEXT, source TEXT, reason TEXT)")
        tx.execute("INSERT INTO projection_positions VALUES ('a', 'ledgers', 12), ('a', 'units', 9007199254740993),"
                   " ('b', 'ledgers', 3)")
        tx.execute("INSERT INTO projection_alarms VALUES ('b', 'paizhu.ledgers.v1', 'offsets went backwards')")
    with db.transaction() as tx:
        for projection in ("a", "b", "c"):
            assert _reflected(tx, projection) == (positions(tx, projection), bool(lacking(tx, projection)))
        assert _reflected(tx, "a") == ({"ledgers": 12, "units": 9007199254740993}, False)
        assert _reflected(tx, "b") == ({"ledgers": 3}, True)
