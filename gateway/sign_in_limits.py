"""Limits on failed sign-ins, per account and per client address, in a sliding window: one interface, two
stores. Embedded (one process): the gateway's memory. Distributed (several gateway workers, several hosts):
a PostgreSQL table every worker reads and writes, so N workers allow the limit once, not N times.

An attempt costs the same statements for a known and an unknown user (the time a refusal takes must not
tell who has an account). Keys are stored as SHA-256 digests: neither user ids nor
addresses are kept in the table, and a long user id costs no more than a short one."""

from __future__ import annotations

import hashlib
import math
import secrets
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from projections.common.db import Database


class SignInThrottled(Exception):
    """Too many failed sign-ins for this account or from this address: wait `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("登录失败次数过多，请稍后再试 (too many failed sign-ins, try again later)")
        self.message = str(self)
        self.retry_after = retry_after


class SignInLimits(ABC):
    """A key (an account, a client address) is limited to `max_failures` failed sign-ins in `window_seconds`.

    A sign-in calls `admit(account, address)` before verifying the password: the attempt counts as a failure
    of the account from then on, atomically with the check, so guesses at one account sent in parallel (to
    any worker) are admitted at most `max_failures` times a window, not as many as arrive before the first
    one fails. The address counts failures only (`failed(address)` after a wrong password): an office behind
    one address may sign in many people at once. A right password calls `succeeded(account)`: the account's
    failures, the attempt included, are forgiven. `check` is a look only."""

    max_failures: int
    window_seconds: float

    @abstractmethod
    def admit(self, account: str, *others: str) -> None:
        """Count this attempt against the account, or raise `SignInThrottled` when the account or another key
        has used up its failures in the window (a refused attempt is not counted)."""

    @abstractmethod
    def check(self, *keys: str) -> None:
        """Raise `SignInThrottled` when any key has used up its failures in the window."""

    @abstractmethod
    def failed(self, *keys: str) -> None: ...

    @abstractmethod
    def succeeded(self, key: str) -> None: ...

    @staticmethod
    def _refuse_after(waits: list[float]) -> None:
        if waits:
            raise SignInThrottled(max(1, math.ceil(max(waits))))


@dataclass
class SignInLimiter(SignInLimits):
    """Failed sign-ins kept in this process's memory (embedded mode: one process answers every sign-in)."""

    max_failures: int = 5
    window_seconds: float = 60.0
    clock: Callable[[], float] = time.monotonic
    max_keys: int = 100_000
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def admit(self, account: str, *others: str) -> None:
        now = self.clock()
        with self._lock:  # the check and the count at once
            waits = self._waits((account, *others), now)
            if not waits:
                self._record((account,), now)
        self._refuse_after(waits)

    def check(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            waits = self._waits(keys, now)
        self._refuse_after(waits)

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            self._record(keys, now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _waits(self, keys: tuple[str, ...], now: float) -> list[float]:
        waits = []
        for key in keys:
            recent = self._recent(key, now)
            if len(recent) >= self.max_failures:
                waits.append(recent[len(recent) - self.max_failures] + self.window_seconds - now)
        return waits

    def _record(self, keys: tuple[str, ...], now: float) -> None:
        if len(self._failures) >= self.max_keys:
            for key in [k for k, v in self._failures.items() if not v or v[-1] <= now - self.window_seconds]:
                del self._failures[key]
        for key in keys:
            self._recent(key, now).append(now)

    def _recent(self, key: str, now: float) -> deque[float]:
        recent = self._failures.setdefault(key, deque())
        while recent and recent[0] <= now - self.window_seconds:
            recent.popleft()
        return recent


SIGN_IN_FAILURES_DDL = (
    "CREATE TABLE IF NOT EXISTS sign_in_failures (key_digest TEXT NOT NULL, failed_at DOUBLE PRECISION NOT NULL,"
    " attempt TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX IF NOT EXISTS sign_in_failures_key ON sign_in_failures (key_digest, failed_at)",
    "CREATE INDEX IF NOT EXISTS sign_in_failures_at ON sign_in_failures (failed_at)",
    "CREATE INDEX IF NOT EXISTS sign_in_failures_attempt ON sign_in_failures (attempt)",
)

DDL_LOCK = "paizhu.read_models.ddl"
"""The advisory lock the read-model DDL is created under (runtime/projection_runner.py): workers take turns."""

_NOW = "extract(epoch FROM clock_timestamp())"
"""The database's clock: one clock for every worker and host (theirs may differ)."""

_WAITS = (
    # per key over the limit: when its max_failures-th most recent failure leaves the window (the key is free)
    f"SELECT (array_agg(failed_at ORDER BY failed_at DESC))[%s] + %s - {_NOW}"
    f" FROM sign_in_failures WHERE key_digest = ANY(%s) AND failed_at > {_NOW} - %s AND attempt IS DISTINCT FROM %s"
    " GROUP BY key_digest HAVING count(*) >= %s"
)

_RECORD = (  # PostgreSQL runs a data-modifying WITH to completion, read or not: old rows are pruned
    f"WITH pruned AS (DELETE FROM sign_in_failures WHERE failed_at <= {_NOW} - %s)"
    f" INSERT INTO sign_in_failures (key_digest, failed_at, attempt) SELECT k, {_NOW}, %s FROM unnest(%s::text[]) k"
)


class SharedSignInLimiter(SignInLimits):
    """Failed sign-ins in a PostgreSQL table shared by every gateway worker (distributed mode).

    `admit` records the attempt against the account and commits it, then counts the other rows of the
    account in the window: of attempts racing on any workers, the k-th to commit sees the k-1 before it, so
    no more than `max_failures` are admitted (a burst may have none admitted: each sees the others; a
    refused attempt deletes its row again). An attempt costs these two statements, and a failure (the
    address), a success or a refusal one more; old rows are pruned as rows are recorded."""

    def __init__(self, db: Database, max_failures: int = 5, window_seconds: float = 60.0) -> None:
        self.db = db
        self.max_failures = max_failures
        self.window_seconds = window_seconds

    def setup(self) -> None:
        with self.db.transaction() as tx:
            tx.fetchall("SELECT pg_advisory_xact_lock(hashtext(%s))", (DDL_LOCK,))
            for statement in SIGN_IN_FAILURES_DDL:
                tx.execute(statement)

    def admit(self, account: str, *others: str) -> None:
        attempt = secrets.token_hex(12)
        with self.db.transaction() as tx:
            tx.execute(_RECORD, (self.window_seconds, attempt, [_digest(account)]))
        waits = self._waits((account, *others), attempt)
        if waits:
            with self.db.transaction() as tx:
                tx.execute("DELETE FROM sign_in_failures WHERE attempt = %s", (attempt,))
        self._refuse_after(waits)

    def check(self, *keys: str) -> None:
        self._refuse_after(self._waits(keys, None))

    def failed(self, *keys: str) -> None:
        with self.db.transaction() as tx:
            tx.execute(_RECORD, (self.window_seconds, "", [_digest(k) for k in keys]))

    def succeeded(self, key: str) -> None:
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM sign_in_failures WHERE key_digest = %s", (_digest(key),))

    def _waits(self, keys: tuple[str, ...], attempt: str | None) -> list[float]:
        """Seconds each key over the limit must wait, not counting `attempt` (one statement)."""
        with self.db.transaction() as tx:
            rows = tx.fetchall(_WAITS, (self.max_failures, self.window_seconds, [_digest(k) for k in keys],
                                        self.window_seconds, attempt, self.max_failures))
        return [float(row[0]) for row in rows]


def shared_sign_in_limits(db: Database) -> SignInLimits:
    """The limits every process on this read-model database shares: the table on PostgreSQL; a SQLite read
    model (one host, one gateway process) keeps them in memory."""
    if db.dialect != "postgres":
        return SignInLimiter()
    limiter = SharedSignInLimiter(db)
    limiter.setup()
    return limiter


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()

