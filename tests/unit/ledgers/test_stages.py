"""Seven full-cycle stages: order, skip with reason, per-stage deadlines and their overdue events."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.common import workdays
from services.common.clock import ManualClock
from services.common.errors import ConflictError, InvalidInputError
from services.ledgers.application import LedgersApplication
from services.ledgers.domainmodel import Directive, StageOrderError

from .conftest import GROUP, register


def test_stages_are_recorded_in_order(app: LedgersApplication) -> None:
    directive_id = register(app)
    app.record_stage(directive_id, "relay_study", date(2025, 2, 25), "党组会传达学习", "部党组", meeting="部党组会议")
    app.record_stage(directive_id, "deployment", date(2025, 2, 27), "部署", "部党组")
    view = app.get_directive(directive_id)
    assert list(view["stages"]) == ["relay_study", "deployment"]
    assert view["next_stage"] == "plan"
    assert view["status"] == "in_progress"


def test_skipping_a_stage_without_reason_is_refused(app: LedgersApplication) -> None:
    directive_id = register(app)
    with pytest.raises(StageOrderError):
        app.record_stage(directive_id, "plan", date(2025, 2, 25), "方案", "办公厅")
    assert app.get_directive(directive_id)["stages"] == {}


def test_skipping_with_a_reason_is_recorded(app: LedgersApplication) -> None:
    directive_id = register(app)
    app.record_stage(directive_id, "plan", date(2025, 2, 25), "直接制定方案", "办公厅",
                     skip_reason="已在上级会议统一传达 (relayed at a higher meeting)")
    assert app.get_directive(directive_id)["stages"]["plan"]["skip_reason"].startswith("已在")


def test_a_stage_twice_or_an_unknown_stage_is_refused(app: LedgersApplication) -> None:
    directive_id = register(app)
    app.record_stage(directive_id, "relay_study", date(2025, 2, 25), "传达", "部党组")
    with pytest.raises(ConflictError):
        app.record_stage(directive_id, "relay_study", date(2025, 2, 26), "再次传达", "部党组")
    with pytest.raises(InvalidInputError):
        app.record_stage(directive_id, "celebration", date(2025, 2, 26), "x", "y")


def test_result_evaluation_makes_the_directive_completed(app: LedgersApplication) -> None:
    directive_id = register(app)
    for stage in ("relay_study", "deployment", "plan", "execution", "result_evaluation"):
        app.record_stage(directive_id, stage, date(2025, 3, 1), "完成", "部党组")
    assert app.get_directive(directive_id)["status"] == "completed"


def test_stage_deadline_records_rule_and_date(app: LedgersApplication) -> None:
    directive_id = register(app)
    result = app.set_stage_deadline(directive_id, "relay_study",
                                    {"basis": "working", "count": 5, "from_date": "2025-09-30"})
    assert result["due_on"] == date(2025, 10, 14)
    deadline = app.get_directive(directive_id)["stage_deadlines"]["relay_study"]
    assert deadline["rule"] == {"basis": "working", "count": 5, "from_date": "2025-09-30",
                                "calendar": workdays.CALENDAR, "provisional_years": []}
    assert deadline["due_on"] == "2025-10-14"


def test_replay_keeps_recorded_dates_when_the_calendar_changes(
    app: LedgersApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    directive_id = register(app)
    app.set_stage_deadline(directive_id, "relay_study", {"basis": "working", "count": 5, "from_date": "2025-09-30"})
    import chinese_calendar

    monkeypatch.setattr(chinese_calendar, "is_workday", lambda day: True)
    from uuid import UUID

    replayed: Directive = app.repository.get(UUID(directive_id))
    assert replayed.stage_deadlines["relay_study"]["due_on"] == date(2025, 10, 14)


def test_deadline_for_a_recorded_stage_is_refused(app: LedgersApplication) -> None:
    directive_id = register(app)
    app.record_stage(directive_id, "relay_study", date(2025, 2, 25), "传达", "部党组")
    with pytest.raises(ConflictError):
        app.set_stage_deadline(directive_id, "relay_study", date(2025, 3, 1))


def test_category_gives_default_stage_deadlines(app: LedgersApplication) -> None:
    app.configure_category(GROUP, "nuclear_safety", "核安全监管工作", look_back_days=60,
                           stage_limits={"relay_study": {"basis": "working", "count": 3},
                                         "plan": {"basis": "calendar", "count": 30}})
    directive_id = register(app, category="nuclear_safety", received_on=date(2025, 9, 30))
    deadlines = app.get_directive(directive_id)["stage_deadlines"]
    assert deadlines["relay_study"]["due_on"] == "2025-10-11"
    assert deadlines["plan"]["due_on"] == "2025-10-30"


def test_stage_overdue_is_recorded_once_when_the_deadline_passes(
    app: LedgersApplication, clock: ManualClock
) -> None:
    directive_id = register(app)
    app.set_stage_deadline(directive_id, "relay_study", date(2025, 3, 5))
    clock.set(datetime(2025, 3, 5, 15, 0, tzinfo=UTC))  # 23:00 in Beijing, still the 5th
    assert app.run_scheduler()["stages_overdue"] == 0
    clock.advance(timedelta(hours=2))  # the 6th in Beijing
    assert app.run_scheduler()["stages_overdue"] == 1
    assert app.run_scheduler()["stages_overdue"] == 0
    assert app.get_directive(directive_id)["stage_deadlines"]["relay_study"]["overdue_on"] == "2025-03-06"


def test_a_stage_recorded_in_time_is_never_overdue(app: LedgersApplication, clock: ManualClock) -> None:
    directive_id = register(app)
    app.set_stage_deadline(directive_id, "relay_study", date(2025, 3, 5))
    app.record_stage(directive_id, "relay_study", date(2025, 3, 4), "传达", "部党组")
    clock.advance(timedelta(days=30))
    assert app.run_scheduler()["stages_overdue"] == 0


def test_withdrawn_directive_is_never_overdue(app: LedgersApplication, clock: ManualClock) -> None:
    directive_id = register(app)
    app.set_stage_deadline(directive_id, "relay_study", date(2025, 3, 5))
    app.withdraw_directive(directive_id, reason="误登记")
    clock.advance(timedelta(days=30))
    assert app.run_scheduler()["stages_overdue"] == 0
