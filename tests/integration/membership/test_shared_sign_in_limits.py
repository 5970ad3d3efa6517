"""Distributed mode: failed sign-ins are counted in the read-model database, so several gateway workers (here
two gateway applications on one database, as two worker processes are) together allow only the limit."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from gateway.accounts import DEMO_PASSWORD, SeedMembership
from gateway.auth import Authenticator, demo_password_hashes
from gateway.errors import AuthError
from gateway.main import create_app
from gateway.sign_in_limits import SharedSignInLimiter, SignInThrottled
from paizhu.distributed import gateway_runtime
from projections.common.db import Database, connect
from tests.conftest import distributed_env, settings_from

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def env(pg_database: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    # no broker needed: a gateway talks to the services and the read-model database only
    return {**distributed_env(pg_database, "127.0.0.1:9", Path(tmp_path_factory.mktemp("data"))),
            "PAIZHU_BUILTIN_ACCOUNTS": "true"}


@pytest.fixture(scope="module")
def workers(env: dict[str, str]) -> Iterator[list[FastAPI]]:
    runtimes = [gateway_runtime(settings_from(env)) for _ in range(2)]
    with runtimes[0].read_models.db.transaction() as tx:  # members, as the projector would have recorded them
        for user in ("zhang.wei", "wang.qiang"):
            tx.execute("INSERT INTO membership_members (org_id, user_id, name, roles) VALUES (%s, %s, %s, %s)",
                       ("group-test", user, user, '["group_staff"]'))
    try:
        yield [create_app(runtime) for runtime in runtimes]
    finally:
        for runtime in runtimes:
            runtime.read_models.db.close()


@pytest.fixture
def db(env: dict[str, str]) -> Iterator[Database]:
    db = connect(settings_from(env).read_models_url())
    SharedSignInLimiter(db).setup()
    with db.transaction() as tx:
        tx.execute("DELETE FROM sign_in_failures")
    try:
        yield db
    finally:
        db.close()


def attempt(worker: FastAPI, user: str, password: str, address: str) -> Response:
    client = TestClient(worker, client=(address, 50000))
    return client.post("/api/session/login", json={"user_id": user, "password": password})


def login(worker: FastAPI, user: str, password: str, address: str) -> int:
    return attempt(worker, user, password, address).status_code


def test_two_workers_together_allow_the_limit_per_account(workers: list[FastAPI], db: Database) -> None:
    for number in range(5):  # alternately on each worker, from different addresses
        assert login(workers[number % 2], "li.na", "wrong", f"10.1.0.{number}") == 401
    for number, worker in enumerate(workers):
        refused = attempt(worker, "li.na", DEMO_PASSWORD, f"10.1.1.{number}")
        assert refused.status_code == 429, refused.text
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert refused.json()["error"]["code"] == "too_many_sign_in_attempts"
    with db.transaction() as tx:
        stored = tx.fetchall("SELECT key_digest FROM sign_in_failures")
    assert stored and not any("li.na" in str(row[0]) for row in stored)  # digests, not user ids


def test_two_workers_together_allow_the_limit_per_address(workers: list[FastAPI], db: Database) -> None:
    limiters = [w.state.runtime.authenticator.limiter for w in workers]
    assert all(isinstance(limiter, SharedSignInLimiter) for limiter in limiters)
    for limiter in limiters:
        limiter.max_failures = 2
    try:
        assert login(workers[0], "a.one", "guess", "10.4.0.1") == 401
        assert login(workers[1], "b.two", "guess", "10.4.0.1") == 401
        assert login(workers[0], "zhang.wei", DEMO_PASSWORD, "10.4.0.1") == 429
        assert login(workers[1], "wang.qiang", DEMO_PASSWORD, "10.4.0.1") == 429
        assert login(workers[1], "zhang.wei", DEMO_PASSWORD, "10.4.0.2") == 200  # another address
    finally:
        for limiter in limiters:
            limiter.max_failures = 5


def test_a_success_clears_the_account_on_every_worker(workers: list[FastAPI], db: Database) -> None:
    limiter = SharedSignInLimiter(db, max_failures=2)
    limiter.failed("account:wang.qiang", "address:10.2.0.1")
    assert login(workers[1], "wang.qiang", DEMO_PASSWORD, "10.2.0.2") == 200
    limiter.check("account:wang.qiang")  # nothing left for the account
    limiter.failed("account:wang.qiang")
    limiter.check("account:wang.qiang")  # one failure counts again, not three


def test_guesses_in_parallel_on_two_workers_are_admitted_only_up_to_the_limit(
    env: dict[str, str], db: Database
) -> None:
    url = settings_from(env).read_models_url()
    pools = [connect(url, pool_size=10) for _ in range(2)]  # each worker its own pool, as its own process
    limiters = [SharedSignInLimiter(pool) for pool in pools]
    admitted: list[int] = []
    refused: list[int] = []
    start = threading.Barrier(20)

    def guess(number: int) -> None:
        start.wait()
        try:
            limiters[number % 2].admit("account:target", f"address:10.5.0.{number}")
            admitted.append(number)
        except SignInThrottled:
            refused.append(number)

    try:
        threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # before, every guess that arrived before the first failure was recorded (all 20); now at most the
        # limit, and a burst may have none admitted (each sees the others); the refused ones are not counted
        assert len(admitted) <= 5 and len(admitted) + len(refused) == 20
        with db.transaction() as tx:
            assert tx.fetchone("SELECT count(*) FROM sign_in_failures") == (len(admitted),)
        for number in range(5 - len(admitted)):  # the rest of the limit, one at a time
            limiters[number % 2].admit("account:target", "address:10.5.1.1")
        with pytest.raises(SignInThrottled):
            limiters[0].admit("account:target", "address:10.5.1.1")
    finally:
        for pool in pools:
            pool.close()


def test_sign_ins_that_succeed_do_not_use_up_the_address(workers: list[FastAPI], db: Database) -> None:
    for _ in range(6):  # one office behind one address
        assert login(workers[0], "zhang.wei", DEMO_PASSWORD, "10.6.0.1") == 200
    assert login(workers[1], "wang.qiang", DEMO_PASSWORD, "10.6.0.1") == 200
    with db.transaction() as tx:
        assert tx.fetchone("SELECT count(*) FROM sign_in_failures") == (0,)


def test_the_window_slides_and_old_failures_are_pruned(db: Database) -> None:
    limiter = SharedSignInLimiter(db, max_failures=2, window_seconds=1.0)
    limiter.failed("account:x", "address:y")
    limiter.failed("account:x")
    with pytest.raises(SignInThrottled) as throttled:
        limiter.check("account:x")
    assert throttled.value.retry_after == 1
    limiter.check("account:other", "address:y")  # one failure of the address: under the limit
    time.sleep(1.1)
    limiter.check("account:x")  # both left the window
    limiter.failed("account:z")  # a failure prunes what left the window
    with db.transaction() as tx:
        assert tx.fetchone("SELECT count(*) FROM sign_in_failures") == (1,)


def _median_seconds(authenticator: Authenticator, user: str, tries: int) -> float:
    times = []
    for attempt in range(tries):
        started = time.perf_counter()
        with pytest.raises(AuthError):
            authenticator.login(user, f"wrong-{attempt}", client=f"10.3.0.{attempt}")
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def test_an_unknown_user_takes_as_long_to_refuse_as_a_wrong_password(db: Database) -> None:
    authenticator = Authenticator(token_key="k" * 32, password_hashes=demo_password_hashes(None),
                                  membership=SeedMembership(), limiter=SharedSignInLimiter(db, max_failures=10_000))
    known: list[float] = []
    unknown: list[float] = []
    for _ in range(3):  # interleaved rounds, so load on the machine falls on both alike
        known.append(_median_seconds(authenticator, "li.na", 2))
        unknown.append(_median_seconds(authenticator, "ghost.user", 2))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 1 / 3 < ratio < 3, (ratio, known, unknown)
