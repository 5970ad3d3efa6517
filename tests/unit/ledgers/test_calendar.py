"""Issue #15: a deadline counted Monday–Friday in a year without an arrangement is provisional; recording the
year's arrangement recomputes it as a new event (ledgers' stage and item deadlines, then the clues' time limits
through the published event); replay gives the same dates.

No 2027 notice is available, so the arrangement is `calendar/2026.toml` (reproduced from the library) and the
library is made to stop at 2025 for these tests: 2026 plays the year "without official data".
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from events.catalog import load_all
from events.registry import decode
from services.clues.application import CluesApplication
from services.common import workdays
from services.common.clock import ManualClock
from services.common.errors import ConflictError
from services.common.workdays import Arrangement
from services.ledgers.application import LedgersApplication
from tests.factories import acting_as, evidence_file
from tests.unit.ledgers.conftest import add_item, register

EXAMPLE = Path(__file__).resolve().parents[3] / "calendar" / "2026.toml"
PROVISIONAL_STAGE = {"basis": "working", "count": 20, "from_date": "2025-12-15"}  # Mon–Fri: 2026-01-12
PROVISIONAL_ITEM = {"basis": "working", "count": 10, "from_date": "2025-12-24"}  # Mon–Fri: 2026-01-07


@pytest.fixture
def official_until_2025(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workdays, "LAST_YEAR", 2025)


@pytest.fixture
def december(clock: ManualClock) -> ManualClock:
    clock.set(datetime(2025, 12, 10, 1, 0, tzinfo=UTC))
    return clock


def arrangement_fields() -> dict[str, Any]:
    return Arrangement.from_file(EXAMPLE).as_dict()


def record_as_hq(app: LedgersApplication) -> Any:
    with app.acting(acting_as("chen.hq", "hq", "hq_staff")):
        return app.record_calendar_arrangement(**arrangement_fields())


def history(app: LedgersApplication, aggregate_id: str) -> list[Any]:
    return list(app.repository.event_store.get(UUID(aggregate_id)))


def replay(app: LedgersApplication, aggregate_id: str) -> Any:
    aggregate = None
    for stored in history(app, aggregate_id):
        aggregate = stored.mutate(aggregate)
    return aggregate


def test_a_provisional_deadline_is_recomputed_by_a_new_event_and_replay_agrees(
    app: LedgersApplication, december: ManualClock, official_until_2025: None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    directive_id = register(app)
    app.set_stage_deadline(directive_id, "relay_study", PROVISIONAL_STAGE)
    item_id = add_item(app, directive_id, deadline=PROVISIONAL_ITEM)
    fixed = add_item(app, directive_id, title="按固定日期办结", deadline=date(2026, 1, 20))
    in_2025 = add_item(app, directive_id, title="年内办结", deadline={"basis": "working", "count": 3,
                                                                      "from_date": "2025-12-10"})
    stage = app.get_directive(directive_id)["stage_deadlines"]["relay_study"]
    assert stage["due_on"] == "2026-01-12"
    assert stage["rule"]["provisional_years"] == [2026]
    assert stage["rule"]["calendar"] == f"2025: {workdays.LIBRARY}; 2026: {workdays.MONDAY_FRIDAY}"
    assert app.get_item(item_id)["due_on"] == date(2026, 1, 7)

    recorded = record_as_hq(app)
    assert recorded.recomputed == 2
    version = Arrangement.from_file(EXAMPLE).version
    assert recorded.version == version

    stage = app.get_directive(directive_id)["stage_deadlines"]["relay_study"]
    assert stage["due_on"] == "2026-01-13"  # 2026-01-01/02 off, Sunday 2026-01-04 worked (调休)
    assert stage["rule"]["provisional_years"] == [] and stage["rule"]["calendar"].endswith(version)
    assert app.get_item(item_id)["due_on"] == date(2026, 1, 8)
    assert app.get_item(fixed)["due_on"] == date(2026, 1, 20)  # a fixed date is no count: untouched
    assert len(history(app, in_2025)) == len(history(app, fixed))  # a count inside 2025 is untouched

    # the old events stay as they were; the recomputation is a new event with both dates and the calendar
    events = history(app, directive_id)
    set_event = next(e for e in events if type(e).__name__ == "StageDeadlineSet")
    recomputed = events[-1]
    assert type(recomputed).__name__ == "StageDeadlineRecomputed"
    assert set_event.due_on == date(2026, 1, 12)
    assert (recomputed.old_due_on, recomputed.new_due_on) == (date(2026, 1, 12), date(2026, 1, 13))
    assert recomputed.calendar.endswith(version)
    item_event = history(app, item_id)[-1]
    assert type(item_event).__name__ == "DeadlineRecomputed"
    assert (item_event.old_due_on, item_event.new_due_on) == (date(2026, 1, 7), date(2026, 1, 8))

    # replay uses the recorded dates, whatever the calendar data says when it runs
    monkeypatch.undo()
    assert replay(app, directive_id).stage_deadlines["relay_study"]["due_on"] == date(2026, 1, 13)
    assert replay(app, item_id).due_on == date(2026, 1, 8)


def test_after_recording_new_counts_use_the_arrangement(
    app: LedgersApplication, december: ManualClock, official_until_2025: None,
) -> None:
    record_as_hq(app)
    directive_id = register(app)
    result = app.set_stage_deadline(directive_id, "deployment", PROVISIONAL_STAGE)
    assert result["due_on"] == date(2026, 1, 13)
    rule = app.get_directive(directive_id)["stage_deadlines"]["deployment"]["rule"]
    assert rule["provisional_years"] == []
    listed = app.list_calendar_arrangements()
    assert [a.year for a in listed.arrangements] == [2026]
    years = {y.year: y for y in listed.years}
    assert not years[2026].provisional and years[2027].provisional
    assert years[2027].source == workdays.MONDAY_FRIDAY


def test_a_year_is_recorded_once_and_an_official_year_never(
    app: LedgersApplication, december: ManualClock, monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ConflictError) as official:
        record_as_hq(app)
    assert official.value.code == "calendar_official"
    monkeypatch.setattr(workdays, "LAST_YEAR", 2025)
    record_as_hq(app)
    with pytest.raises(ConflictError) as again:
        record_as_hq(app)
    assert again.value.code == "arrangement_recorded"


def test_the_arrangement_and_the_recomputations_are_published_and_the_clues_follow(
    app: LedgersApplication, december: ManualClock, official_until_2025: None,
) -> None:
    load_all()
    directive_id = register(app)
    app.set_stage_deadline(directive_id, "relay_study", PROVISIONAL_STAGE)
    record_as_hq(app)
    envelopes, _ = app.integration_events(0, 1000)
    by_type = {e.type: e for e in envelopes}
    recomputed = decode(by_type["ledgers.DeadlineRecomputed"])
    assert (recomputed.record_kind, recomputed.record_id, recomputed.stage) == ("stage", directive_id, "relay_study")
    assert (recomputed.old_due_on, recomputed.new_due_on) == (date(2026, 1, 12), date(2026, 1, 13))

    clues = CluesApplication(env={"CLUES_LIMIT_DISPOSITION": "20w"}, clock=december)
    with clues.acting(acting_as("zhang.wei", role="group_staff")):
        clue_id = str(clues.register_clue(
            group_id="group-mee", unit_id="unit-mee", source="petition", subject_name="甄晓岚",
            subject_unit="环境影响评价司", subject_post="副司长", key_person=False, categories=["integrity"],
            summary="反映其违规干预项目评审", leader="li.na", assigned=["zhou.min"], received_on=date(2025, 12, 15),
        )["clue_id"])
    deadline = clues.repository.get(UUID(clue_id)).deadlines["disposition"]
    assert deadline["due_on"] == date(2026, 1, 12) and deadline["rule"]["provisional_years"] == [2026]

    arrangement = by_type["ledgers.CalendarArrangementRecorded"]
    assert clues.process_integration_event(arrangement, decode(arrangement))
    assert not clues.process_integration_event(arrangement, decode(arrangement))  # delivered twice: once
    clue = clues.repository.get(UUID(clue_id))
    assert clue.deadlines["disposition"]["due_on"] == date(2026, 1, 13)
    assert clue.deadlines["disposition"]["rule"]["provisional_years"] == []
    events = list(clues.repository.event_store.get(UUID(clue_id)))
    assert type(events[-1]).__name__ == "DeadlineRecomputed"
    assert (events[-1].old_due_on, events[-1].new_due_on) == (date(2026, 1, 12), date(2026, 1, 13))
    assert not clues.working_calendar().provisional(2026)
    # both services now give one answer for the same rule
    assert clues.limit("disposition", date(2025, 12, 15))[1] == app.deadline(PROVISIONAL_STAGE | {
        "from_date": date(2025, 12, 15)})[1]


def test_category_defaults_look_backs_and_rounds_are_recomputed_too(
    app: LedgersApplication, december: ManualClock, official_until_2025: None,
) -> None:
    load_all()
    app.configure_category(group_id="group-mee", code="nuclear_safety", name="核安全监管工作",
                           look_back_basis="working", look_back_days=20,
                           stage_limits={"plan": {"basis": "working", "count": 20}})
    directive_id = register(app, category="nuclear_safety", received_on=date(2025, 12, 15),
                            issued_on=date(2025, 12, 12))
    assert app.get_directive(directive_id)["stage_deadlines"]["plan"]["due_on"] == "2026-01-12"
    item_id = add_item(app, directive_id)
    with app.acting(acting_as("li.na", "group-mee", "group_leader")):
        closed = app.close_item(item_id, summary="验收合格", evidence_refs=[evidence_file("验收报告")])
    assert closed["look_back_due_on"] == date(2026, 1, 7)  # 20 working days from 2025-12-10, Monday–Friday
    round_id = app.open_scheduling_round(group_id="group-mee", unit_id="unit-mee", subject="一季度调度",
                                         directive_ids=[directive_id], respond_by=PROVISIONAL_STAGE)["round_id"]

    assert record_as_hq(app).recomputed == 3
    assert app.get_directive(directive_id)["stage_deadlines"]["plan"]["due_on"] == "2026-01-13"
    assert app.get_item(item_id)["look_back_due_on"] == date(2026, 1, 8)
    assert app.get_scheduling_round(round_id)["respond_by"] == date(2026, 1, 13)
    kinds = sorted(decode(e).record_kind for e in app.integration_events(0, 1000)[0]
                   if e.type == "ledgers.DeadlineRecomputed")
    assert kinds == ["look_back", "round", "stage"]
