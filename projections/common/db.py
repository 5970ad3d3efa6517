"""Read-model databases: SQLite (embedded) or PostgreSQL (distributed) behind one small interface.

SQL is written once with `%s` placeholders; the SQLite adapter rewrites them to `?`.
"""

from __future__ import annotations

import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class Tx(ABC):
    """One open transaction."""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    @abstractmethod
    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        rows = self.fetchall(sql, params)
        return rows[0] if rows else None


class Database(ABC):
    dialect: str

    @abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[Tx]: ...

    def close(self) -> None:
        return None

    def upsert(self, table: str, keys: Sequence[str], columns: Sequence[str]) -> str:
        """An INSERT ... ON CONFLICT DO UPDATE statement (same syntax in both dialects)."""
        all_columns = list(keys) + list(columns)
        placeholders = ", ".join(["%s"] * len(all_columns))
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns) or None
        action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
        return (
            f"INSERT INTO {table} ({', '.join(all_columns)}) VALUES ({placeholders}) "
            f"ON CONFLICT ({', '.join(keys)}) {action}"
        )


class _SqliteTx(Tx):
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.connection.execute(sql.replace("%s", "?"), tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.connection.executemany(sql.replace("%s", "?"), [tuple(r) for r in rows])

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.connection.execute(sql.replace("%s", "?"), tuple(params)).fetchall())


class SqliteDatabase(Database):
    dialect = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        if self.path != ":memory:":
            self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._lock = threading.RLock()

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteTx(self._connection)
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def close(self) -> None:
        self._connection.close()


class _PostgresTx(Tx):
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.connection.execute(sql, tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(sql, [tuple(r) for r in rows])

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.connection.execute(sql, tuple(params)).fetchall())


class PostgresDatabase(Database):
    dialect = "postgres"

    def __init__(self, dsn: str, max_size: int = 4) -> None:
        from psycopg_pool import ConnectionPool

        self.pool = ConnectionPool(dsn, min_size=1, max_size=max_size, open=True)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self.pool.connection() as connection:
            with connection.transaction():
                yield _PostgresTx(connection)

    def close(self) -> None:
        self.pool.close()


def connect(url: str) -> Database:
    """`sqlite:///abs/path.db` (path after `sqlite://`), `sqlite://:memory:`, or a `postgresql://` DSN."""
    if url.startswith("sqlite://"):
        path = url.removeprefix("sqlite://")
        return SqliteDatabase(":memory:" if path in ("", ":memory:", "/:memory:") else path)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(url)
    raise ValueError(f"unsupported read-model database url: {url}")
