"""The demo scenario: a deterministic, realistic data set after seed 002 (the group resident in the
Ministry of Ecology and Environment). Each service contributes `paizhu/demo/<service>.py: seed(demo)`."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from gateway.accounts import ACCOUNTS
from paizhu.demo.all_or_nothing import seeding
from services.common.application import ServiceApplication
from services.common.clock import ManualClock
from services.common.context import CommandContext

if TYPE_CHECKING:
    from paizhu.platform import Platform

log = logging.getLogger(__name__)

DEMO_START = datetime(2025, 1, 6, 1, 30, tzinfo=UTC)
ORDER = ("units", "ledgers", "clues", "inspections")
"""Units first (the roster), ledgers next; clues and inspections build on both."""


class Demo:
    def __init__(self, platform: Platform, clock: ManualClock) -> None:
        self.platform = platform
        self.clock = clock

    def app(self, service: str) -> ServiceApplication:
        return self.platform.apps[service]

    @contextmanager
    def acting(self, user_id: str) -> Iterator[None]:
        account = ACCOUNTS[user_id]
        actor = {"user": account.user_id, "org": account.org_id, "role": account.roles[0]}
        for app in self.platform.apps.values():
            app.clock = self.clock
        from services.common.context import command_context

        with command_context(CommandContext(actor=actor, clock=self.clock)):
            yield

    def sync(self) -> None:
        """Let policies and projections catch up (cross-service hand-offs happen here)."""
        self.platform.sync()


def seed_demo(platform: Platform, clock: ManualClock | None = None) -> bool:
    """Seed once, all or nothing: returns False when the stores already hold data. Interrupted (an error, a
    kill), it leaves a mark; the next start removes the half demo (`paizhu.demo.all_or_nothing`)."""
    if any(app.max_position() for app in platform.apps.values()):
        return False
    with seeding(None if platform.in_memory else platform.settings.data_dir):  # all or nothing
        _seed(platform, clock)
    return True


def _seed(platform: Platform, clock: ManualClock | None) -> None:
    clock = clock or ManualClock(DEMO_START)
    clock.set(DEMO_START)  # the scenario is dated from its own start; the stores are empty, so nothing is earlier
    original = {name: app.clock for name, app in platform.apps.items()}
    demo = Demo(platform, clock)
    try:
        if "units" in platform.apps:
            from paizhu.demo import membership

            membership.seed(demo)  # the organisations and their members before anyone acts for them
        for service in ORDER:
            if service not in platform.apps:
                continue
            try:
                module = importlib.import_module(f"paizhu.demo.{service}")
            except ModuleNotFoundError as error:
                if error.name != f"paizhu.demo.{service}":
                    raise
                continue
            module.seed(demo)
            demo.sync()
    finally:
        for name, app in platform.apps.items():
            app.clock = original[name]
    platform.sync()
