"""A stored log split by stream, so that its parts are verified in parallel (`verification.verify_partitions`).

Only where each part can be read on its own, cheaply and exactly: an SQLite store in a file whose every stored
stream id is 32 lowercase hex digits (as the SQLite recorder keeps a UUID; a part that meets another form says
so, and the log is verified by one process). Part i owns the stream ids from
bound i to bound i + 1 (single hex digits, compared as strings: the stored and the canonical form of an id start
with the same digit, so both fall in the same part), and reads its rows by scanning the table in position order,
each stream id made canonical as it is read. Anything else (PostgreSQL, an in-memory store, an id of another
form) is verified by one process.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from services.common.verification import _HEX_UUID, Partition, Row, canonical_stream_id

_HEX = "0123456789abcdef"
_BATCH = 4000
_MMAP = 1 << 30
"""Pages read through a memory map (no copy per page read)."""


class OtherStreamIdForm(ValueError):
    """A part met a stored stream id that is not 32 lowercase hex digits: the log is verified by one process."""


def _sqlite_file(recorder: Any) -> str | None:
    if not type(recorder).__name__.startswith("SQLite"):
        return None
    name = str(getattr(getattr(recorder.datastore, "pool", None), "db_name", "") or "")
    if not name or ":memory:" in name or "mode=memory" in name:
        return None
    return name


def bounds(parts: int) -> list[tuple[str, str | None]]:
    """[low, high) of each part's stream ids: single hex digits, the first part from "" and the last to None."""
    cuts = [_HEX[16 * i // parts] for i in range(1, parts)]
    lows = ["", *cuts]
    highs: list[str | None] = [*cuts, None]
    return list(zip(lows, highs, strict=True))


def _owner(low: str, high: str | None) -> Callable[[str], bool]:
    if high is None:
        return lambda stream: stream >= low
    return lambda stream: low <= stream < high


def _rows(path: str, table: str, low: str, high: str | None, strict: bool) -> Callable[[], Iterator[Row]]:
    where = "+originator_id >= ?" + ("" if high is None else " AND +originator_id < ?")  # `+`: scan, no index
    if not low and high is None:
        where = "1"
    statement = (f"SELECT rowid, originator_id, originator_version, topic, state FROM {table} WHERE {where} "
                 f"ORDER BY rowid")
    parameters = () if where == "1" else (low,) if high is None else (low, high)

    def rows() -> Iterator[Row]:
        connection = sqlite3.connect(path)  # this process's own (a forked one must not share its parent's)
        try:
            connection.execute(f"PRAGMA mmap_size = {_MMAP}")
            cursor = connection.execute(statement, parameters)
            hex_id = _HEX_UUID.fullmatch
            canonical = canonical_stream_id
            while batch := cursor.fetchmany(_BATCH):
                for position, stored, version, topic, state in batch:
                    if strict and (type(stored) is not str or hex_id(stored) is None):
                        raise OtherStreamIdForm(repr(stored))
                    yield position, canonical(stored), version, topic, state
        finally:
            connection.close()

    return rows


def log_partitions(recorder: Any, parts: int) -> list[Partition] | None:
    """The recorder's log as `parts` partitions by stream (one: all of it, read the fast way), or None when it
    cannot be read this way. A part that meets a stream id of another form raises OtherStreamIdForm (then the
    log is verified by one process: `paizhu.verify`)."""
    path = _sqlite_file(recorder)
    if path is None:
        return None
    table = recorder.events_table_name
    ranges = bounds(min(parts, 16))
    return [(_owner(low, high), _rows(path, table, low, high, len(ranges) > 1)) for low, high in ranges]
