"""Meeting supervision, the network's joint work (unit_channel) and accountability (group_workbench) on SQLite and
PostgreSQL from the demo's events: the same rows and checksums, authorised in the query, rebuilt identically."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from authz import Principal
from authz.filters import read_filter
from bench.support import pg_dsn
from paizhu.demo import DEMO_START, seed_demo
from paizhu.platform import Platform
from paizhu.settings import Settings
from projections.common.db import Database, SqliteDatabase, connect
from projections.common.projection import Projection
from projections.common.query import PageRequest, sort_named
from projections.group_workbench import view as workbench
from projections.group_workbench.projection import GroupWorkbench
from projections.unit_channel import view as channel
from projections.unit_channel.projection import UnitChannel
from runtime.projection_feeds import LogFollower
from runtime.projection_runner import ProjectionRunner
from services.common.clock import ManualClock

pytestmark = pytest.mark.integration

HQ = Principal("chen.hq", "陈", "hq", "hq", frozenset({"hq_staff"}))
UNIT = Principal("zhao.unit", "赵磊", "unit-mee", "unit", frozenset({"unit_liaison"}), unit_id="unit-mee")
OTHER_GROUP = Principal("he.leader2", "何军", "group-mwr", "group", frozenset({"group_leader"}), group_id="group-mwr")


@pytest.fixture(scope="module")
def platform() -> Iterator[Platform]:
    clock = ManualClock(DEMO_START)
    demo = Platform(Settings(mode="embedded", data_dir=Path("unused"), demo=True), clock=clock, in_memory=True)
    seed_demo(demo, clock)
    yield demo


def build(db: Database, projection: Projection, platform: Platform) -> ProjectionRunner:
    runner = ProjectionRunner(projection, db)
    runner.setup()
    sources = {name: app.integration_events for name, app in platform.apps.items()}
    LogFollower(runner, sources).run_once()
    return runner


def rows(db: Database, query: Any) -> list[dict[str, Any]]:
    with db.transaction() as tx:
        return list(query(tx).rows)


def contacts(db: Database, who: Principal) -> list[dict[str, Any]]:
    readable = read_filter(who, channel.ROWS)
    sort = sort_named(channel.CONTACTS.sorts, "held_on", channel.CONTACTS.default_sort)
    return rows(db, lambda tx: channel.CONTACTS.page(tx, readable, PageRequest(limit=50), sort, {"unit_id": "unit-mee"}))


def activities(db: Database, who: Principal) -> list[dict[str, Any]]:
    readable = read_filter(who, channel.ROWS)
    listing = channel.NETWORK_ACTIVITIES
    sort = sort_named(listing.sorts, "held_on", listing.default_sort)
    return rows(db, lambda tx: listing.page(tx, readable, PageRequest(limit=50), sort, {"unit_id": "unit-mee"}))


def accountabilities(db: Database, who: Principal) -> list[dict[str, Any]]:
    sort = sort_named(workbench.ACCOUNTABILITY_SORTS, "proposed_on", "proposed_on")
    return rows(db, lambda tx: workbench.accountabilities(tx, who, None, None, None, None, sort, PageRequest(limit=50)))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_demo_rows_are_the_same_on_both_backends_and_rebuild_to_the_same_checksum(
        platform: Platform, backend: str, pg_database: str) -> None:
    db = SqliteDatabase(":memory:") if backend == "sqlite" else connect(pg_dsn(pg_database))
    for projection in (UnitChannel(), GroupWorkbench()):
        runner = build(db, projection, platform)
        first = projection.checksum(db)
        runner.reset()
        LogFollower(runner, {n: a.integration_events for n, a in platform.apps.items()}).run_once()
        assert projection.checksum(db) == first
    # three contacts with the leadership, by date; the unit never sees them, the network's work it does
    assert [(r["kind"], r["stage"], r["matter_count"]) for r in contacts(db, HQ)] == [
        ("leadership_meeting", "relay_study", 1), ("exchange_of_views", None, 0), ("talk", None, 0)]
    assert contacts(db, UNIT) == [] and contacts(db, OTHER_GROUP) == []
    assert [r["kind"] for r in activities(db, UNIT)] == ["joint_meeting", "training", "training_by_doing"]
    assert activities(db, OTHER_GROUP) == []
    [accountability] = accountabilities(db, HQ)
    assert (accountability["proposed_form"], accountability["status"], accountability["decided_form"]) == (
        "admonishment", "decided", "admonishment")
    assert accountabilities(db, UNIT) == []
    with db.transaction() as tx:
        figures = workbench.accountability_figures(tx, HQ)
    assert figures == [{"group_id": "group-mee", "proposed": 1, "pending": 0, "decided": 1, "not_pursued": 0,
                        "decided_by_form": {"admonishment": 1}}]
