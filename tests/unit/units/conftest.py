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


SUBMISSION_EVENTS = {
    "units.DirectiveNotified": "notification_id", "units.SupervisionReportSubmitted": "report_id",
    "units.RectificationReported": "report_id", "units.ProgressReported": "report_id",
    "units.SituationNoticed": "notice_id", "units.DemocraticEvaluationReported": "submission_id",
    "units.DutyIntegrityReportSubmitted": "submission_id", "units.IntegrityOpinionReplied": "submission_id",
    "units.InboundReceived": "submission_id",
}


def published_ids(app: UnitsApplication, fields: dict[str, str], unit_id: str) -> list[str]:
    """The ids of the records the service published for this unit (lists are the read models' now)."""
    envelopes, _ = app.integration_events(0, 100_000)
    return [str(e.payload[fields[e.type]]) for e in envelopes if e.type in fields and e.unit_id == unit_id]


def items_of(app: UnitsApplication, unit_id: str) -> list[dict[str, Any]]:
    """The items sent to the unit, each as the service shows it by id, by deadline."""
    items = [app.get_item(item_id) for item_id in published_ids(app, {"units.OutboundIssued": "item_id"}, unit_id)]
    return sorted(items, key=lambda i: (i["deadline"], i["title"]))


def submissions_of(app: UnitsApplication, unit_id: str) -> list[dict[str, Any]]:
    """The unit's submissions, each as the service shows it by id."""
    return [app.get_submission(s) for s in published_ids(app, SUBMISSION_EVENTS, unit_id)]
