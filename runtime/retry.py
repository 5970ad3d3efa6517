"""Surviving faults of PostgreSQL and the broker: backoff with jitter, bounded connections, a loop that never dies.

Every long-running loop (relay, projector, policy consumer) runs its step through `run_forever`: a step that
raises is logged (its type only: an error's text may carry data) and retried after an exponentially growing,
jittered delay, reset by the next success. Every PostgreSQL connection gets `PG_CONNECTION_TIMEOUTS`, so a
cut (a black hole: no reset, no answer) fails a call within seconds instead of hanging it for the outage.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from typing import Any

from projections.common.db import PG_CONNECTION_TIMEOUTS, POOL_TIMEOUT, database_unreachable

log = logging.getLogger(__name__)


def backoff_delay(failures: int, base: float = 0.5, cap: float = 30.0, rng: random.Random | None = None) -> float:
    """Seconds to wait after `failures` consecutive failures: base × 2^failures up to `cap`, times a jitter
    in [0.5, 1) so that processes cut together do not come back in lock-step."""
    if failures <= 0:
        return 0.0
    jitter = (rng or random).uniform(0.5, 1.0)
    return min(cap, base * 2 ** min(failures - 1, 16)) * jitter


class Backoff:
    """Consecutive failures of one loop and the delay they call for."""

    def __init__(self, base: float = 0.5, cap: float = 30.0) -> None:
        self.base = base
        self.cap = cap
        self.failures = 0

    def failed(self) -> float:
        self.failures += 1
        return backoff_delay(self.failures, self.base, self.cap)

    def succeeded(self) -> None:
        self.failures = 0


def run_forever(step: Callable[[], Any], stop: threading.Event, what: str, base: float = 0.5,
                cap: float = 30.0, on_failure: Callable[[BaseException], None] | None = None) -> None:
    """Call `step` until `stop` is set; after a failure wait (backoff with jitter) and call it again.
    `step` returns normally when it has nothing to do for a while or when `stop` is set."""
    backoff = Backoff(base, cap)
    while not stop.is_set():
        try:
            step()
            backoff.succeeded()
        except Exception as error:  # never die: nobody would restart this loop
            delay = backoff.failed()
            log.warning("%s failed (%s, %d in a row); retrying in %.1fs", what, type(error).__name__,
                        backoff.failures, delay)
            log.debug("%s failure", what, exc_info=True)
            if on_failure is not None:
                try:
                    on_failure(error)
                except Exception:
                    log.exception("%s: cleaning up after a failure failed", what)
            stop.wait(delay)


def harden_pool(pool: Any, check: bool = True) -> None:
    """Bound the connections a psycopg pool makes from now on, and check each one before handing it out
    (a connection left stale by a database restart or cut is replaced, not given to a caller)."""
    pool.kwargs.update(PG_CONNECTION_TIMEOUTS)
    if check and getattr(pool, "_check", None) is None:
        from psycopg_pool import ConnectionPool

        pool._check = ConnectionPool.check_connection
    pool.timeout = min(getattr(pool, "timeout", POOL_TIMEOUT) or POOL_TIMEOUT, POOL_TIMEOUT)


def store_unavailable(error: BaseException) -> bool:
    """Whether `error` says a store could not serve the call now (the database unreachable, its connection broken,
    no pooled connection in time): the caller is told 503 and to retry, never 500."""
    from eventsourcing.persistence import InterfaceError, OperationalError, WaitInterruptedError

    return database_unreachable(error) or isinstance(error, (OperationalError, InterfaceError, WaitInterruptedError))
