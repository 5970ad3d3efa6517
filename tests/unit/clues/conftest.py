"""Fixtures of the clues service's unit tests: an in-memory application on a manual clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from events.sealed import generate_keypair
from services.clues.application import CluesApplication
from services.common.clock import ManualClock
from tests.factories import acting_as

START = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)  # Monday 09:00 in Beijing
SUBJECT_NAME = "甄晓岚"
SUMMARY = "反映其在环评审批中收受企业所送购物卡，并违规干预项目评审"


@pytest.fixture
def keypair() -> tuple[str, str]:
    return generate_keypair()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def app(clock: ManualClock, keypair: tuple[str, str]) -> CluesApplication:
    return CluesApplication(env={"CLUES_SEALING_PRIVATE_KEY": keypair[0]}, clock=clock)


@pytest.fixture
def staff(app: CluesApplication) -> Iterator[None]:
    with app.acting(acting_as("zhang.wei", role="group_staff")):
        yield


def as_leader(app: CluesApplication) -> Any:
    return app.acting(acting_as("li.na", role="group_leader"))


def as_staff(app: CluesApplication, user: str = "zhang.wei") -> Any:
    return app.acting(acting_as(user, role="group_staff"))


def register(app: CluesApplication, **overrides: Any) -> str:
    values: dict[str, Any] = {
        "group_id": "group-mee",
        "unit_id": "unit-mee",
        "source": "petition",
        "subject_name": SUBJECT_NAME,
        "subject_unit": "环境影响评价司",
        "subject_post": "副司长",
        "key_person": False,
        "categories": ["integrity", "work"],
        "summary": SUMMARY,
        "leader": "li.na",
        "assigned": ["zhou.min"],
        "received_on": date(2025, 3, 3),
    }
    values.update(overrides)
    with as_staff(app):
        return str(app.register_clue(**values)["clue_id"])


def assess_and_propose(app: CluesApplication, clue_id: str, disposition: str) -> None:
    with as_staff(app):
        app.note_assessment(clue_id, "首先从政治上审视：涉及审批权力运行，影响政治生态", "反映具体，可查性强")
        app.propose_disposition(clue_id, disposition, "按处置标准提出意见")


def decide(app: CluesApplication, clue_id: str, disposition: str) -> None:
    assess_and_propose(app, clue_id, disposition)
    with as_leader(app):
        app.decide_disposition(clue_id, approved=True)


def state(app: CluesApplication, clue_id: str) -> Any:
    return app.load(clue_id)


# -- the lists, as the clue queue read model answers them (the service answers commands and reads by id) ----------
def _principal(user: str, org: str, kind: str, role: str) -> Any:
    from authz import Principal

    return Principal(user, user, org, kind, frozenset({role}), group_id=org if kind == "group" else None,
                     unit_id=org if kind == "unit" else None)


def clue_queue(app: CluesApplication) -> Any:
    """The clue queue read model of this application's published events (SQLite in memory)."""
    from projections.clue_queue.projection import ClueQueue
    from projections.common.db import SqliteDatabase
    from runtime.projection_feeds import LogFollower
    from runtime.projection_runner import ProjectionRunner

    db = SqliteDatabase(":memory:")
    runner = ProjectionRunner(ClueQueue(), db)
    runner.setup()
    LogFollower(runner, {"clues": app.integration_events}).run_once()
    return db


def intake(app: CluesApplication, group_id: str = "group-mee") -> list[dict[str, Any]]:
    from projections.clue_queue import view
    from projections.common.query import PageRequest

    with clue_queue(app).transaction() as tx:
        return view.intake_queue(tx, _principal("leader", group_id, "group", "group_leader"), PageRequest(200)).rows


def clues_of(app: CluesApplication, group_id: str, reader: str) -> list[dict[str, Any]]:
    from projections.clue_queue import view
    from projections.common.query import PageRequest

    with clue_queue(app).transaction() as tx:
        return view.list_clues(tx, _principal(reader, group_id, "group", "group_staff"), view.ClueFilters(),
                               view.CLUE_SORTS["received_on"], PageRequest(200)).rows


def recommendations_of(app: CluesApplication, org: str, kind: str) -> list[dict[str, Any]]:
    from projections.clue_queue import view
    from projections.common.query import PageRequest

    role = {"group": "group_staff", "unit": "unit_liaison", "hq": "hq_staff"}[kind]
    with clue_queue(app).transaction() as tx:
        return view.list_recommendations(tx, _principal("reader", org, kind, role), None, None,
                                         view.REC_SORTS["deadline"], PageRequest(200)).rows
