"""Fixtures of the inspections service tests: an in-memory application on a manual clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from events import sealed
from services.common.clock import ManualClock
from services.inspections.application import InspectionsApplication
from tests.factories import acting_as

START = datetime(2025, 3, 1, 1, 0, tzinfo=UTC)


@pytest.fixture
def keys() -> tuple[str, str]:
    return sealed.generate_keypair()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def app(keys: tuple[str, str], clock: ManualClock) -> Iterator[InspectionsApplication]:
    application = InspectionsApplication(env={"CLUES_SEALING_PUBLIC_KEY": keys[1]}, clock=clock)
    with application.acting(acting_as("zhang.wei", "group-mee", "group_staff")):
        yield application


def round_kwargs(**overrides: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "group_id": "group-mee",
        "unit_id": "unit-mee",
        "title": "十九届中央第三轮巡视",
        "team_id": "team-3",
        "member_ids": ["liu.team", "xu.team"],
        "before_start": date(2025, 3, 1),
        "before_end": date(2025, 3, 10),
        "during_start": date(2025, 3, 11),
        "during_end": date(2025, 5, 10),
        "after_start": date(2025, 5, 11),
        "after_end": date(2025, 8, 31),
    }
    kwargs.update(overrides)
    return kwargs


@pytest.fixture
def round_id(app: InspectionsApplication) -> str:
    result: str = app.record_round(**round_kwargs())["round_id"]
    return result


@pytest.fixture
def open_round(app: InspectionsApplication, round_id: str) -> str:
    app.open_round(round_id)
    return round_id


def published(app: InspectionsApplication, event_type: str) -> list[Any]:
    envelopes, _ = app.integration_events(0, 1000)
    return [e for e in envelopes if e.type == event_type]


def overdue(app: InspectionsApplication) -> list[dict[str, str]]:
    """Run the deadline scheduler; what it marked overdue, each as {round_id, request_id | item_id}."""
    return [marked.model_dump(exclude_none=True) for marked in app.check_deadlines()["overdue"]]


CONTENT = {
    "subject_name": "王某某",
    "subject_unit": "生态环境部某司",
    "subject_post": "副司长",
    "key_person": True,
    "categories": ["integrity", "work"],
    "summary": "反映其在环评审批中收受企业礼金",
}
