"""A read model as it was at a past moment ("what did the HQ dashboard show on 1 March?").

The projection is rebuilt into a temporary database from the services' stores, each read up to a cut: a position
in each service's log (`ledgers=120,clues=7`, or a bare number when the projection reads one service only), or
an ISO date or time (every event recorded up to then; a date covers its whole day). The stores are only read,
but for the use itself: like every forensic use it is recorded (who, which projection, which moment, why) in the
forensic log of each service the projection reads (`services.common.forensic_log`), before anything is rebuilt;
a use without a reason is refused. Nothing else is created, the live read model is not touched. The result is
the projection's checksum (equal to the live read model's checksum at that moment) and its main figures.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from events.envelope import Envelope
from paizhu.settings import Settings
from services.common.forensics import after_cut

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+([+-]\d{2}:\d{2}|Z)?)?$")
Reader = Callable[[int, int], tuple[list[Envelope], int]]


class CutError(ValueError):
    """The cut names no moment this projection can be replayed to."""


@dataclass
class Cut:
    positions: dict[str, int] = field(default_factory=dict)
    """service → the last position of its log that counts"""
    at: str | None = None
    """an ISO date or time: every event recorded up to then"""

    def describe(self) -> dict[str, Any]:
        return {"at": self.at} if self.at else {"positions": dict(self.positions)}


def sources_of(projection: Any) -> list[str]:
    """The services whose events the projection reads (its handlers' event types are `service.Type`)."""
    return sorted({event_type.partition(".")[0] for event_type in projection.event_types})


def parse_cut(text: str, sources: list[str]) -> Cut:
    """`2025-03-01`, `2025-03-01T12:00:00+08:00`, `ledgers=120,clues=7` or `120` (one source only)."""
    text = text.strip()
    if ISO.match(text):
        return Cut(at=text.replace(" ", "T"))
    if text.isdigit():
        if len(sources) != 1:
            raise CutError(f"该投影读取多个服务，须逐一给出位置 (the projection reads {', '.join(sources)}: give "
                           f"each position, e.g. {','.join(s + '=0' for s in sources)})")
        return Cut(positions={sources[0]: int(text)})
    positions: dict[str, int] = {}
    for part in text.split(","):
        service, _, position = part.partition("=")
        service = service.strip()
        if service not in sources or not position.strip().isdigit():
            raise CutError(f"无效的时点 (not a moment): {part!r}; 应为 ISO 日期/时间或 服务=位置 (an ISO date/time or "
                           f"service=position, services: {', '.join(sources)})")
        positions[service] = int(position)
    missing = [s for s in sources if s not in positions]
    if missing:
        raise CutError(f"缺少服务的位置 (no position for): {', '.join(missing)}")
    return Cut(positions=positions)


def cut_reader(read: Reader, service: str, cut: Cut) -> Reader:
    """The service's published events up to the cut, as the projection's feed reads them."""
    upto = cut.positions.get(service)
    stopped: list[int] = []

    def reader(after: int, limit: int) -> tuple[list[Envelope], int]:
        if stopped or (upto is not None and after >= upto):
            return [], after
        envelopes, last = read(after, limit if upto is None else min(limit, upto - after))
        if upto is not None:
            return [e for e in envelopes if e.position <= upto], min(last, upto)
        assert cut.at is not None
        for index, envelope in enumerate(envelopes):
            if after_cut(cut.at, envelope.occurred_at.isoformat()):
                stopped.append(envelope.position)
                return envelopes[:index], envelope.position - 1
        return envelopes, last

    return reader


PROJECTION_KIND = "Projection"
"""The `kind` a projection replay is recorded with in the forensic log (its `record_id` is the projection)."""


def replay_projection(settings: Settings, name: str, cut_text: str,
                      progress: Callable[[int, int], None] | None = None, *, actor: dict[str, str],
                      reason: str) -> dict[str, Any]:
    """Rebuild projection `name` as of the cut into a temporary database: its checksum and main figures.

    The use is recorded first, by `actor` with `reason` (InvalidInputError when the reason is blank), in the
    forensic log of every service the projection reads. `progress(done, total)` is called after each batch
    (positions read over positions to read)."""
    from events.catalog import load_all
    from paizhu.keys import reading_keys
    from paizhu.services import build_app
    from paizhu.stored_logs import StoreNotFoundError, missing_stores
    from projections.catalog import available
    from projections.common.db import connect
    from runtime.projection_feeds import LogFollower
    from runtime.projection_runner import ProjectionRunner
    from services.common.errors import InvalidInputError
    from services.common.forensic_log import record_forensic_use

    if not reason or not reason.strip():
        raise InvalidInputError("须说明事由 (a reason is required)", code="reason_required")
    projection = available()[name]()
    sources = sources_of(projection)
    cut = parse_cut(cut_text, sources)
    missing = missing_stores(settings)
    if missing:
        raise StoreNotFoundError(missing)
    load_all()
    keys = reading_keys(settings)
    apps = {s: build_app(settings, keys, s) for s in sources}
    try:
        for app in apps.values():
            record_forensic_use(app, actor, "replay_projection", name, PROJECTION_KIND, reason, "allowed",
                                {"cut": cut.describe()})
        ends = {s: app.max_position() for s, app in apps.items()}
        targets = {s: min(ends[s], cut.positions.get(s, ends[s])) for s in sources}
        total = sum(targets.values())
        done: dict[str, int] = {}

        def tracked(service: str, read: Reader) -> Reader:
            def reader(after: int, limit: int) -> tuple[list[Envelope], int]:
                envelopes, last = read(after, limit)
                done[service] = last
                if progress is not None:
                    progress(sum(done.values()), total)
                return envelopes, last

            return reader

        readers = {s: tracked(s, cut_reader(app.integration_events, s, cut)) for s, app in apps.items()}
        with tempfile.TemporaryDirectory(prefix="paizhu-replay-") as directory:
            db = connect(f"sqlite://{Path(directory) / 'replay.db'}")
            try:
                runner = ProjectionRunner(projection, db)
                runner.setup()
                events = LogFollower(runner, readers, batch=2000).run_once()
                reached = {s: done.get(s, 0) for s in sources}
                result = {"projection": name, "cut": cut.describe(), "positions": reached, "events": events,
                          "checksum": projection.checksum(db), "figures": projection.figures(db)}
            finally:
                db.close()
        return result
    finally:
        for app in apps.values():
            app.close()
