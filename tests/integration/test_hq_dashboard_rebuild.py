"""The HQ dashboard computes its stage and item updates in SQL, without reading a row back per event: on the
same histories it must give the same read model (checksum) as the implementation that read back (kept here as
the reference), in both dialects. Histories: the demo scenario with the interleavings' epilogue, a generated one
(bench/scale.py) and random ones that go where the demo does not (stages and progress reported with earlier
days than the stored ones, an overdue stage at each place of the list, stages after closure, a closed item
reopened, events for rows that do not exist). Real PostgreSQL."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bench.scale import generate, settings_for
from bench.support import pg_env
from events import ledgers as c
from events.catalog import load_all
from events.envelope import Envelope
from paizhu.demo import DEMO_START, seed_demo
from paizhu.platform import Platform
from paizhu.services import build_app
from paizhu.settings import Settings
from projections.common.db import Database, SqliteDatabase, Tx, connect
from projections.common.projection import handles
from projections.hq_dashboard.projection import (
    ACTIVE_ITEM,
    CLOSING_STAGE,
    FIRST_AGENDA_ALERTS,
    HqDashboard,
    directive_stalls_on,
    item_stalls_on,
)
from runtime.projection_feeds import LogFollower, Reader
from runtime.projection_runner import ProjectionRunner
from services.common.clock import ManualClock, beijing_date
from services.ledgers.domainmodel import STAGES
from tests.conftest import settings_from
from tests.factories import make_envelope
from tests.integration.test_partition_interleavings import epilogue

pytestmark = pytest.mark.integration
load_all()


class ReadBackHqDashboard(HqDashboard):
    """The reference: the handlers as they were, each reading its row (or an alert's title) back first."""

    @handles("ledgers.DirectiveStageRecorded")
    def stage_recorded(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        closed_on = payload.done_on.isoformat() if payload.stage == CLOSING_STAGE else None
        tx.execute(
            "UPDATE hq_directives SET stages_done = stages_done + 1, last_stage = %s, updated_at = %s,"
            " closed_on = COALESCE(closed_on, %s) WHERE directive_id = %s",
            (payload.stage, envelope.occurred_at.isoformat(), closed_on, payload.directive_id),
        )
        row = tx.fetchone("SELECT overdue_stages, last_activity_on, closed_on FROM hq_directives"
                          " WHERE directive_id = %s", (payload.directive_id,))
        if row is None:
            return
        last_activity_on = max(str(row[1]), payload.done_on.isoformat())
        tx.execute("UPDATE hq_directives SET last_activity_on = %s, stalls_on = %s WHERE directive_id = %s",
                   (last_activity_on, None if row[2] else directive_stalls_on(last_activity_on),
                    payload.directive_id))
        if payload.stage in json.loads(row[0]):
            stages = [s for s in json.loads(row[0]) if s != payload.stage]
            tx.execute("UPDATE hq_directives SET overdue_stages = %s WHERE directive_id = %s",
                       (json.dumps(stages), payload.directive_id))

    @handles("ledgers.ItemProgressUpdated", "ledgers.ItemEvidenceAttached", "ledgers.ItemClosed",
             "ledgers.ItemReopened")
    def item_progress(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        row = tx.fetchone("SELECT status, last_progress_on FROM hq_items WHERE item_id = %s", (payload.item_id,))
        if row is None:
            return
        status = {"ledgers.ItemProgressUpdated": getattr(payload, "status", None), "ledgers.ItemClosed": "closed",
                  "ledgers.ItemReopened": "open"}.get(envelope.type) or str(row[0])
        last = max(str(row[1]), beijing_date(envelope.occurred_at).isoformat())
        tx.execute("UPDATE hq_items SET status = %s, last_progress_on = %s, stalls_on = %s WHERE item_id = %s",
                   (status, last, item_stalls_on(last) if status in ACTIVE_ITEM else None, payload.item_id))

    @handles("ledgers.StageOverdue")
    def stage_overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        row = tx.fetchone("SELECT overdue_stages, title FROM hq_directives WHERE directive_id = %s",
                          (payload.directive_id,))
        if row is None:
            return
        stages = sorted(set(json.loads(row[0])) | {payload.stage})
        tx.execute("UPDATE hq_directives SET overdue_stages = %s WHERE directive_id = %s",
                   (json.dumps(stages), payload.directive_id))
        self._alert(tx, envelope, "stage_overdue", payload.directive_id, str(row[1]), payload.due_on,
                    payload.detected_on)

    @handles("ledgers.FirstAgendaItemRecorded")
    def first_agenda(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        """第一议题 studied late, or not as the first agenda item: an alert (due: the threshold's last day)."""
        if payload.outcome not in FIRST_AGENDA_ALERTS:
            return
        row = tx.fetchone("SELECT title FROM hq_directives WHERE directive_id = %s", (payload.directive_id,))
        if row is None:
            return
        self._alert(tx, envelope, FIRST_AGENDA_ALERTS[payload.outcome], payload.directive_id, str(row[0]),
                    payload.due_on, payload.studied_on)

    def _title(self, tx: Tx, record_id: str) -> str:
        row = tx.fetchone("SELECT title FROM hq_titles WHERE record_id = %s", (record_id,))
        return str(row[0]) if row else ""

    @handles("ledgers.ItemOverdue")
    def item_overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._alert(tx, envelope, "item_overdue", payload.item_id, self._title(tx, payload.item_id), payload.due_on,
                    payload.detected_on)

    @handles("ledgers.SchedulingRoundOverdue")
    def round_overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._alert(tx, envelope, "round_overdue", payload.round_id, self._title(tx, payload.round_id),
                    payload.respond_by, payload.detected_on)

    def _alert(self, tx: Tx, envelope: Envelope, kind: str, record_id: str, title: str, due_on: Any,
               detected_on: Any) -> None:
        tx.execute(
            "INSERT INTO hq_alerts (alert_id, group_id, unit_id, distribution, kind, record_id, title, due_on,"
            " detected_on, occurred_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (alert_id) DO NOTHING",
            (f"{envelope.service}:{envelope.position:020d}", envelope.group_id or "", envelope.unit_id,
             envelope.distribution, kind, record_id, title, due_on.isoformat(), detected_on.isoformat(),
             envelope.occurred_at.isoformat()),
        )

Readers = dict[str, Reader]


def rebuilt(projection: HqDashboard, db: Database, readers: Readers) -> tuple[str, dict[str, Any]]:
    """A from-zero rebuild: its checksum and every row (to show where two rebuilds differ)."""
    runner = ProjectionRunner(projection, db)
    runner.setup()
    runner.reset()
    assert LogFollower(runner, readers).run_once() > 0
    assert runner.dead_letter_count() == 0
    with db.transaction() as tx:
        rows = {table: sorted(tx.fetchall(f"SELECT * FROM {table}"), key=repr) for table in projection.tables}
    return projection.checksum(db), rows


def assert_same_model(db: Database, readers: Readers) -> None:
    reference, reference_rows = rebuilt(ReadBackHqDashboard(), db, readers)
    checksum, rows = rebuilt(HqDashboard(), db, readers)
    assert rows == reference_rows
    assert checksum == reference


def listed(envelopes: list[Envelope]) -> Reader:
    def reader(after: int, limit: int) -> tuple[list[Envelope], int]:
        page = [e for e in envelopes if e.position > after][:limit]
        return page, page[-1].position if page else after

    return reader


def random_history(seed: int, events: int = 600) -> list[Envelope]:
    """Directives and items of a few groups, their events in a random order with random days (often earlier
    than the stored ones), overdue alerts (some for records never opened, whose title is then empty),
    some events for records never registered or opened."""
    rng = random.Random(seed)
    start = date(2025, 1, 1)
    directives, items = [f"d{n}" for n in range(12)], [f"i{n}" for n in range(12)]

    def day() -> date:
        return start + timedelta(days=rng.randint(0, 120))

    def payload() -> Any:
        directive_id, item_id = rng.choice(directives + ["d-none"]), rng.choice(items + ["i-none"])
        stage, round_id = rng.choice(STAGES), rng.choice(("r1", "r2", "r-none"))
        return rng.choice([
            lambda: c.DirectiveRegistered(directive_id=directive_id, reference_number=f"文{directive_id}",
                                          issuer="中办", title=f"批示{directive_id}", issued_on=start,
                                          received_on=day(), lead_department="办公厅", category=None,
                                          tied_to_duties=False),
            lambda: c.DirectiveStageRecorded(directive_id=directive_id, stage=stage, done_on=day(),
                                             skipped_with_reason=False),
            lambda: c.DirectiveStageRecorded(directive_id=directive_id, stage=stage, done_on=day(),
                                             skipped_with_reason=False),
            lambda: c.StageOverdue(directive_id=directive_id, stage=stage, due_on=day(), detected_on=day()),
            lambda: c.StageOverdue(directive_id=directive_id, stage=stage, due_on=day(), detected_on=day()),
            lambda: c.DirectiveAmended(directive_id=directive_id, changes={"received_on": day().isoformat()},
                                       previous={}, reason="更正"),
            lambda: c.ItemOpened(item_id=item_id, directive_id=directive_id, list_kind="task", title=f"事项{item_id}",
                                 owner="司", deadline_rule=None, due_on=day(), problem_type=None, source="group",
                                 source_ref=None),
            lambda: c.ItemProgressUpdated(item_id=item_id, status=rng.choice(("in_progress", "done", "open")),
                                          summary="进展", report_ref=None),
            lambda: c.ItemEvidenceAttached(item_id=item_id, added=1),
            lambda: c.ItemClosed(item_id=item_id, evidence_count=1, closed_on=day(), look_back_due_on=day()),
            lambda: c.ItemReopened(item_id=item_id, reason="复查", reopened_on=day(), due_on=None),
            lambda: c.ItemOverdue(item_id=item_id, due_on=day(), detected_on=day()),
            lambda: c.SchedulingRoundOpened(round_id=round_id, subject=f"调度{round_id}", directive_ids=[directive_id],
                                            respond_by=day()),
            lambda: c.SchedulingRoundOverdue(round_id=round_id, respond_by=day(), detected_on=day(),
                                             missing_directive_ids=[directive_id]),
            lambda: c.FirstAgendaItemRecorded(directive_id=directive_id, first_agenda_item=rng.random() < 0.5,
                                              studied_on=day(), received_on=day(), working_days_after_receipt=3,
                                              threshold_working_days=2, due_on=day(), calendar="weekdays", provisional=False,
                                              outcome=rng.choice(("in_time", "late", "missed"))),
        ])()

    history = []
    for position in range(1, events + 1):
        envelope = make_envelope(payload(), service="ledgers", position=position,
                                 group_id=rng.choice(("group-mee", "group-mwr")))
        occurred = datetime.combine(day(), datetime.min.time(), UTC) + timedelta(hours=rng.randint(0, 23))
        history.append(envelope.model_copy(update={"occurred_at": occurred}))
    return history


@pytest.fixture(scope="module")
def pg(pg_database: str) -> Iterator[Database]:
    database = connect(settings_from({"PAIZHU_MODE": "distributed", **pg_env(pg_database)}).read_models_url())
    try:
        yield database
    finally:
        database.close()


@pytest.fixture(scope="module")
def demo() -> Iterator[Platform]:
    clock = ManualClock(DEMO_START)
    platform = Platform(Settings(mode="embedded", data_dir=Path("unused"), demo=True), clock=clock, in_memory=True)
    assert seed_demo(platform, clock)
    epilogue(platform, clock)
    try:
        yield platform
    finally:
        platform.stop()


def test_the_demo_history_gives_the_read_back_implementations_model(demo: Platform, pg: Database,
                                                                      tmp_path: Path) -> None:
    event_types = HqDashboard().event_types
    readers = {service: app.reader_for(event_types) for service, app in demo.apps.items()}
    for db in (pg, SqliteDatabase(tmp_path / "hq.sqlite")):
        assert_same_model(db, readers)


@pytest.mark.parametrize("seed", range(3))
def test_random_histories_give_the_read_back_implementations_model(seed: int, pg: Database, tmp_path: Path) -> None:
    readers = {"ledgers": listed(random_history(seed))}
    for db in (pg, SqliteDatabase(tmp_path / "hq.sqlite")):
        assert_same_model(db, readers)


def test_a_generated_history_gives_the_read_back_implementations_model(pg_database: str, pg: Database,
                                                                       tmp_path: Path) -> None:
    settings, keys = settings_for(pg_database, tmp_path)
    ledgers, units = build_app(settings, keys, "ledgers"), build_app(settings, keys, "units")
    try:
        generate(ledgers, units, groups=2, events=1200)
        assert_same_model(pg, {"ledgers": ledgers.reader_for(HqDashboard().event_types)})
    finally:
        ledgers.close()
        units.close()
