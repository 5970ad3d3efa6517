"""Statutory time limits and overdue events, on the injected clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from services.clues.application import CluesApplication
from services.clues.deadlines import Limit, TimeLimits, add_working_days
from services.clues.interface import OverdueClue
from services.common.clock import ManualClock
from tests.unit.clues.conftest import START, as_leader, as_staff, decide, register


def overdue_events(app: CluesApplication) -> list[dict[str, object]]:
    envelopes, _ = app.integration_events(0, 10_000)
    return [e.payload for e in envelopes if e.type in ("clues.ClueOverdue", "clues.RecommendationOverdue")]


def test_fifteen_working_days_skip_the_national_day_holiday() -> None:
    # 1-8 October 2025 are holidays and Saturday 11 October is a working day.
    assert add_working_days(date(2025, 9, 30), 15) == date(2025, 10, 28)
    assert add_working_days(date(2025, 3, 10), 15) == date(2025, 3, 31)


def test_working_days_beyond_the_calendar_data_fall_back_to_weekdays() -> None:
    assert add_working_days(date(2031, 1, 3), 1) == date(2031, 1, 6)


def test_limits_are_configurable_through_the_environment(clock: ManualClock) -> None:
    limits = TimeLimits.from_env({"CLUES_LIMIT_INQUIRY_REPLY": "10w", "CLUES_LIMIT_DISPOSITION": "20"})
    assert limits.inquiry_reply == Limit(10, working_days=True)
    assert limits.disposition == Limit(20)
    app = CluesApplication(env={"CLUES_LIMIT_DISPOSITION": "20"}, clock=clock)
    clue_id = register(app)
    assert app.load(clue_id).deadlines["disposition"]["due_on"] == date(2025, 3, 23)


def test_letter_inquiry_not_answered_in_time_is_overdue_once(app: CluesApplication, clock: ManualClock) -> None:
    clue_id = register(app)
    decide(app, clue_id, "inquiry")
    with as_staff(app):
        app.record_inquiry(clue_id, "letter", date(2025, 3, 10), "发函")
    clock.set(datetime(2025, 3, 31, 8, 0, tzinfo=UTC))  # the due day itself: not yet overdue
    assert app.record_overdue()["clues"] == []
    clock.set(datetime(2025, 4, 1, 2, 0, tzinfo=UTC))
    assert app.record_overdue()["clues"] == [OverdueClue(clue_id=clue_id, deadlines=["inquiry_reply"])]
    assert app.record_overdue()["clues"] == []
    clock.advance(timedelta(days=30))
    assert app.record_overdue()["clues"] == []
    assert overdue_events(app) == [{"clue_id": clue_id, "deadline": "inquiry_reply", "due_on": "2025-03-31"}]


def test_the_now_argument_drives_the_scheduler(app: CluesApplication) -> None:
    clue_id = register(app)
    assert app.record_overdue(START + timedelta(days=30))["clues"] == []
    result = app.record_overdue(START + timedelta(days=31))
    assert result["clues"] == [OverdueClue(clue_id=clue_id, deadlines=["disposition"])]
    assert app.load(clue_id).deadlines["disposition"]["overdue"] is True


def test_reply_in_time_is_never_overdue(app: CluesApplication, clock: ManualClock) -> None:
    clue_id = register(app)
    decide(app, clue_id, "inquiry")
    with as_staff(app):
        app.record_inquiry(clue_id, "letter", date(2025, 3, 10), "发函")
        app.record_inquiry_reply(clue_id, date(2025, 3, 20), "按时书面说明")
    clock.advance(timedelta(days=400))
    assert app.record_overdue()["clues"] == []
    assert overdue_events(app) == []


def test_reopened_clue_gets_a_fresh_disposition_deadline(app: CluesApplication, clock: ManualClock) -> None:
    clue_id = register(app)
    clock.advance(timedelta(days=40))
    app.record_overdue()
    decide(app, clue_id, "close")
    with as_leader(app):
        app.reopen_clue(clue_id, "新的举报")
    assert app.load(clue_id).deadlines["disposition"] == {
        "due_on": date(2025, 5, 12), "done": False, "overdue": False,
        "rule": {"basis": "calendar", "count": 30, "from_date": date(2025, 4, 12), "calendar": "calendar days",
                 "provisional_years": []},
    }
    clock.advance(timedelta(days=31))
    assert app.record_overdue()["clues"] == [OverdueClue(clue_id=clue_id, deadlines=["disposition"])]
    assert len(overdue_events(app)) == 2


def test_verification_and_hold_review_limits(app: CluesApplication, clock: ManualClock) -> None:
    verifying = register(app)
    held = register(app)
    decide(app, verifying, "preliminary_verification")
    decide(app, held, "hold")
    clock.advance(timedelta(days=91))
    assert app.record_overdue()["clues"] == [OverdueClue(clue_id=verifying, deadlines=["verification"])]
    clock.advance(timedelta(days=90))
    assert app.record_overdue()["clues"] == [OverdueClue(clue_id=held, deadlines=["hold_review"])]


def test_recommendation_past_its_deadline_is_overdue_once(app: CluesApplication, clock: ManualClock) -> None:
    with as_staff(app):
        rec_id = app.draft_recommendation(
            "group-mee", "unit-mee", "驻部纪检监察组建议〔2025〕1号", "关于加强环评审批权力运行监督的建议",
            ["审批环节廉政风险防控薄弱"], ["健全审批权力清单"], "环境影响评价司", date(2025, 4, 30),
        )["recommendation_id"]
    with as_leader(app):
        app.issue_recommendation(rec_id)
    clock.set(datetime(2025, 5, 1, 2, 0, tzinfo=UTC))
    assert app.record_overdue()["recommendations"] == [rec_id]
    assert app.record_overdue()["recommendations"] == []
    assert overdue_events(app) == [{"recommendation_id": rec_id, "deadline": "2025-04-30"}]


def test_the_sweep_loads_only_clues_with_a_deadline_passed(app: CluesApplication) -> None:
    waiting = [register(app) for _ in range(5)]
    concluded_early = register(app)
    decide(app, concluded_early, "inquiry")
    with as_staff(app):
        app.record_inquiry(concluded_early, "talk", date(2025, 3, 10), "谈话")  # a talk: no reply deadline
    loaded: list[str] = []
    original = app.repository.get
    app.repository.get = lambda i, *a, **k: loaded.append(str(i)) or original(i, *a, **k)  # type: ignore[method-assign]
    assert app.record_overdue(START + timedelta(days=30))["clues"] == [] and loaded == []
    result = app.record_overdue(START + timedelta(days=31))
    assert {c.clue_id for c in result["clues"]} == set(waiting)
    assert set(loaded) == set(waiting)  # the clue whose disposition was decided is not loaded
    loaded.clear()
    assert app.record_overdue(START + timedelta(days=60))["clues"] == [] and loaded == []
