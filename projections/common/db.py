"""Read-model databases: SQLite (embedded) or PostgreSQL (distributed) behind one small interface.

SQL is written once with `%s` placeholders; the SQLite adapter rewrites them to `?`.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import weakref
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PG_CONNECTION_TIMEOUTS: dict[str, Any] = {
    "connect_timeout": 5,  # seconds to establish a connection
    "keepalives": 1,  # probe an idle connection: a dead peer is noticed in 5 + 3 × 2 s
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
    "tcp_user_timeout": 15000,  # ms unacknowledged data may stay in flight: a query sent into a cut fails
}
"""libpq parameters that bound every connection attempt and call (the services' stores get them too)."""

DEFAULT_POOL_SIZE = 8
"""Connections of a read-model pool unless the setting `read_model_pool_size` says otherwise."""

POOL_TIMEOUT = 15.0
"""Seconds a caller waits for a pooled connection before its call fails (and its loop retries it)."""

CHECK_IDLE_SECONDS = 1.0
"""A pooled connection idle at least this long is checked (one round trip) before it is handed out; one that
served a transaction more recently is not (a busy gateway's reads would pay a round trip each for nothing)."""


class Tx(ABC):
    """One open transaction."""

    dialect: str
    """the SQL its database speaks (`Database.dialect`), for the few expressions that differ (`days_after`)"""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    @abstractmethod
    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        rows = self.fetchall(sql, params)
        return rows[0] if rows else None


def days_after(tx: Tx, day: str) -> str:
    """SQL: the ISO day (text) a number of days (one parameter, after those of `day`) after the ISO day that
    the SQL expression `day` gives; NULL for NULL."""
    if tx.dialect == "sqlite":
        return f"date({day}, '+' || %s || ' days')"
    return f"to_char(CAST({day} AS date) + CAST(%s AS integer), 'YYYY-MM-DD')"


class Database(ABC):
    dialect: str
    max_size: int = 1
    """transactions it runs at once (a pool's connections; one for SQLite, whose writes are serialised)"""

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


class _BufferedTx(Tx):
    """Consecutive executions of the same statement are sent as one `executemany` (in order):
    a batch of events touching one table costs one round of the driver, not one per event."""

    def __init__(self) -> None:
        self._sql: str | None = None
        self._rows: list[tuple[Any, ...]] = []

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        if sql != self._sql:
            self.flush()
            self._sql = sql
        self._rows.append(tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        for row in rows:
            self.execute(sql, row)

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self.flush()
        return self._fetchall(sql, tuple(params))

    def flush(self) -> None:
        if self._sql is not None and self._rows:
            self._executemany(self._sql, self._rows)
        self._sql, self._rows = None, []

    @abstractmethod
    def _executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None: ...

    @abstractmethod
    def _fetchall(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]: ...


class _SqliteTx(_BufferedTx):
    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection) -> None:
        super().__init__()
        self.connection = connection

    def _executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        self.connection.executemany(sql.replace("%s", "?"), rows)

    def _fetchall(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        return list(self.connection.execute(sql.replace("%s", "?"), params).fetchall())


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
                tx = _SqliteTx(self._connection)
                yield tx
                tx.flush()
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def close(self) -> None:
        self._connection.close()


class _PostgresTx(_BufferedTx):
    dialect = "postgres"

    def __init__(self, connection: Any) -> None:
        super().__init__()
        self.connection = connection

    def _executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if len(rows) == 1:
            self.connection.execute(sql, rows[0])
            return
        with self.connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def _fetchall(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        return list(self.connection.execute(sql, params).fetchall())


class PostgresDatabase(Database):
    dialect = "postgres"

    def __init__(self, dsn: str, max_size: int = DEFAULT_POOL_SIZE) -> None:
        from psycopg_pool import ConnectionPool

        self.max_size = max_size
        self._used: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
        """connection -> when it last finished a transaction (monotonic seconds)"""

        # Bounded connections, each checked before use once idle: after a database restart or a cut, a stale
        # pooled connection is replaced instead of failing the caller, and a call into a cut fails within seconds.
        self.pool = ConnectionPool(
            dsn, min_size=1, max_size=max_size, open=True, kwargs=dict(PG_CONNECTION_TIMEOUTS),
            check=self._check, timeout=POOL_TIMEOUT,
        )

    def _check(self, connection: Any) -> None:
        """The pool's check before handing out `connection`: a round trip, unless it was in use just now."""
        used = self._used.get(connection)
        if used is not None and time.monotonic() - used < CHECK_IDLE_SECONDS:
            return
        from psycopg_pool import ConnectionPool

        ConnectionPool.check_connection(connection)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        # Pipeline mode: a batch's statements go out without waiting for each answer.
        with self.pool.connection() as connection:
            with connection.pipeline(), connection.transaction():
                tx = _PostgresTx(connection)
                yield tx
                tx.flush()
            self._used[connection] = time.monotonic()  # committed: it answered just now

    def close(self) -> None:
        self.pool.close()


def database_unreachable(error: BaseException) -> bool:
    """Whether `error` says the database could not serve the call now (unreachable, connection broken, no
    pooled connection in time, the server shutting down): retry later; as opposed to a statement it refused."""
    try:
        import psycopg
        from psycopg_pool import PoolTimeout
    except ImportError:  # pragma: no cover - the embedded mode without the PostgreSQL driver
        return False
    return isinstance(error, (PoolTimeout, psycopg.OperationalError, psycopg.InterfaceError))


def connect(url: str, pool_size: int = DEFAULT_POOL_SIZE) -> Database:
    """`sqlite:///abs/path.db` (path after `sqlite://`), `sqlite://:memory:`, or a `postgresql://` DSN (with a
    pool of `pool_size` connections)."""
    if url.startswith("sqlite://"):
        path = url.removeprefix("sqlite://")
        return SqliteDatabase(":memory:" if path in ("", ":memory:", "/:memory:") else path)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(url, max_size=pool_size)
    raise ValueError(f"unsupported read-model database url: {url}")
