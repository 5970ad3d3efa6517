"""A read-model pool checks a connection before handing it out once it has been idle (a stale one, its server
side gone, is replaced instead of failing the caller), and not one that finished a transaction just now (a busy
gateway's reads would pay a round trip each for nothing)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from bench.support import pg_dsn
from projections.common import db as db_module
from projections.common.db import PostgresDatabase

pytestmark = pytest.mark.integration


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    checked: list[Any] = []
    original = ConnectionPool.check_connection

    def counting(connection: Any) -> None:
        checked.append(connection)
        original(connection)

    monkeypatch.setattr(ConnectionPool, "check_connection", staticmethod(counting))
    yield checked


def backend_pid(database: PostgresDatabase) -> int:
    with database.transaction() as tx:
        row = tx.fetchone("SELECT pg_backend_pid()")
    assert row is not None
    return int(row[0])


def test_a_connection_used_just_now_is_not_checked_again(pg_database: str, checks: list[Any]) -> None:
    database = PostgresDatabase(pg_dsn(pg_database), max_size=1)
    try:
        first = backend_pid(database)  # a fresh connection: checked once
        for _ in range(20):
            assert backend_pid(database) == first
        assert len(checks) <= 1
    finally:
        database.close()


def test_an_idle_connection_is_checked_and_a_stale_one_replaced(pg_database: str, checks: list[Any],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db_module, "CHECK_IDLE_SECONDS", 0.05)
    database = PostgresDatabase(pg_dsn(pg_database), max_size=1)
    try:
        stale = backend_pid(database)
        with psycopg.connect(pg_dsn(pg_database), autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", (stale,))  # its server side is gone
        time.sleep(0.1)
        before = len(checks)
        replaced = backend_pid(database)  # checked, found broken, replaced: the caller never sees the failure
        assert replaced != stale
        assert len(checks) > before
    finally:
        database.close()
