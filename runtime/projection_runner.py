"""Runs a projection over batches of integration events: one transaction per batch, exactly once.

Written in the same transaction as the read-model change: the consumed offset of each (source, partition),
the last version applied of each stream (`projection_streams`), the position each partition has passed
(`projection_partitions`, see runtime/watermarks.py) and the per-service position the read model covers
(`projection_positions`: every event of the service up to it is applied; what `X-Paizhu-Positions` and
`after=svc:pos` read). An event is a duplicate, and skipped, when its stream's version was applied already or
its position is covered: the order that holds on a partitioned topic is the order of one stream, never the
service's positions. On a source in position order (a notification log, a one-partition topic) the covered
position is the last one read, as always, and it alone recognises every redelivery (stream versions would say
the same at twice the writes, so they are kept for partitioned sources only); on a partitioned source it is
the lowest position passed by all its partitions, those of other projectors included (read under a lock on
the read model's positions, so two projectors never write a stale minimum).
Undecodable events are parked in `dead_letters` and the runner goes on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from opentelemetry import trace

from events.envelope import Envelope
from events.registry import UnknownEventError, decode, is_known
from events.topics import service_of
from projections.common.db import Database, Tx, database_unreachable
from projections.common.projection import Projection, ProjectionSchemaChanged, RebuildProgress
from projections.common.query import lacking, positions
from runtime.telemetry import (
    clear_alarm,
    context_from_traceparent,
    dead_letters,
    projection_lag,
    raise_alarm,
    tracer,
)

log = logging.getLogger(__name__)

TRACKING_DDL = (
    "CREATE TABLE IF NOT EXISTS projection_tracking (projection TEXT NOT NULL, source TEXT NOT NULL, "
    "part INTEGER NOT NULL, last_offset BIGINT NOT NULL, PRIMARY KEY (projection, source, part))",
    "CREATE TABLE IF NOT EXISTS projection_positions (projection TEXT NOT NULL, service TEXT NOT NULL, "
    "position BIGINT NOT NULL, PRIMARY KEY (projection, service))",
    "CREATE TABLE IF NOT EXISTS dead_letters (projection TEXT NOT NULL, source TEXT NOT NULL, "
    "part INTEGER NOT NULL, msg_offset BIGINT NOT NULL, event_type TEXT, schema_version INTEGER, "
    "reason TEXT NOT NULL, body TEXT NOT NULL, recorded_at TEXT NOT NULL, "
    "PRIMARY KEY (projection, source, part, msg_offset))",
    "CREATE TABLE IF NOT EXISTS projection_alarms (projection TEXT NOT NULL, source TEXT NOT NULL, "
    "reason TEXT NOT NULL, needed_position BIGINT NOT NULL, raised_at TEXT NOT NULL, "
    "PRIMARY KEY (projection, source))",
    "CREATE TABLE IF NOT EXISTS projection_sources (projection TEXT NOT NULL, source TEXT NOT NULL, "
    "identity TEXT NOT NULL, PRIMARY KEY (projection, source))",
    "CREATE TABLE IF NOT EXISTS projection_streams (projection TEXT NOT NULL, service TEXT NOT NULL, "
    "stream_id TEXT NOT NULL, version BIGINT NOT NULL, PRIMARY KEY (projection, service, stream_id))",
    "CREATE TABLE IF NOT EXISTS projection_partitions (projection TEXT NOT NULL, source TEXT NOT NULL, "
    "part INTEGER NOT NULL, position BIGINT NOT NULL, PRIMARY KEY (projection, source, part))",
)

POSITIONS_LOCK = "paizhu.read_models.positions"
"""With the projection's name: held while a projector of a partitioned source computes the covered positions."""

STREAM_CACHE_LIMIT = 200_000
"""Stream versions kept in memory (forgotten all at once beyond it: they are read again when needed)."""

CONFLICT_RETRIES = 5
"""A batch that PostgreSQL aborted for a deadlock with another projector's batch is tried again this often."""


class PartitionMoved(Exception):
    """A partition's stored offset is not where this consumer left it: another member of the consumer group
    processed it (this one lost it in a rebalance). Nothing of the batch is applied; the feed seeks again."""

SOURCE_RESET_ALARM = "projection_source_reset"

