"""After the round: findings become rectification items; progress, overdue items and look-back."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from events.units import RectificationReported
from services.common.clock import ManualClock
from services.common.errors import ConflictError, InvalidInputError, NotFoundError
from services.inspections.application import InspectionsApplication
from tests.factories import make_envelope, payload_of
from tests.unit.inspections.conftest import UNIT_MEE, UNIT_MWR, handoff_lists, overdue, published

FINDING = {
    "title": "落实长江保护修复攻坚战部署不到位",
    "description": "部分地方废矿物油非法处置问题整改敷衍",
    "problem_type": "perfunctory",
    "responsible_department": "固体废物与化学品司",
    "deadline": date(2025, 6, 30),
}


def finding(app: InspectionsApplication, round_id: str, **overrides: Any) -> str:
    result: str = app.record_finding(round_id, **(FINDING | overrides))["finding_id"]
    return result


def handed_over(app: InspectionsApplication, round_id: str, **overrides: Any) -> str:
    item_id = finding(app, round_id, **overrides)
    app.hand_over_finding(round_id, item_id)
    return item_id


def test_handed_over_finding_publishes_the_rectification_item(app: InspectionsApplication, open_round: str) -> None:
    item_id = handed_over(app, open_round)
    [envelope] = published(app, "inspections.RectificationItemHandedOver")
    payload = payload_of(envelope)
    assert payload.item_id == item_id and payload.round_id == open_round and payload.activity_id is None
    assert payload.title == FINDING["title"] and payload.deadline == FINDING["deadline"]
    assert payload.problem_type == "perfunctory"
    assert envelope.distribution == "unit"  # addressed to the unit
    assert app.get_round(open_round)["findings"][0]["status"] == "handed_over"


def test_a_recorded_finding_is_not_published(app: InspectionsApplication, open_round: str) -> None:
    finding(app, open_round)
    assert published(app, "inspections.RectificationItemHandedOver") == []


def test_handing_over_twice_is_refused(app: InspectionsApplication, open_round: str) -> None:
    item_id = handed_over(app, open_round)
    with pytest.raises(ConflictError) as error:
        app.hand_over_finding(open_round, item_id)
    assert error.value.code == "already_handed_over"
    with pytest.raises(NotFoundError):
        app.hand_over_finding(open_round, "unknown")


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("problem_type", "bad_luck", "unknown_problem_type"), ("title", "", "title_required"),
     ("responsible_department", " ", "department_required"), ("deadline", date(2025, 1, 1), "deadline_in_past")],
)
def test_invalid_findings_are_refused(
    app: InspectionsApplication, open_round: str, field: str, value: Any, code: str
) -> None:
    with pytest.raises(InvalidInputError) as error:
        finding(app, open_round, **{field: value})
    assert error.value.code == code


def test_findings_need_an_open_round(app: InspectionsApplication, round_id: str) -> None:
    with pytest.raises(ConflictError):
        finding(app, round_id)


def test_progress_is_recorded_and_completion_stops_it(app: InspectionsApplication, open_round: str) -> None:
    item_id = handed_over(app, open_round)
    app.record_rectification_progress(open_round, item_id, "已制定整改方案")
    app.record_rectification_progress(open_round, item_id, "整改完成，建立长效机制", completed=True)
    item = app.get_round(open_round)["findings"][0]
    assert [p["summary"] for p in item["progress"]] == ["已制定整改方案", "整改完成，建立长效机制"]
    assert item["completed"] is True
    with pytest.raises(ConflictError) as error:
        app.record_rectification_progress(open_round, item_id, "再报")
    assert error.value.code == "already_completed"
    assert [e.payload["completed"] for e in published(app, "inspections.RectificationProgressRecorded")] == [
        False, True]


def test_progress_needs_a_handed_over_item(app: InspectionsApplication, open_round: str) -> None:
    item_id = finding(app, open_round)
    with pytest.raises(ConflictError) as error:
        app.record_rectification_progress(open_round, item_id, "进展")
    assert error.value.code == "not_handed_over"


def test_progress_goes_on_after_the_round_closes(app: InspectionsApplication, open_round: str) -> None:
    item_id = handed_over(app, open_round)
    app.close_round(open_round, "结束")
    app.record_rectification_progress(open_round, item_id, "整改推进中")
    assert app.get_round(open_round)["findings"][0]["progress"]


def test_open_item_past_its_deadline_is_overdue_once(
    app: InspectionsApplication, open_round: str, clock: ManualClock
) -> None:
    late = handed_over(app, open_round)
    done = handed_over(app, open_round, title="另一问题")
    not_handed = finding(app, open_round, title="未移交问题")
    app.record_rectification_progress(open_round, done, "已完成", completed=True)
    clock.set(clock.now().replace(year=2025, month=7, day=1))
    assert overdue(app) == [{"round_id": open_round, "item_id": late}]
    assert overdue(app) == []
    [envelope] = published(app, "inspections.RectificationItemOverdue")
    assert envelope.payload == {"item_id": late, "round_id": open_round, "deadline": "2025-06-30"}
    findings = {f["finding_id"]: f for f in app.get_round(open_round)["findings"]}
    assert findings[late]["overdue"] and not findings[done]["overdue"] and not findings[not_handed]["overdue"]


def test_unit_report_delivered_twice_is_recorded_once(app: InspectionsApplication, open_round: str) -> None:
    item_id = handed_over(app, open_round)
    envelope = make_envelope(
        RectificationReported(report_id="r-1", subject_ref=item_id, summary="已完成排查整治", completed=False),
        service="units", position=7, distribution="unit",
    )
    assert app.process_integration_event(envelope, payload_of(envelope)) is True
    assert app.process_integration_event(envelope, payload_of(envelope)) is False
    progress = app.get_round(open_round)["findings"][0]["progress"]
    assert [(p["summary"], p["source"], p["source_ref"]) for p in progress] == [("已完成排查整治", "unit", "r-1")]


def test_unit_report_about_something_else_is_ignored(app: InspectionsApplication, open_round: str) -> None:
    envelope = make_envelope(
        RectificationReported(report_id="r-2", subject_ref="other", summary="x", completed=True),
        service="units", position=3,
    )
    assert app.process_integration_event(envelope, payload_of(envelope)) is True
    assert published(app, "inspections.RectificationProgressRecorded") == []


def test_look_back_needs_items_then_completes_once_and_reopens(
    app: InspectionsApplication, open_round: str, clock: ManualClock
) -> None:
    with pytest.raises(ConflictError) as nothing:
        app.schedule_look_back(open_round, date(2025, 9, 30), "整改落实情况")
    assert nothing.value.code == "nothing_to_look_back"
    item_id = handed_over(app, open_round)
    app.record_rectification_progress(open_round, item_id, "已完成", completed=True)
    with pytest.raises(InvalidInputError):
        app.schedule_look_back(open_round, date(2025, 1, 1), "整改落实情况")
    look_back_id = app.schedule_look_back(open_round, date(2025, 9, 30), "整改落实情况")["look_back_id"]
    app.complete_look_back(open_round, look_back_id, "整改不实，问题反弹", [item_id])
    item = app.get_round(open_round)["findings"][0]
    assert item["completed"] is False
    with pytest.raises(ConflictError) as twice:
        app.complete_look_back(open_round, look_back_id, "再次结论")
    assert twice.value.code == "look_back_completed"
    with pytest.raises(NotFoundError):
        app.complete_look_back(open_round, "unknown", "结论")
    [done] = published(app, "inspections.LookBackCompleted")
    assert done.payload["reopened_item_ids"] == [item_id]
    clock.set(clock.now().replace(month=7, day=2))
    assert overdue(app) == [{"round_id": open_round, "item_id": item_id}]


def test_unit_sees_only_its_items(app: InspectionsApplication, open_round: str) -> None:
    item_id = handed_over(app, open_round)
    finding(app, open_round, title="未移交")
    items = handoff_lists(app, UNIT_MEE)["items"]
    assert [i["item_id"] for i in items] == [item_id]
    assert items[0]["distribution"] == "unit"
    assert handoff_lists(app, UNIT_MWR)["items"] == []


def test_the_sweep_loads_only_rounds_with_a_deadline_passed_and_wakes_a_reopened_item(
    app: InspectionsApplication, open_round: str, clock: ManualClock
) -> None:
    from tests.unit.inspections.conftest import round_kwargs

    quiet = [app.record_round(**round_kwargs(title=f"第{n}轮"))["round_id"] for n in range(5)]
    item_id = handed_over(app, open_round)
    app.record_rectification_progress(open_round, item_id, "已完成", completed=True)
    look_back_id = app.schedule_look_back(open_round, date(2025, 9, 30), "整改落实情况")["look_back_id"]
    loaded: list[str] = []
    original = app.repository.get
    app.repository.get = lambda i, *a, **k: loaded.append(str(i)) or original(i, *a, **k)  # type: ignore[method-assign]
    clock.set(clock.now().replace(month=7, day=2))
    assert overdue(app) == [] and loaded == []  # completed in time: nothing to look at
    app.complete_look_back(open_round, look_back_id, "整改不实，问题反弹", [item_id])
    loaded.clear()
    assert overdue(app) == [{"round_id": open_round, "item_id": item_id}]  # reopened under its old deadline
    assert set(loaded) == {open_round} and not set(loaded) & set(quiet)
