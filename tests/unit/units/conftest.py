"""Fixtures of the units tests: an in-memory application on a manual clock, with the ministry's roster."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import pytest

from services.common.clock import ManualClock
from services.units.application import UnitsApplication
from tests.factories import acting_as

START = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)


class Ctx:
    """The application with shorthand for acting as the demo people."""

    def __init__(self, app: UnitsApplication, clock: ManualClock) -> None:
        self.app = app
        self.clock = clock

    @contextmanager
    def as_(self, user: str) -> Iterator[UnitsApplication]:
        roles = {
            "li.na": ("group-mee", "group_leader"),
            "wang.qiang": ("group-mee", "group_deputy"),
            "zhang.wei": ("group-mee", "group_staff"),
            "zhou.min": ("group-mee", "group_staff"),
            "zhao.unit": ("unit-mee", "unit_liaison"),
            "chen.hq": ("hq", "hq_staff"),
        }
        org, role = roles[user]
        with self.app.acting(acting_as(user, org, role)):
            yield self.app

    def call(self, user: str, command: str, /, **kwargs: Any) -> Any:
        with self.as_(user) as app:
            return getattr(app, command)(**kwargs)


@pytest.fixture()
def ctx() -> Ctx:
    clock = ManualClock(START)
    context = Ctx(UnitsApplication(clock=clock), clock)
    c = context.call
    c("zhang.wei", "register_unit", group_id="group-mee", unit_id="unit-mee", name="生态环境部",
      party_group_name="部党组")
    c("zhang.wei", "add_department", unit_id="unit-mee", department_id="dqs", name="大气环境司", kind="bureau")
    c("zhang.wei", "add_department", unit_id="unit-mee", department_id="dqs-zhc", name="综合处", kind="division",
      parent_id="dqs")
    c("zhang.wei", "add_department", unit_id="unit-mee", department_id="zfj", name="生态环境执法局", kind="bureau")
    c("zhang.wei", "add_department", unit_id="unit-mee", department_id="hjjcs", name="中国环境监测总站",
      kind="subordinate")
    return context


def today() -> date:
    return START.date()