DDL_LOCK = "paizhu.read_models.ddl"

OnSchemaChange = Literal["rebuild", "refuse", "leave"]


@dataclass(frozen=True)
class Item:
    """One delivered message: where it came from and its envelope (or the raw bytes if undecodable)."""

    source: str
    partition: int
    offset: int
    envelope: Envelope | None = None
    raw: bytes | None = None
    traceparent: str = ""
    watermark: int | None = None
    """Set for a relay's watermark (runtime/watermarks.py): the partition holds every event up to it."""


DeadLetterSink = Callable[[str, Item, str], None]


class ProjectionRunner:
    def __init__(
        self,
        projection: Projection,
        db: Database,
        dead_letter_sink: DeadLetterSink | None = None,
    ) -> None:
        self.projection = projection
        self.db = db
        self.dead_letter_sink = dead_letter_sink
        self._positions: dict[str, int] | None = None
        self._rebuild: RebuildProgress | None = None
        self._changed = threading.Condition()
        self._alarms: dict[str, int] | None = None  # source -> position its replay must reach again
        self._seen: dict[str, int] = {}  # source -> highest position delivered from it since the alarm
        self._streams: dict[tuple[str, str], int] = {}  # (service, stream) -> last version applied (cache)
        self._passed: dict[tuple[str, int], int] | None = None  # (source, partition) -> position passed (cache)
        self.partition_counts: dict[str, int] = {}
        """source -> its partitions (set by the Kafka feed); a source not listed has one."""
        self.claimed: dict[tuple[str, int], int | None] | None = None
        """Consumer-group mode: the partitions this member holds and the offset it left each at (None: none
        stored); a batch from another partition, or of one whose stored offset moved, raises PartitionMoved."""

    # -- set-up ----------------------------------------------------------------------------
    def _serialise_ddl(self, tx: Tx) -> None:
        # Projectors and the gateway start together and each creates the tables; PostgreSQL's
        # CREATE ... IF NOT EXISTS is not safe against a concurrent one (unique violation in its
        # catalogue), so they take turns. The lock goes with the transaction.
        if self.db.dialect == "postgres":
            tx.fetchall("SELECT pg_advisory_xact_lock(hashtext(%s))", (DDL_LOCK,))

    def setup(self, on_change: OnSchemaChange = "rebuild") -> None:
        """Create the tables; when the stored schema version differs from the projection's, `rebuild`
        (drop them and the tracking: the feed replays the history), `refuse` (raise
        ProjectionSchemaChanged) or `leave` them to the process that owns the projection."""
        with self.db.transaction() as tx:
            self._serialise_ddl(tx)
            for statement in TRACKING_DDL:
                tx.execute(statement)
            change = self.projection.schema_change(tx, has_data=bool(self._tracked_rows(tx)))
            if change is not None and on_change == "refuse":
                raise ProjectionSchemaChanged(change)
            if change is not None and on_change == "rebuild":
                log.warning("%s: rebuilding it from the history", change.describe(),
                            extra={"projection": change.name})
                self._drop(tx)
                self.reload()
                self._rebuild = RebuildProgress()
            self.projection.create(tx)
            if change is None or on_change == "rebuild":
                self.projection.record_schema(tx, self.db)

    def _tracked_rows(self, tx: Tx) -> list[tuple[Any, ...]]:
        return tx.fetchall("SELECT 1 FROM projection_tracking WHERE projection = %s LIMIT 1", (self.projection.name,))

    def _drop(self, tx: Tx) -> None:
        self.projection.drop(tx)
        for table in ("projection_tracking", "projection_positions", "dead_letters", "projection_alarms",
                      "projection_sources", "projection_streams", "projection_partitions"):
            tx.execute(f"DELETE FROM {table} WHERE projection = %s", (self.projection.name,))

    def reset(self) -> None:
        """Drop the read model and its tracking: the next run rebuilds it from the beginning."""
        with self.db.transaction() as tx:
            self._serialise_ddl(tx)
            for statement in TRACKING_DDL:
                tx.execute(statement)
            self._drop(tx)
        self.reload()
        self.setup()

    def reload(self) -> None:
        """Forget what is cached of the stored positions and alarms (read them again before the next batch)."""
        self._positions = None
        self._alarms = None
        self._passed = None
        self._streams = {}

    def claim(self, partitions: list[tuple[str, int]]) -> dict[tuple[str, int], int | None]:
        """Consumer-group mode, on an assignment: hold these partitions; their stored offsets (None: nothing
        read yet). What is cached is read again (another member may have worked meanwhile)."""
        self.reload()
        stored = self.tracked_offsets()
        self.claimed = {key: stored.get(key) for key in partitions}
        return dict(self.claimed)

    # -- positions -------------------------------------------------------------------------
    def tracked_offsets(self) -> dict[tuple[str, int], int]:
        with self.db.transaction() as tx:
            rows = tx.fetchall(
                "SELECT source, part, last_offset FROM projection_tracking WHERE projection = %s",
                (self.projection.name,),
            )
        return {(source, int(part)): int(offset) for source, part, offset in rows}

    def positions(self) -> dict[str, int]:
        with self.db.transaction() as tx:
            return self._load_positions(tx)

    def _load_positions(self, tx: Tx) -> dict[str, int]:
        return positions(tx, self.projection.name)

    def wait_for(self, service: str, position: int, timeout: float = 5.0) -> bool:
        """Read-your-writes: wait until the read model reflects `position` of `service`."""
        deadline = time.monotonic() + timeout
        while True:
            if self.positions().get(service, 0) >= position:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            with self._changed:
                self._changed.wait(min(remaining, 0.05))

    # -- sources that lost events ----------------------------------------------------------
    def source_identities(self) -> dict[str, str]:
        """The identity (a Kafka topic id) of each source as it was when the read model read it."""
        with self.db.transaction() as tx:
            rows = tx.fetchall("SELECT source, identity FROM projection_sources WHERE projection = %s",
                               (self.projection.name,))
        return {source: identity for source, identity in rows}

    def record_source_identities(self, identities: dict[str, str]) -> None:
        with self.db.transaction() as tx:
            for source, identity in identities.items():
                tx.execute(self.db.upsert("projection_sources", ("projection", "source"), ("identity",)),
                           (self.projection.name, source, identity))

    def source_reset(self, source: str, service: str, reason: str, identity: str | None = None) -> None:
        """A source (topic) went backwards or changed its partitions: forget the offsets read from it (the feed
        reads it again from the beginning; events already applied are skipped by position) and raise an alarm
        that holds until the source has delivered again the newest event applied from it: until then the read
        model does not claim to be fresh (`alarms()`, the gateway's `/readyz`)."""
        with self.db.transaction() as tx:
            needed = self._load_positions(tx).get(service, 0)
            tx.execute("DELETE FROM projection_tracking WHERE projection = %s AND source = %s",
                       (self.projection.name, source))
            if identity is not None:
                tx.execute(self.db.upsert("projection_sources", ("projection", "source"), ("identity",)),
                           (self.projection.name, source, identity))
            if needed == 0:  # nothing was applied from it: nothing can be missing
                log.warning("projection %s: source %s %s; reading it again from the beginning",
                            self.projection.name, source, reason, extra={"projection": self.projection.name})
                return
            tx.execute(
                self.db.upsert("projection_alarms", ("projection", "source"),
                               ("reason", "needed_position", "raised_at")),
                (self.projection.name, source, reason[:500], needed, datetime.now(UTC).isoformat()),
            )
        self._alarms = None
        self._seen.pop(source, None)
        raise_alarm(f"{SOURCE_RESET_ALARM}:{self.projection.name}")
        log.error("projection %s: source %s %s; reading it again from the beginning, not fresh until it "
                  "delivers position %s of %s again", self.projection.name, source, reason, needed, service,
                  extra={"projection": self.projection.name})

    def alarms(self) -> dict[str, str]:
        """Sources whose events the read model may lack (source -> reason); empty when it is fresh."""
        with self.db.transaction() as tx:
            return lacking(tx, self.projection.name)

    def _load_alarms(self, tx: Tx) -> dict[str, int]:
        rows = tx.fetchall("SELECT source, needed_position FROM projection_alarms WHERE projection = %s",
                           (self.projection.name,))
        return {source: int(needed) for source, needed in rows}

    def _clear_reached_alarms(self, tx: Tx, alarms: dict[str, int]) -> None:
        for source, needed in list(alarms.items()):
            if self._seen.get(source, 0) >= needed:
                tx.execute("DELETE FROM projection_alarms WHERE projection = %s AND source = %s",
                           (self.projection.name, source))
                del alarms[source]
                log.warning("projection %s: source %s delivered every event again", self.projection.name, source,
                            extra={"projection": self.projection.name})
        if not alarms:
            clear_alarm(f"{SOURCE_RESET_ALARM}:{self.projection.name}")

    # -- processing ------------------------------------------------------------------------
    def process(
        self, items: Sequence[Item], reached: dict[tuple[str, int], int] | None = None,
        covered: dict[str, int] | None = None,
    ) -> int:
        """Apply a batch in one transaction. `reached` advances tracking past messages not delivered
        as items (e.g. private events skipped by an embedded feed); `covered` advances a service's position
        past events read but not delivered (types the projection does not handle). Returns events applied."""
        if not items and not reached:
            return 0
        try:
            applied = self._attempt(items, reached or {}, covered)
        except PartitionMoved:
            self.reload()
            raise
        except Exception as error:
            self.reload()
            if database_unreachable(error):
                raise  # not the events' fault: the caller retries the batch once the database answers
            log.exception("batch of %s failed; retrying event by event", self.projection.name)
            applied = 0
            for item in items:
                applied += self._process([item], {}, isolate=True)
            if reached:
                self._process([], reached, isolate=True, covered=covered)
        with self._changed:
            self._changed.notify_all()
        if self._rebuild is not None and self._rebuild.advance(self.projection.name, len(items)):
            self._rebuild = None
        return applied

    def _attempt(self, items: Sequence[Item], reached: dict[tuple[str, int], int],
                 covered: dict[str, int] | None) -> int:
        """The batch in one transaction, again when PostgreSQL aborted it for a deadlock with another projector
        of the read model (two batches of different partitions updating the same rows in another order)."""
        for attempt in range(CONFLICT_RETRIES):
            try:
                return self._process(items, reached, isolate=False, covered=covered)
            except Exception as error:
                if not _conflict(error) or attempt == CONFLICT_RETRIES - 1:
                    raise
                self.reload()
                log.warning("batch of %s conflicted with another projector's (%s); trying it again",
                            self.projection.name, type(error).__name__)
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _process(self, items: Sequence[Item], reached: dict[tuple[str, int], int], isolate: bool,
                 covered: dict[str, int] | None = None) -> int:
        applied = 0
        offsets: dict[tuple[str, int], int] = dict(reached)
        with self.db.transaction() as tx:
            if self.claimed is not None:
                self._fence(tx, items)
            positions = self._load_positions(tx) if self._positions is None else dict(self._positions)
            alarms = self._load_alarms(tx) if self._alarms is None else dict(self._alarms)
            passed = self._load_passed(tx) if self._passed is None else dict(self._passed)
            envelopes = [self._envelope(tx, item) for item in items]
            ordered = {item.source: self.partition_counts.get(item.source, 1) <= 1 for item in items}
            streams = self._load_streams(tx, [e for i, e in zip(items, envelopes, strict=True)
                                              if e is not None and not ordered[i.source]])
            touched: set[str] = set()
            moved: set[tuple[str, int]] = set()  # partitions whose passed position rose
            versions: set[tuple[str, str]] = set()  # streams whose version rose
            lags = []
            for item, envelope in zip(items, envelopes, strict=True):
                key = (item.source, item.partition)
                offsets[key] = max(offsets.get(key, -1), item.offset)
                if item.watermark is not None:
                    if item.watermark > passed.get(key, 0):
                        passed[key] = item.watermark
                        moved.add(key)
                    continue
                if envelope is None:
                    continue  # undecodable: dead-lettered by _envelope
                if envelope.position > passed.get(key, 0):
                    passed[key] = envelope.position
                    moved.add(key)
                if alarms:
                    self._seen[item.source] = max(self._seen.get(item.source, 0), envelope.position)
                stream = (envelope.service, envelope.stream_id)
                if envelope.position <= positions.get(envelope.service, 0):
                    continue  # a duplicate delivery (relay republished after a crash, a topic read again)
                if not ordered[item.source] and envelope.stream_version <= streams.get(stream, 0):
                    continue  # the same on a partitioned topic, where only each stream's order holds
                handler = self.projection.handler_for(envelope.type)
                if handler is not None:
                    try:
                        payload = decode(envelope)
                    except (UnknownEventError, ValueError) as error:
                        self._dead_letter(tx, item, envelope, str(error))
                        payload = None
                    if payload is not None:
                        if isolate:
                            try:
                                self._apply(tx, handler, envelope, payload, item)
                            except Exception as error:  # a poison event must not stop the view
                                self._dead_letter(tx, item, envelope, f"handler failed: {error!r}")
                        else:
                            self._apply(tx, handler, envelope, payload, item)
                        applied += 1
                        lags.append(envelope.occurred_at)
                elif not is_known(envelope.type, envelope.schema_version):
                    self._dead_letter(tx, item, envelope, "unknown event type or schema version")
                if ordered[item.source]:  # in position order: the last one read is covered
                    positions[envelope.service] = envelope.position
                    touched.add(envelope.service)
                else:
                    streams[stream] = envelope.stream_version
                    versions.add(stream)
            for service, position in (covered or {}).items():
                if position > positions.get(service, 0):
                    positions[service] = position
                    touched.add(service)
            name = self.projection.name
            for (source, part), offset in offsets.items():
                tx.execute(
                    self.db.upsert("projection_tracking", ("projection", "source", "part"), ("last_offset",)),
                    (name, source, part, offset),
                )
            for service, stream_id in versions:
                tx.execute(
                    self.db.upsert("projection_streams", ("projection", "service", "stream_id"), ("version",)),
                    (name, service, stream_id, streams[(service, stream_id)]),
                )
            for source, part in moved:
                tx.execute(
                    self.db.upsert("projection_partitions", ("projection", "source", "part"), ("position",)),
                    (name, source, part, passed[(source, part)]),
                )
            partitioned = sorted({source for source, _ in moved if self.partition_counts.get(source, 1) > 1})
            if partitioned:
                self._cover(tx, partitioned, passed, positions, touched)
            for service in touched:
                tx.execute(
                    self.db.upsert("projection_positions", ("projection", "service"), ("position",))
                    + " WHERE projection_positions.position < excluded.position",
                    (name, service, positions[service]),
                )
            if alarms:
                self._clear_reached_alarms(tx, alarms)
        self._positions = positions
        self._alarms = alarms
        self._passed = passed
        if len(streams) > STREAM_CACHE_LIMIT:
            streams = {}
        self._streams = streams
        if self.claimed is not None:
            self.claimed.update({key: offset for key, offset in offsets.items() if key in self.claimed})
        now = datetime.now(UTC)
        for occurred in lags:
            projection_lag.record((now - occurred).total_seconds() * 1000, {"projection": self.projection.name})
        return applied

    def _envelope(self, tx: Tx, item: Item) -> Envelope | None:
        if item.watermark is not None or item.envelope is not None:
            return item.envelope
        try:
            return Envelope.from_bytes(item.raw or b"")
        except ValueError as error:
            self._dead_letter(tx, item, None, f"undecodable envelope: {error}")
            return None

    def _fence(self, tx: Tx, items: Sequence[Item]) -> None:
        """Consumer-group mode: lock the batch's partitions' tracking rows and check each is where this member
        left it. A member that lost a partition in a rebalance (and has not noticed yet) and the one that got it
        take turns on the row, and the second sees the offset moved: a batch is never applied twice."""
        assert self.claimed is not None
        for key in sorted({(item.source, item.partition) for item in items}):
            if key not in self.claimed:
                raise PartitionMoved(f"{key[0]}/{key[1]} is not assigned to this member")
            lock = " FOR UPDATE" if self.db.dialect == "postgres" else ""
            row = tx.fetchone("SELECT last_offset FROM projection_tracking WHERE projection = %s AND source = %s "
                              f"AND part = %s{lock}", (self.projection.name, key[0], key[1]))
            stored = None if row is None else int(row[0])
            if stored != self.claimed[key]:
                raise PartitionMoved(f"{key[0]}/{key[1]} is at offset {stored}, this member left it at "
                                     f"{self.claimed[key]}")

    def _load_passed(self, tx: Tx) -> dict[tuple[str, int], int]:
        rows = tx.fetchall("SELECT source, part, position FROM projection_partitions WHERE projection = %s",
                           (self.projection.name,))
        return {(str(source), int(part)): int(position) for source, part, position in rows}

    def _load_streams(self, tx: Tx, envelopes: list[Envelope]) -> dict[tuple[str, str], int]:
        """The cached stream versions, with those of the batch's streams not cached yet read from the table."""
        streams = self._streams
        wanted: dict[str, set[str]] = {}
        for envelope in envelopes:
            if (envelope.service, envelope.stream_id) not in streams:
                wanted.setdefault(envelope.service, set()).add(envelope.stream_id)
        for service, ids in wanted.items():
            ordered = sorted(ids)
            for start in range(0, len(ordered), 500):
                chunk = ordered[start:start + 500]
                rows = tx.fetchall(
                    "SELECT stream_id, version FROM projection_streams WHERE projection = %s AND service = %s "
                    f"AND stream_id IN ({', '.join(['%s'] * len(chunk))})",
                    (self.projection.name, service, *chunk),
                )
                found = {str(stream_id): int(version) for stream_id, version in rows}
                for stream_id in chunk:
                    streams[(service, stream_id)] = found.get(stream_id, 0)
        return streams

    def _cover(self, tx: Tx, sources: list[str], passed: dict[tuple[str, int], int], positions: dict[str, int],
               touched: set[str]) -> None:
        """The covered position of each partitioned source's service: the lowest position passed by every
        partition of it, those of other projectors read from the table. Under a transaction lock per read model:
        two projectors committing together would each miss the other's rows and keep a stale minimum."""
        if self.db.dialect == "postgres":
            tx.fetchall("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"{POSITIONS_LOCK}.{self.projection.name}",))
        for source in sources:
            rows = tx.fetchall("SELECT part, position FROM projection_partitions WHERE projection = %s "
                               "AND source = %s", (self.projection.name, source))
            stored = {int(part): int(position) for part, position in rows}
            for (other, part), position in passed.items():
                if other == source:
                    stored[part] = max(stored.get(part, 0), position)
            floor = min(stored.get(part, 0) for part in range(self.partition_counts[source]))
            service = service_of(source)
            if floor > positions.get(service, 0):
                positions[service] = floor
                touched.add(service)

    def _apply(self, tx: Tx, handler: Callable[[Tx, Envelope, Any], None], envelope: Envelope,
               payload: Any, item: Item) -> None:
        traceparent = item.traceparent or envelope.traceparent
        parent = context_from_traceparent(traceparent)
        if parent is None or not trace.get_current_span(parent).get_span_context().trace_flags.sampled:
            handler(tx, envelope, payload)
            return
        with tracer.start_as_current_span(f"project {self.projection.name} {envelope.type}", context=parent):
            handler(tx, envelope, payload)

    def _dead_letter(self, tx: Tx, item: Item, envelope: Envelope | None, reason: str) -> None:
        body = envelope.model_dump_json() if envelope is not None else (item.raw or b"").decode("utf-8", "replace")
        tx.execute(
            self.db.upsert(
                "dead_letters",
                ("projection", "source", "part", "msg_offset"),
                ("event_type", "schema_version", "reason", "body", "recorded_at"),
            ),
            (
                self.projection.name, item.source, item.partition, item.offset,
                envelope.type if envelope else None, envelope.schema_version if envelope else None,
                reason, body, datetime.now(UTC).isoformat(),
            ),
        )
        dead_letters.add(1, {"projection": self.projection.name})
        log.warning("dead-lettered %s at %s/%s/%s: %s", envelope.type if envelope else "?",
                    item.source, item.partition, item.offset, reason)
        if self.dead_letter_sink is not None:
            self.dead_letter_sink(self.projection.name, item, reason)

    def dead_letter_count(self) -> int:
        with self.db.transaction() as tx:
            row = tx.fetchone("SELECT COUNT(*) FROM dead_letters WHERE projection = %s", (self.projection.name,))
        return int(row[0]) if row else 0


def _conflict(error: BaseException) -> bool:
    """PostgreSQL aborted the transaction for a deadlock or a serialisation failure: trying again can succeed."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - the embedded mode without the PostgreSQL driver
        return False
    return isinstance(error, (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure))
