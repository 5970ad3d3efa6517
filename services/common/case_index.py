"""The correlation index of a service's store: which stored event carries which correlation and causation id.

A case's history follows `correlation_id` and `causation_id` across the services (`case_history`,
`paizhu.forensics.history`). Without an index that means reading every stored event of every store; with it, a
table next to the events (`<events table>_case_index`: position, stream, version, event id, correlation id,
causation id) answers "which events share these correlations or were caused by these events" with indexed
look-ups, and only the streams of the case are read.

The index is derived data, never evidence: it only says where to look. The events shown, hashed and exported
are always read from the events table itself (`stream_rows`). It is kept up to date incrementally by position
(`catch_up`: the rows after the last indexed one; the recorders commit positions in order, so none is skipped),
by the checkpointer each time it signs the log and by the service before it answers a history. A reader that may
not write (the store tools) uses the table as far as it goes and reads the few rows after it (`CaseIndex.tail`).
A store that has no such table (an in-memory store, or one never checkpointed) is read row by row, as before;
the answer is the same either way (`closure` is the one rule for both).

Private streams (the signed checkpoints, the forensic use log) are not part of any case and are not indexed.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from events.envelope import event_id_for
from services.common.verification import RawRow, RowDecoder, StoredRow, canonical_stream_id, stream_key

_CORRELATION = re.compile(rb'"correlation_id":"([^"\\]*)"')
_CAUSATION = re.compile(rb'"causation_id":"([^"\\]*)"')
_CHUNK = 500
"""Keys per `IN (…)` look-up (SQLite's limit on bound parameters is far above it)."""


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One stored event as the index knows it."""

    service: str
    position: int
    stream: str
    version: int
    correlation: str
    causation: str

    @property
    def key(self) -> tuple[str, int]:
        return self.service, self.position

    @property
    def event_id(self) -> str:
        return event_id_for(self.service, self.stream, self.version)


def entry_of(service: str, row: StoredRow, stream: str, decoder: RowDecoder) -> IndexEntry | None:
    """The index entry of a stored row (None when its state cannot be decoded: `paizhu verify` names it)."""
    try:
        text = decoder.plaintext(row)
    except Exception:  # noqa: BLE001 (undecodable: a history cannot use it)
        return None
    correlation = _CORRELATION.search(text)
    causation = _CAUSATION.search(text)
    return IndexEntry(service, row.id, stream, row.originator_version,
                      correlation.group(1).decode() if correlation else "",
                      causation.group(1).decode() if causation else "")


def _dialect(recorder: Any) -> str | None:
    name = type(recorder).__name__
    if name.startswith("SQLite"):
        return "sqlite"
    if name.startswith("Postgres"):
        return "postgres"
    return None


def _plain(row: Any, names: tuple[str, ...]) -> tuple[Any, ...]:
    """A fetched row as a tuple (psycopg's dict rows and sqlite3.Row alike)."""
    return tuple(row[n] for n in names) if isinstance(row, dict) else tuple(row)


def recorder_rows(recorder: Any, after: int = 0, page: int = 2000) -> Iterator[StoredRow]:
    """A recorder's stored rows after a position, in position order. From SQLite straight from the table, without
    building a UUID and a Notification for each (the verifier's hot loop); elsewhere `select_notifications`."""
    if _dialect(recorder) != "sqlite":
        while True:
            batch = recorder.select_notifications(start=after + 1, limit=page)
            if not batch:
                return
            yield from batch
            after = batch[-1].id
    statement = (f"SELECT rowid, originator_id, originator_version, topic, state FROM "
                 f"{recorder.events_table_name} WHERE rowid > ? ORDER BY rowid LIMIT ?")
    page *= 5
    while True:
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, (after, page))
            batch = cursor.fetchall()
        if not batch:
            return
        ids: dict[str, str] = {}
        for position, originator, version, topic, state in batch:
            stream = ids.get(originator)
            if stream is None:
                stream = ids[originator] = canonical_stream_id(originator)
            yield RawRow(position, stream, version, topic, state)
        after = batch[-1][0]


def stream_rows(recorder: Any, stream: str) -> list[StoredRow]:
    """Every stored row of one stream, in version order, with its position (read from the events table)."""
    dialect = _dialect(recorder)
    names = ("position", "originator_id", "originator_version", "topic", "state")
    if dialect == "sqlite":
        statement = (f"SELECT rowid, originator_id, originator_version, topic, state FROM "
                     f"{recorder.events_table_name} WHERE originator_id = ? ORDER BY originator_version")
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, (uuid.UUID(stream).hex,))
            fetched = cursor.fetchall()
    elif dialect == "postgres":
        statement = (f'SELECT notification_id AS position, originator_id, originator_version, topic, state FROM '
                     f'"{recorder.datastore.schema}"."{recorder.events_table_name}" WHERE originator_id = %s '
                     f"ORDER BY originator_version")
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, (uuid.UUID(stream),))
            fetched = cursor.fetchall()
    else:  # an in-memory store: its rows in position order
        return [row for row in recorder_rows(recorder) if stream_key(row.originator_id) == stream]
    rows: list[StoredRow] = []
    for values in fetched:
        position, _, version, topic, state = _plain(values, names)
        rows.append(RawRow(int(position), stream, int(version), topic, bytes(state)))
    return rows


