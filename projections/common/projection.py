"""Projection base: a named read model with one handler per integration-event type it uses."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from events.envelope import Envelope
from projections.common.db import Database, Tx

F = TypeVar("F", bound=Callable[..., Any])


def handles(*event_types: str) -> Callable[[F], F]:
    """Mark a method as the handler of these integration-event types: handler(tx, envelope, payload)."""

    def mark(func: F) -> F:
        func.handles_event_types = event_types  # type: ignore[attr-defined]
        return func

    return mark


class Projection:
    """Subclasses set `name`, `ddl` (CREATE TABLE statements) and `tables`, and define handlers.

    Every row carries what the authoriser needs (group_id, unit_id, distribution) where it describes
    one record, so access is decided at query time by gateway/authz.
    """

    name: ClassVar[str]
    ddl: ClassVar[tuple[str, ...]] = ()
    tables: ClassVar[tuple[str, ...]] = ()
    checksum_order: ClassVar[dict[str, str]] = {}
    """table -> ORDER BY clause, for a stable checksum (defaults to all columns)."""

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

    def checksum(self, db: Database) -> str:
        """SHA-256 over every row of every table, in a stable order: equal for identical read models."""
        digest = hashlib.sha256()
        with db.transaction() as tx:
            for table in self.tables:
                count = tx.fetchone(f"SELECT COUNT(*) FROM {table}")
                order = self.checksum_order.get(table)
                if order is None:
                    columns = [row[0] for row in self._columns(tx, db, table)]
                    order = ", ".join(columns)
                rows = tx.fetchall(f"SELECT * FROM {table} ORDER BY {order}")
                digest.update(f"{table}:{count[0] if count else 0}\n".encode())
                for row in rows:
                    digest.update(repr(tuple(_normal(v) for v in row)).encode("utf-8"))
        return digest.hexdigest()

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
