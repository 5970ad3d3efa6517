"""Projection base: a named read model with one handler per integration-event type it uses, and the
schema version of its tables (a changed projection is rebuilt or refuses to start, see `schema_change`)."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

from events.envelope import Envelope
from projections.common.db import Database, Tx

F = TypeVar("F", bound=Callable[..., Any])

log = logging.getLogger(__name__)


def handles(*event_types: str) -> Callable[[F], F]:
    """Mark a method as the handler of these integration-event types: handler(tx, envelope, payload)."""

    def mark(func: F) -> F:
        func.handles_event_types = event_types  # type: ignore[attr-defined]
        return func

    return mark


SCHEMA_DDL = (
    "CREATE TABLE IF NOT EXISTS projection_schema (name TEXT PRIMARY KEY, version INTEGER NOT NULL, "
    "checksum_of_ddl TEXT NOT NULL, recorded_at TEXT NOT NULL)"
)
"""Which schema version (and which DDL, by checksum) each projection's tables were built with."""


@dataclass(frozen=True)
class SchemaChange:
    """The stored schema of a projection's tables differs from the code's."""

    name: str
    stored_version: int | None
    stored_checksum: str | None
    version: int
    checksum: str

    def describe(self) -> str:
        stored = "unversioned" if self.stored_version is None else str(self.stored_version)
        text = f"read model {self.name}: schema version in the database {stored}, in the code {self.version}"
        if self.stored_version == self.version:
            text += " (its DDL changed without a version bump)"
        return text


class ProjectionSchemaChanged(RuntimeError):
    """A projection's stored schema version differs from the code's and rebuilding was not allowed."""

    def __init__(self, change: SchemaChange) -> None:
        super().__init__(
            f"读模型结构已变更，拒绝启动 (refusing to start): {change.describe()}; "
            f"rebuild it (`paizhu rebuild {change.name}`) or set PAIZHU_REBUILD_CHANGED_PROJECTIONS=true"
        )
        self.change = change


class RebuildProgress:
    """Log lines while a projection replays the history after a schema change (at most every 2 s). The
    feeds read full batches (1,000+) while catching up: a small batch means the replay reached the tail."""

    CAUGHT_UP_BELOW = 100

    def __init__(self) -> None:
        self.started = self.logged = time.monotonic()
        self.events = 0

    def advance(self, name: str, events: int) -> bool:
        """Count a batch; True once the replay has caught up (the last line is logged then)."""
        self.events += events
        now = time.monotonic()
        fields = {"projection": name, "events": self.events}
        if events < self.CAUGHT_UP_BELOW:
            log.info("rebuilt %s: %s events replayed in %.1f s", name, self.events, now - self.started, extra=fields)
            return True
        if now - self.logged >= 2.0:
            self.logged = now
            log.info("rebuilding %s: %s events replayed in %.0f s", name, self.events, now - self.started,
                     extra=fields)
        return False


class Projection:
    """Subclasses set `name`, `ddl` (CREATE TABLE statements) and `tables`, and define handlers.
    A change of `ddl` or of what the handlers write goes with a new `schema_version`.

    Every row carries what the authoriser needs (group_id, unit_id, distribution) where it describes
    one record, so access is decided at query time by gateway/authz.
    """

    name: ClassVar[str]
    ddl: ClassVar[tuple[str, ...]] = ()
    tables: ClassVar[tuple[str, ...]] = ()
    checksum_order: ClassVar[dict[str, str]] = {}
    """table -> ORDER BY clause, for a stable checksum (defaults to all columns)."""
    schema_version: ClassVar[int] = 1
    """Bump when the tables or their contents change: stores built with another version are rebuilt."""

    def __init__(self) -> None:
        self._handlers: dict[str, Callable[[Tx, Envelope, Any], None]] = {}
        for attr in dir(type(self)):
            for event_type in getattr(getattr(type(self), attr, None), "handles_event_types", ()):
                self._handlers[event_type] = getattr(self, attr)

    @property
    def event_types(self) -> frozenset[str]:
        return frozenset(self._handlers)

    def handler_for(self, event_type: str) -> Callable[[Tx, Envelope, Any], None] | None:
        return self._handlers.get(event_type)

    def create(self, tx: Tx) -> None:
        for statement in self.ddl:
            tx.execute(statement)

    def drop(self, tx: Tx) -> None:
        for table in self.tables:
            tx.execute(f"DROP TABLE IF EXISTS {table}")
        tx.execute(SCHEMA_DDL)
        tx.execute("DELETE FROM projection_schema WHERE name = %s", (self.name,))

    @classmethod
    def ddl_checksum(cls) -> str:
        """SHA-256 of the DDL with whitespace normalised: a reformatted statement is no change."""
        return hashlib.sha256("\n".join(" ".join(s.split()) for s in cls.ddl).encode("utf-8")).hexdigest()

    def schema_change(self, tx: Tx, has_data: bool) -> SchemaChange | None:
        """None when the stored tables were built by this schema version and DDL (or nothing is stored
        yet); otherwise what changed. `has_data`: the projection has consumed events before (tables
        from before schema versions count as changed)."""
        tx.execute(SCHEMA_DDL)
        row = tx.fetchone("SELECT version, checksum_of_ddl FROM projection_schema WHERE name = %s", (self.name,))
        checksum = self.ddl_checksum()
        if row is None:
            if not has_data:
                return None
            return SchemaChange(self.name, None, None, self.schema_version, checksum)
        if int(row[0]) == self.schema_version and row[1] == checksum:
            return None
        return SchemaChange(self.name, int(row[0]), str(row[1]), self.schema_version, checksum)

    def record_schema(self, tx: Tx, db: Database) -> None:
        tx.execute(SCHEMA_DDL)
        tx.execute(
            db.upsert("projection_schema", ("name",), ("version", "checksum_of_ddl", "recorded_at")),
            (self.name, self.schema_version, self.ddl_checksum(), datetime.now(UTC).isoformat()),
        )

    def checksum(self, db: Database) -> str:
        """SHA-256 over every row of every table, in a stable order: equal for identical read models."""
        digest = hashlib.sha256()
        for table, rows in self.rows(db).items():
            digest.update(f"{table}:{len(rows)}\n".encode())
            for row in rows:
                digest.update(repr(row).encode("utf-8"))
        return digest.hexdigest()

    def rows(self, db: Database) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, normalised (as both databases return them), in the checksum's order."""
        found = {}
        with db.transaction() as tx:
            for table in self.tables:
                order = self.checksum_order.get(table)
                if order is None:
                    columns = [row[0] for row in self._columns(tx, db, table)]
                    order = ", ".join(columns)
                found[table] = [tuple(_normal(v) for v in row)
                                for row in tx.fetchall(f"SELECT * FROM {table} ORDER BY {order}")]
        return found

    def figures(self, db: Database) -> dict[str, Any]:
        """The read model's main figures, to be read at a glance (`paizhu replay-projection`): the rows of each
        table; a projection adds what its main page shows."""
        with db.transaction() as tx:
            return {"rows": {table: int((tx.fetchone(f"SELECT COUNT(*) FROM {table}") or (0,))[0])
                             for table in self.tables}}

    @staticmethod
    def _columns(tx: Tx, db: Database, table: str) -> list[tuple[Any, ...]]:
        if db.dialect == "sqlite":
            return [(row[1],) for row in tx.fetchall(f"PRAGMA table_info({table})")]
        return tx.fetchall(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND table_schema = current_schema() ORDER BY ordinal_position",
            (table,),
        )


def _normal(value: Any) -> Any:
    """Values as both databases return them (booleans as ints, numbers as str of their value)."""
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
