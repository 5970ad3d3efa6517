"""The embedded platform: every service, policy and projection in one process, SQLite underneath."""

from __future__ import annotations

import functools
import logging
import threading
import time

from events.catalog import load_all
from gateway.auth import Authenticator, demo_password_hashes
from gateway.clients import LocalClient, Services
from gateway.deps import GatewayRuntime, ReadModelsAccess
from paizhu.forensics.evidence import export_case_bundle
from paizhu.keys import Keys, load_keys
from paizhu.services import available_services, build_app
from paizhu.settings import Settings
from projections.catalog import available as available_projections
from projections.common.db import Database, connect
from projections.membership.view import MembershipView
from runtime.policy_runners import DeadLetterTable, EmbeddedPolicyRunner
from runtime.projection_feeds import LogFollower
from runtime.projection_runner import ProjectionRunner
from services.common.application import ServiceApplication
from services.common.clock import Clock, SystemClock
from services.common.integrity import Checkpointer

log = logging.getLogger(__name__)


def ephemeral_keys(settings: Settings) -> Keys:
    """Fresh keys held in memory only (tests, benchmarks)."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        return load_keys(settings.model_copy(update={"data_dir": Path(tmp), "mode": "embedded"}))


class Platform:
    """Embedded mode. `in_memory` keeps stores and read models in memory (tests)."""

    def __init__(self, settings: Settings, clock: Clock | None = None, in_memory: bool = False) -> None:
        load_all()
        self.settings = settings
        self.in_memory = in_memory
        self.clock: Clock = clock or SystemClock()
        if not in_memory:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.keys = ephemeral_keys(settings) if in_memory else load_keys(settings)
        self.apps: dict[str, ServiceApplication] = {
            service: build_app(settings, self.keys, service, clock=clock, in_memory=in_memory)
            for service in available_services()
        }
        self.read_db: Database = connect("sqlite://:memory:" if in_memory else settings.read_models_url())
        self.runners: dict[str, ProjectionRunner] = {}
        self.followers: dict[str, LogFollower] = {}
        readers = {name: app.integration_events for name, app in self.apps.items()}
        for name, projection_class in available_projections().items():
            runner = ProjectionRunner(projection_class(), self.read_db)
            runner.setup(on_change="rebuild" if settings.rebuild_changed_projections else "refuse")
            self.runners[name] = runner
            wanted = runner.projection.event_types  # each follower decodes only what its projection handles
            self.followers[name] = LogFollower(runner, {s: app.reader_for(wanted) for s, app in self.apps.items()})
        self.dead_letters = DeadLetterTable(self.read_db)
        self.policy_runners = [
            EmbeddedPolicyRunner(app, {s: r for s, r in readers.items() if s != name}, self.dead_letters)
            for name, app in self.apps.items()
            if app.has_policies
        ]
        self.checkpointer = Checkpointer(self.keys.checkpoint_private_key())
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._sync_lock = threading.Lock()
        for app in self.apps.values():
            app.on_recorded.append(self._wake.set)

    # -- running ---------------------------------------------------------------------------
    def sync(self) -> int:
        """Run policies and projections until nothing new is left; return events read."""
        total = 0
        with self._sync_lock:
            while True:
                read = sum(runner.run_once() for runner in self.policy_runners)
                read += sum(follower.run_once() for follower in self.followers.values())
                total += read
                if read == 0:
                    return total

    def checkpoint(self) -> None:
        for app in self.apps.values():
            self.checkpointer.checkpoint(app)

    def run_schedulers(self) -> None:
        """Record Overdue/Due events for every deadline passed (each service's scheduler)."""
        for name, app in self.apps.items():
            try:
                app.run_scheduled()
            except Exception:
                log.exception("scheduler of %s failed", name)

    def _loop(self) -> None:
        last_checkpoint = last_schedule = time.monotonic()
        while not self._stop.is_set():
            try:
                if self.sync() == 0:
                    self._wake.wait(0.25)
                    self._wake.clear()
                now = time.monotonic()
                if now - last_schedule >= self.settings.scheduler_interval_seconds:
                    self.run_schedulers()
                    last_schedule = now
                if now - last_checkpoint >= self.settings.checkpoint_interval_seconds:
                    self.checkpoint()
                    last_checkpoint = now
            except Exception:
                log.exception("embedded follower loop failed; retrying")
                self._stop.wait(1.0)

    def start(self) -> None:
        """Follow the logs in a background thread; deadlines are checked at once, then periodically."""
        if self._thread is None:
            self.run_schedulers()
            self._thread = threading.Thread(target=self._loop, name="paizhu-followers", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        try:
            self.checkpoint()
        except Exception:
            log.exception("final checkpoint failed")
        for app in self.apps.values():
            app.close()
        self.read_db.close()

    # -- the gateway's view of it ------------------------------------------------------------
    def gateway_runtime(self) -> GatewayRuntime:
        builtin = self.settings.builtin_accounts_enabled()
        if builtin and "units" in self.apps:
            # the built-in accounts are seed data: recorded as account events once, then read like any others
            from paizhu.demo.membership import record_builtin_membership

            if record_builtin_membership(self.apps["units"]):
                self.sync()
        hashes = (demo_password_hashes(None if self.in_memory else self.settings.data_dir / "keys" / "accounts.json")
                  if builtin else {})
        authenticator = Authenticator(
            token_key=self.keys.token_signing, password_hashes=hashes,
            ttl_minutes=self.settings.token_ttl_minutes, membership=MembershipView(self.read_db),
            builtin_accounts=builtin,
        )
        return GatewayRuntime(
            services=Services({name: LocalClient(app) for name, app in self.apps.items()}),
            authenticator=authenticator,
            read_models=ReadModelsAccess(self.read_db, self.runners),
            mode="embedded",
            clock=self.clock,
            session_idle_minutes=self.settings.session_idle_minutes,
            evidence=None if self.in_memory else functools.partial(export_case_bundle, self.settings),
            readiness={f"service:{n}": (lambda a=a: a.max_position()) for n, a in self.apps.items()},
        )