class CaseIndex:
    """The correlation index of one service's store (see the module's docstring)."""

    COLUMNS = ("position", "stream_id", "version", "event_id", "correlation_id", "causation_id")

    def __init__(self, service: str, recorder: Any, decoder: RowDecoder, private: Iterable[str] = (),
                 use_table: bool = True) -> None:
        self.service = service
        self.use_table = use_table
        """False: read every row, as if there were no table (what the index must agree with)"""
        self.recorder = recorder
        self.decoder = decoder
        self.private = frozenset(private)
        """streams that are no case's (the signed checkpoints, the forensic use log)"""
        self.dialect = _dialect(recorder)
        if self.dialect == "sqlite":
            self.table = f"{recorder.events_table_name}_case_index"
            self.mark = "?"
        elif self.dialect == "postgres":
            self.table = f'"{recorder.datastore.schema}"."{recorder.events_table_name}_case_index"'
            self.mark = "%s"
        self._tail: list[IndexEntry] | None = None
        self._upto = 0

    # -- keeping it ----------------------------------------------------------------------------------------------
    def _create(self, cursor: Any) -> None:
        name = self.table.replace('"', "").rpartition(".")[2]
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {self.table} (position BIGINT PRIMARY KEY, stream_id TEXT NOT "
                       f"NULL, version BIGINT NOT NULL, event_id TEXT NOT NULL, correlation_id TEXT NOT NULL, "
                       f"causation_id TEXT NOT NULL)")
        for column in ("stream_id", "correlation_id", "causation_id"):
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name}_{column} ON {self.table} ({column})")

    def exists(self) -> bool:
        if self.dialect is None:
            return False
        try:
            with self.recorder.datastore.transaction(commit=False) as cursor:
                cursor.execute(f"SELECT 1 FROM {self.table} LIMIT 1")
                cursor.fetchall()
        except Exception:  # noqa: BLE001 (no such table: the store is read row by row)
            return False
        return True

    def indexed_upto(self) -> int:
        with self.recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(f"SELECT MAX(position) AS upto FROM {self.table}")
            found = cursor.fetchone()
        value = _plain(found, ("upto",))[0] if found is not None else None
        return int(value or 0)

    def _entries_after(self, after: int) -> Iterator[IndexEntry]:
        for row in recorder_rows(self.recorder, after):
            stream = stream_key(row.originator_id)
            if stream in self.private:
                continue
            entry = entry_of(self.service, row, stream, self.decoder)
            if entry is not None:
                yield entry

    def catch_up(self) -> int:
        """Index the rows stored since the last indexed one (the table is created on first use); returns how many
        were added. A store without SQL (in memory) has no index: 0."""
        if self.dialect is None:
            return 0
        with self.recorder.datastore.transaction(commit=True) as cursor:
            self._create(cursor)
        upto = self.indexed_upto()
        conflict = "ON CONFLICT (position) DO NOTHING"
        statement = (f"INSERT INTO {self.table} ({', '.join(self.COLUMNS)}) VALUES "
                     f"({', '.join([self.mark] * len(self.COLUMNS))}) {conflict}")
        added = 0
        batch: list[tuple[Any, ...]] = []

        def flush() -> None:
            with self.recorder.datastore.transaction(commit=True) as cursor:
                cursor.executemany(statement, batch)
            batch.clear()

        for entry in self._entries_after(upto):
            batch.append((entry.position, entry.stream, entry.version, entry.event_id, entry.correlation,
                          entry.causation))
            added += 1
            if len(batch) >= 5000:
                flush()
        if batch:
            flush()
        self._tail = None
        return added

    # -- reading it ----------------------------------------------------------------------------------------------
    def tail(self) -> list[IndexEntry]:
        """The rows after the indexed ones (all of them when there is no index), read once per CaseIndex."""
        if self._tail is None:
            self._upto = self.indexed_upto() if self.use_table and self.exists() else 0
            self._tail = list(self._entries_after(self._upto))
        return self._tail

    def _select(self, column: str, keys: set[str]) -> list[IndexEntry]:
        if not keys or self._upto == 0:
            return []
        found: list[IndexEntry] = []
        ordered = sorted(keys)
        names = ("position", "stream_id", "version", "correlation_id", "causation_id")
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start:start + _CHUNK]
            statement = (f"SELECT {', '.join(names)} FROM {self.table} WHERE {column} IN "
                         f"({', '.join([self.mark] * len(chunk))}) AND position <= {self.mark}")
            with self.recorder.datastore.transaction(commit=False) as cursor:
                cursor.execute(statement, (*chunk, self._upto))
                rows = cursor.fetchall()
            for row in rows:
                position, stream, version, correlation, causation = _plain(row, names)
                found.append(IndexEntry(self.service, int(position), stream, int(version), correlation, causation))
        return found

    def lookup(self, streams: set[str], correlations: set[str], causes: set[str]) -> list[IndexEntry]:
        """Every event of these streams, or with one of these correlation ids, or caused by one of these events."""
        tail = self.tail()
        found = {e.position: e for e in (*self._select("stream_id", streams),
                                         *self._select("correlation_id", correlations),
                                         *self._select("causation_id", causes))}
        for entry in tail:
            if entry.stream in streams or entry.correlation in correlations or entry.causation in causes:
                found[entry.position] = entry
        return [found[p] for p in sorted(found)]


