"""The gateway's per-request membership lookup in distributed mode, before and after the generation cache:
`MembershipView.membership` from THREADS threads over a PostgreSQL read model of GROUPS groups × MEMBERS
members (ACTIVE of them signed in and asking), with every call reading the database (before: `membership_cache_ms = 0`) and with the generation the
projector committed read at most every 250 ms (after), the latter also while one member a second is removed.

`python -m bench.membership_lookup`; prints JSON (writes no results file)."""

from __future__ import annotations

import json
import os
import random
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bench.support import create_database, drop_database, pg_dsn
from events.catalog import load_all
from projections.common.db import Database, Tx, connect
from projections.membership.projection import Membership
from projections.membership.view import CommittedGeneration, MembershipView
from runtime.projection_feeds import LogFollower
from runtime.projection_runner import ProjectionRunner
from services.units.application import UnitsApplication

GROUPS = int(os.environ.get("PAIZHU_BENCH_MEMBERSHIP_GROUPS", "100"))
MEMBERS = int(os.environ.get("PAIZHU_BENCH_MEMBERSHIP_MEMBERS", "20"))
THREADS = int(os.environ.get("PAIZHU_BENCH_MEMBERSHIP_THREADS", "8"))
SECONDS = float(os.environ.get("PAIZHU_BENCH_MEMBERSHIP_SECONDS", "10"))
ACTIVE = int(os.environ.get("PAIZHU_BENCH_MEMBERSHIP_ACTIVE", "200"))


class Counted(Database):
    """The read-model database, counting its transactions (the statements a lookup costs)."""

    def __init__(self, db: Database) -> None:
        self.db, self.dialect, self.max_size, self.transactions = db, db.dialect, db.max_size, 0

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        self.transactions += 1
        with self.db.transaction() as tx:
            yield tx


def _run(db: Counted, cache: float, people: list[tuple[str, str]], churn: Callable[[], None] | None
         ) -> dict[str, float]:
    view = MembershipView(db, CommittedGeneration(db, cache) if cache else None)
    db.transactions = 0
    stop = threading.Event()
    times: list[list[float]] = [[] for _ in range(THREADS)]

    def reader(mine: list[float]) -> None:
        rng = random.Random(len(mine))
        while not stop.is_set():
            user, org = rng.choice(people)
            started = time.perf_counter()
            view.membership(user, org)
            mine.append(time.perf_counter() - started)

    threads = [threading.Thread(target=reader, args=(t,)) for t in times]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        if churn is not None:
            churn()
        time.sleep(1.0)
    stop.set()
    for thread in threads:
        thread.join()
    every = sorted(t for mine in times for t in mine)
    return {"calls_per_s": round(len(every) / SECONDS), "reads_per_call": round(db.transactions / len(every), 3), "p50_us": round(statistics.median(every) * 1e6, 1),
            "p99_us": round(every[int(len(every) * 0.99)] * 1e6, 1)}


def main() -> None:
    load_all()
    name = create_database("paizhu_bench_membership_")
    pool = connect(pg_dsn(name), pool_size=8)
    db = Counted(pool)
    try:
        app = UnitsApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
        people = []
        for g in range(GROUPS):
            app.register_organisation(org_id=f"group-{g}", org_kind="group", name=f"第{g}组")
            for m in range(MEMBERS):
                app.add_organisation_member(org_id=f"group-{g}", user_id=f"user-{g}-{m}", name=f"成员{m}",
                                            roles=["group_staff"])
                people.append((f"user-{g}-{m}", f"group-{g}"))
        runner = ProjectionRunner(Membership(), pool)
        runner.setup()
        follow = LogFollower(runner, {"units": app.integration_events}, batch=5000)
        follow.run_once()
        active = random.Random(1).sample(people, min(ACTIVE, len(people)))
        removed = iter(active)

        def churn() -> None:  # one member removed a second, projected at once
            user, org = next(removed)
            app.remove_organisation_member(org_id=org, user_id=user, reason="调任 (transferred)")
            follow.run_once()

        results = {
            "before_every_call_reads": _run(db, 0, active, None),
            "after_generation_250ms": _run(db, 0.25, active, None),
            "after_with_one_removal_a_second": _run(db, 0.25, active, churn),
        }
        print(json.dumps({"groups": GROUPS, "members": GROUPS * MEMBERS, "active": len(active), "threads": THREADS, "seconds": SECONDS,
                          "load_1min": os.getloadavg()[0], **results}, indent=2))
    finally:
        pool.close()
        drop_database(name)


if __name__ == "__main__":
    main()
