"""One process of a kind at a time (one relay per service, one projector per read model), enforced by PostgreSQL.

The process holds a session advisory lock on a connection of its own for as long as it lives; a second one
started beside it waits (a standby: it says so in its log) and takes over when the first stops or dies (its
session ends and the lock with it). A watchdog checks the lock's connection every few seconds; when it is lost
(a database restart or cut), `held` turns false, the work loop stops before its next batch and waits to get the
lock again (`ensure`), so two processes never work at once for longer than one check.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from projections.common.db import PG_CONNECTION_TIMEOUTS
from runtime.retry import Backoff

log = logging.getLogger(__name__)

LOCK_NAMESPACE = 0x7A48  # first key of the two-key advisory lock: Paizhu's singletons (the second: the name's hash)


class LockLost(Exception):
    """The singleton lock was lost: stop working until it is held again."""


class SingletonLock:
    def __init__(self, dsn: str, name: str, check_interval: float = 2.0) -> None:
        self.dsn = dsn
        self.name = name
        self.check_interval = check_interval
        self._connection: Any = None
        self._held = threading.Event()
        self._watchdog: threading.Thread | None = None
        self._closed = threading.Event()

    @property
    def held(self) -> bool:
        return self._held.is_set()

    def _try(self) -> bool:
        import psycopg

        if self._connection is None:
            self._connection = psycopg.connect(self.dsn, autocommit=True, application_name=f"paizhu {self.name}",
                                               **PG_CONNECTION_TIMEOUTS)
        row = self._connection.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))",
                                       (LOCK_NAMESPACE, self.name)).fetchone()
        return bool(row and row[0])

    def _drop_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:
                log.debug("closing the lock's connection failed", exc_info=True)

    def acquire(self, stop: threading.Event) -> bool:
        """Wait until the lock is held (True) or `stop` is set (False)."""
        backoff = Backoff(base=1.0, cap=10.0)
        told = False
        while not stop.is_set() and not self._closed.is_set():
            try:
                if self._try():
                    self._held.set()
                    if told:
                        log.warning("%s: the other instance is gone; this one takes over", self.name)
                    else:
                        log.info("%s: holding the single-instance lock", self.name)
                    self._start_watchdog()
                    return True
                if not told:
                    log.warning("另一个 %s 正在运行，本进程等待接替 (another %s is running: only one may run at a "
                                "time; this one waits as a standby and takes over when it stops)", self.name, self.name)
                    told = True
                stop.wait(self.check_interval)
                backoff.succeeded()
            except Exception as error:
                self._drop_connection()
                delay = backoff.failed()
                log.warning("%s: cannot reach the database for the single-instance lock (%s); retrying in %.1fs",
                            self.name, type(error).__name__, delay)
                stop.wait(delay)
        return False

    def ensure(self, stop: threading.Event) -> bool:
        """Before a batch: True when the lock is held (waiting for it again if it was lost)."""
        return self.held or self.acquire(stop)

    def _start_watchdog(self) -> None:
        if self._watchdog is not None and self._watchdog.is_alive():
            return
        self._watchdog = threading.Thread(target=self._watch, name=f"lock-{self.name}", daemon=True)
        self._watchdog.start()

    def _watch(self) -> None:
        while not self._closed.wait(self.check_interval):
            if not self.held:
                continue
            try:
                self._connection.execute("SELECT 1").fetchone()
            except Exception as error:
                self._held.clear()
                self._drop_connection()
                log.error("%s: lost the single-instance lock (%s); stopping work until it is held again",
                          self.name, type(error).__name__)

    def close(self) -> None:
        """Release the lock (ending the session releases it too)."""
        self._closed.set()
        self._held.clear()
        self._drop_connection()