Lookup = Callable[[set[str], set[str], set[str]], list[IndexEntry]]
"""(streams, correlation ids, causes) → the matching entries (of one store or several)."""


def closure(lookup: Lookup, stream: str | None, correlations: Iterable[str] = (),
            causes: Iterable[str] = ()) -> tuple[dict[tuple[str, int], str], list[IndexEntry]]:
    """A case: the events of `stream` ("stream"), those sharing one of its correlation ids or one of
    `correlations` ("correlation"), and those caused by an event of the case, transitively ("causation").

    Returns why each event (service, position) is in the case, and the entries in (service, position) order.
    The one rule for the index and for the row-by-row reading alike.
    """
    why: dict[tuple[str, int], str] = {}
    entries: dict[tuple[str, int], IndexEntry] = {}
    known_correlations = {c for c in correlations if c}
    known_causes = set(causes)
    if stream is not None:
        for entry in lookup({stream}, set(), set()):
            if entry.stream == stream:
                why[entry.key] = "stream"
                entries[entry.key] = entry
                known_causes.add(entry.event_id)
                if entry.correlation:
                    known_correlations.add(entry.correlation)
    new_correlations, new_causes = set(known_correlations), set(known_causes)
    while new_correlations or new_causes:
        found = [e for e in lookup(set(), new_correlations, new_causes) if e.key not in why]
        new_correlations = set()
        new_causes = set()
        for entry in found:
            if entry.causation and entry.causation in known_causes:
                why[entry.key] = "causation"
            elif entry.correlation and entry.correlation in known_correlations:
                why[entry.key] = "correlation"
            else:
                continue
            entries[entry.key] = entry
            new_causes.add(entry.event_id)
        new_causes -= known_causes
        known_causes |= new_causes
    return why, [entries[key] for key in sorted(entries)]
