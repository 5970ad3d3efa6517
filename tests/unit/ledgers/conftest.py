"""Fixtures of the ledgers unit tests: an in-memory application with a manual clock, acting as group staff."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from services.common.clock import ManualClock
from services.ledgers.application import LedgersApplication
from tests.factories import acting_as

GROUP, UNIT = "group-mee", "unit-mee"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2025, 3, 3, 1, 0, tzinfo=UTC))


@pytest.fixture
def app(clock: ManualClock) -> Iterator[LedgersApplication]:
    application = LedgersApplication(clock=clock)
    with application.acting(acting_as("zhang.wei", "group-mee", "group_staff")):
        yield application


def register(app: LedgersApplication, reference: str = "环办〔2025〕1号", **overrides: Any) -> str:
    fields: dict[str, Any] = {
        "group_id": GROUP,
        "unit_id": UNIT,
        "reference_number": reference,
        "issuer": "中共中央办公厅",
        "title": "关于深入打好长江保护修复攻坚战的重要批示",
        "issued_on": date(2025, 2, 20),
        "received_on": date(2025, 2, 24),
        "lead_department": "水生态环境司",
    } | overrides
    directive_id: str = app.register_directive(**fields)["directive_id"]
    return directive_id


def add_item(app: LedgersApplication, directive_id: str, **overrides: Any) -> str:
    fields: dict[str, Any] = {
        "directive_id": directive_id,
        "list_kind": "task",
        "title": "完成长江沿线废矿物油专项整治",
        "owner": "固体废物与化学品司",
        "follower": "zhou.min",
        "deadline": date(2025, 6, 30),
    } | overrides
    item_id: str = app.add_item(**fields)["item_id"]
    return item_id


def configure_categories(app: LedgersApplication) -> None:
    from services.ledgers.vocab import DEMO_CATEGORIES

    for code, name, days in DEMO_CATEGORIES:
        app.configure_category(group_id=GROUP, code=code, name=name, look_back_days=days)
