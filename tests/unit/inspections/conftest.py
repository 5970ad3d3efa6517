"""Fixtures of the inspections service tests: an in-memory application on a manual clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from authz import Principal
from authz.filters import Columns, read_filter
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


HQ = Principal("chen.hq", "陈静", "hq", "hq", frozenset({"hq_staff"}))
GROUP_MWR = Principal("he.leader2", "何军", "group-mwr", "group", frozenset({"group_leader"}), group_id="group-mwr")
UNIT_MEE = Principal("zhao.unit", "赵磊", "unit-mee", "unit", frozenset({"unit_liaison"}), unit_id="unit-mee")
UNIT_MWR = Principal("qian.unit2", "钱鑫", "unit-mwr", "unit", frozenset({"unit_liaison"}), unit_id="unit-mwr")


def handoff_lists(app: Any, principal: Principal = HQ, **filters: str) -> dict[str, list[dict[str, Any]]]:
    """The service's published history folded into the inspection-handoff read model (where the lists are
    now), and its rounds, activities and rectification items as `principal` reads them."""
    from projections.common.db import SqliteDatabase
    from projections.common.query import PageRequest
    from projections.inspection_handoff import lists
    from projections.inspection_handoff.projection import InspectionHandoff
    from runtime.projection_feeds import LogFollower
    from runtime.projection_runner import ProjectionRunner

    runner = ProjectionRunner(InspectionHandoff(), SqliteDatabase(":memory:"))
    runner.setup()
    LogFollower(runner, {"inspections": app.integration_events}).run_once()
    request = PageRequest(limit=200)
    with runner.db.transaction() as tx:
        return {
            "rounds": lists.rounds_page(tx, lists.rounds_readable(principal), request,
                                        lists.ROUND_SORTS["during_start"],
                                        {k: v for k, v in filters.items() if k in ("unit_id", "group_id", "team_id")},
                                        ).rows,
            "activities": lists.activities_page(tx, read_filter(principal, Columns(alias="a")), request,
                                                lists.ACTIVITY_SORTS["start_on"],
                                                {k: v for k, v in filters.items()
                                                 if k in ("unit_id", "kind", "directive_id", "stage")}).rows,
            "items": lists.items_page(tx, lists.items_readable(principal), request, lists.ITEM_SORTS["deadline"],
                                      {k: v for k, v in filters.items() if k in ("unit_id", "round_id")}).rows,
        }
