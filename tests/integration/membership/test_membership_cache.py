"""Distributed mode: a gateway process caches memberships under the generation the membership projector
committed, read at most every `max_age` seconds; a removed member is refused at most `max_age` after the
projector committed the removal, never later (and at once when the cache is off)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bench.support import pg_env
from events.catalog import load_all
from projections.common.db import Database, Tx, connect
from projections.membership.projection import Membership
from projections.membership.view import CommittedGeneration, MembershipView
from runtime.projection_feeds import LogFollower
from runtime.projection_runner import ProjectionRunner
from services.units.application import UnitsApplication
from tests.conftest import settings_from

pytestmark = pytest.mark.integration

load_all()


class Counted(Database):
    """A database that counts its transactions (and can be made to fail)."""

    def __init__(self, db: Database) -> None:
        self.db, self.dialect, self.transactions, self.down = db, db.dialect, 0, False

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        if self.down:
            raise ConnectionError("read-model database unreachable")
        self.transactions += 1
        with self.db.transaction() as tx:
            yield tx


@pytest.fixture
def app() -> UnitsApplication:
    app = UnitsApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.register_organisation(org_id="group-nea", org_kind="group", name="驻国家能源局纪检监察组")
    app.add_organisation_member(org_id="group-nea", user_id="gao.lead", name="高峰", roles=["group_leader"])
    return app


@pytest.fixture
def runner(pg_database: str, app: UnitsApplication) -> Iterator[ProjectionRunner]:
    db = connect(settings_from({**pg_env(pg_database), "PAIZHU_MODE": "distributed"}).read_models_url())
    runner = ProjectionRunner(Membership(), db)
    runner.reset()
    follow(runner, app)
    try:
        yield runner
    finally:
        db.close()


def follow(runner: ProjectionRunner, app: UnitsApplication) -> None:
    LogFollower(runner, {"units": app.integration_events}).run_once()


def test_a_removed_member_is_refused_once_the_bound_has_passed_never_later(
    app: UnitsApplication, runner: ProjectionRunner
) -> None:
    now = [100.0]
    db = Counted(runner.db)
    view = MembershipView(db, generation=CommittedGeneration(db, max_age=0.25, clock=lambda: now[0]))
    assert view.membership("gao.lead", "group-nea") is not None
    reads = db.transactions
    for _ in range(10):  # within the bound: from memory, no statement
        assert view.membership("gao.lead", "group-nea") is not None
    assert db.transactions == reads
    app.remove_organisation_member(org_id="group-nea", user_id="gao.lead", reason="调任 (transferred)")
    follow(runner, app)  # the projector committed the removal
    now[0] += 0.25  # the bound passed since the generation was read
    assert view.membership("gao.lead", "group-nea") is None
    # a member added again is a member again, within the same bound
    app.add_organisation_member(org_id="group-nea", user_id="gao.lead", name="高峰", roles=["group_leader"])
    follow(runner, app)
    now[0] += 0.25
    assert view.membership("gao.lead", "group-nea") is not None


def test_in_real_time_a_removal_is_refused_within_the_bound(app: UnitsApplication, runner: ProjectionRunner) -> None:
    view = MembershipView(runner.db, generation=CommittedGeneration(runner.db, max_age=0.2))
    assert view.membership("gao.lead", "group-nea") is not None
    app.remove_organisation_member(org_id="group-nea", user_id="gao.lead", reason="调任 (transferred)")
    follow(runner, app)
    committed = time.monotonic()
    while True:
        asked = time.monotonic()
        if view.membership("gao.lead", "group-nea") is None:
            break
        assert asked - committed < 0.2, "a removed member was served past the bound"
        time.sleep(0.005)


def test_a_rebuild_never_brings_a_generation_back(app: UnitsApplication, runner: ProjectionRunner) -> None:
    now = [100.0]
    generation = CommittedGeneration(runner.db, max_age=0.25, clock=lambda: now[0])
    view = MembershipView(runner.db, generation=generation)
    before = generation()
    assert view.membership("gao.lead", "group-nea") is not None
    runner.reset()  # `paizhu rebuild membership`: the read model emptied, then replayed
    now[0] += 0.25
    assert generation() > before
    assert view.membership("gao.lead", "group-nea") is None  # emptied: not the cached member
    follow(runner, app)
    now[0] += 0.25
    assert view.membership("gao.lead", "group-nea") is not None


def test_nothing_is_answered_from_memory_past_the_bound_when_the_database_fails(runner: ProjectionRunner) -> None:
    now = [100.0]
    db = Counted(runner.db)
    view = MembershipView(db, generation=CommittedGeneration(db, max_age=0.25, clock=lambda: now[0]))
    assert view.membership("gao.lead", "group-nea") is not None
    db.down = True
    assert view.membership("gao.lead", "group-nea") is not None  # within the bound
    now[0] += 0.25
    with pytest.raises(ConnectionError):
        view.membership("gao.lead", "group-nea")


def test_a_read_model_of_an_older_schema_is_never_cached(runner: ProjectionRunner) -> None:
    with runner.db.transaction() as tx:  # as a projector of the previous version records it
        tx.execute("UPDATE projection_schema SET version = 1 WHERE name = 'membership'")
    db = Counted(runner.db)
    view = MembershipView(db, generation=CommittedGeneration(db, max_age=60))
    for _ in range(3):
        assert view.membership("gao.lead", "group-nea") is not None
    assert db.transactions == 6  # the generation and the membership, every time
