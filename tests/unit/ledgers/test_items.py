"""Four lists (四单合一): items, typology, root-cause judgement, 举一反三, closure with evidence, look-back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.common.clock import ManualClock
from services.common.errors import ConflictError, InvalidInputError
from services.ledgers.application import LedgersApplication
from services.ledgers.domain.items import ClosureNeedsEvidenceError, ItemClosedError, ItemNotClosedError
from tests.factories import evidence_file, look_back_checks

from . import read_model as read
from .conftest import GROUP, add_item, configure_categories, register


def test_combined_view_shows_the_four_lists(app: LedgersApplication) -> None:
    directive_id = register(app)
    add_item(app, directive_id, list_kind="task")
    add_item(app, directive_id, list_kind="responsibility", title="水生态环境司牵头", owner="水生态环境司")
    add_item(app, directive_id, list_kind="problem", title="整治方案照搬照抄", problem_type="perfunctory")
    add_item(app, directive_id, list_kind="implementation", title="召开专题推进会", owner="办公厅")
    view = app.combined_view(directive_id)
    assert {kind: len(items) for kind, items in view["lists"].items()} == {
        "task": 1, "responsibility": 1, "problem": 1, "implementation": 1,
    }
    task = view["lists"]["task"][0]
    assert task["owner"] == "固体废物与化学品司" and task["follower"] == "zhou.min"
    assert task["due_on"] == date(2025, 6, 30) and task["status"] == "open"


def test_item_rules(app: LedgersApplication) -> None:
    directive_id = register(app)
    with pytest.raises(InvalidInputError):
        add_item(app, directive_id, list_kind="wishlist")
    with pytest.raises(InvalidInputError):
        add_item(app, directive_id, list_kind="problem")  # a problem needs its type
    with pytest.raises(InvalidInputError):
        add_item(app, directive_id, list_kind="problem", problem_type="laziness")
    with pytest.raises(InvalidInputError):
        add_item(app, directive_id, list_kind="task", problem_type="inaction")
    with pytest.raises(InvalidInputError):
        add_item(app, directive_id, owner=" ")
    assert read.items(app) == []


def test_items_cannot_be_added_to_a_withdrawn_directive(app: LedgersApplication) -> None:
    directive_id = register(app)
    app.withdraw_directive(directive_id, reason="误登记")
    with pytest.raises(ConflictError):
        add_item(app, directive_id)


def test_problem_typology_and_root_cause_judgement(app: LedgersApplication) -> None:
    directive_id = register(app)
    item_id = add_item(app, directive_id, list_kind="problem", title="禁养区划定层层加码",
                       problem_type="escalating_targets")
    app.judge_problem(item_id, ["political_stance", "weak_institutions"], "political_ecology", note="多地同类")
    item = app.get_item(item_id)
    assert item["problem_type"] == "escalating_targets"
    assert item["root_causes"] == ["political_stance", "weak_institutions"]
    assert item["ecology"] == "political_ecology"


def test_judgement_is_refused_for_non_problems_and_unknown_causes(app: LedgersApplication) -> None:
    directive_id = register(app)
    task = add_item(app, directive_id)
    problem = add_item(app, directive_id, list_kind="problem", problem_type="inaction")
    with pytest.raises(InvalidInputError):
        app.judge_problem(task, ["political_stance"], "individual")
    with pytest.raises(InvalidInputError):
        app.judge_problem(problem, ["bad_luck"], "individual")
    with pytest.raises(InvalidInputError):
        app.judge_problem(problem, ["political_stance"], "weather")


def test_similar_matters_are_linked(app: LedgersApplication) -> None:
    directive_id = register(app)
    first = add_item(app, directive_id, list_kind="problem", problem_type="one_size_fits_all")
    second = add_item(app, directive_id, list_kind="problem", problem_type="one_size_fits_all")
    app.link_similar(first, [second], note="同类问题举一反三")
    assert app.get_item(first)["similar_item_ids"] == [second]
    with pytest.raises(InvalidInputError):
        app.link_similar(first, [second])
    with pytest.raises(InvalidInputError):
        app.link_similar(first, [first])


def test_progress_follower_and_evidence(app: LedgersApplication) -> None:
    item_id = add_item(app, register(app))
    app.update_item_progress(item_id, "in_progress", "已完成排查")
    app.assign_follower(item_id, "zhang.wei")
    app.attach_evidence(item_id, ["doc:整治台账.pdf"])
    with pytest.raises(InvalidInputError):
        app.attach_evidence(item_id, ["doc:整治台账.pdf"])  # nothing new
    with pytest.raises(InvalidInputError):
        app.update_item_progress(item_id, "finished", "x")
    item = app.get_item(item_id)
    assert item["status"] == "in_progress" and item["follower"] == "zhang.wei"
    assert item["evidence_refs"] == ["doc:整治台账.pdf"]
    assert item["progress"][0]["reported_by"] == "zhang.wei"


def test_closure_without_evidence_is_refused(app: LedgersApplication) -> None:
    item_id = add_item(app, register(app))
    with pytest.raises(ClosureNeedsEvidenceError):
        app.close_item(item_id, summary="已整改", evidence_refs=[])
    assert app.get_item(item_id)["status"] == "open"


def test_closure_with_evidence_schedules_the_look_back_by_category(
    app: LedgersApplication, clock: ManualClock
) -> None:
    configure_categories(app)  # nuclear_safety: 60 days
    directive_id = register(app, category="nuclear_safety")
    item_id = add_item(app, directive_id)
    result = app.close_item(item_id, summary="验收合格", evidence_refs=[evidence_file("验收报告")])
    assert result["look_back_due_on"] == date(2025, 5, 2)  # 2025-03-03 + 60 days
    item = app.get_item(item_id)
    assert item["status"] == "closed" and item["closure"]["approved_by"] == "zhang.wei"
    with pytest.raises(ItemClosedError):
        app.close_item(item_id, summary="again", evidence_refs=[evidence_file("x")])
    with pytest.raises(ItemClosedError):
        app.update_item_progress(item_id, "in_progress", "x")


def test_closure_with_evidence_attached_earlier_is_accepted(app: LedgersApplication) -> None:
    item_id = add_item(app, register(app))
    app.attach_evidence(item_id, ["submission:sub-42"])
    app.close_item(item_id, summary="现场核查完成")
    assert app.get_item(item_id)["look_back_due_on"] == date(2025, 6, 1)  # default 90 calendar days


def test_look_back_comes_due_once_and_can_reopen_the_item(app: LedgersApplication, clock: ManualClock) -> None:
    item_id = add_item(app, register(app))
    app.close_item(item_id, summary="完成", evidence_refs=[evidence_file("a")])
    clock.set(datetime(2025, 5, 31, 2, tzinfo=UTC))
    assert app.run_scheduler()["look_backs_due"] == 0
    clock.set(datetime(2025, 6, 1, 2, tzinfo=UTC))
    assert app.run_scheduler()["look_backs_due"] == 1
    assert app.run_scheduler()["look_backs_due"] == 0
    app.record_look_back(item_id, "回头看发现问题反弹", checks=look_back_checks(), reopen=True,
                         deadline={"basis": "working", "count": 10, "from_date": "2025-06-01"})
    item = app.get_item(item_id)
    assert item["status"] == "open" and item["reopen_count"] == 1
    assert item["due_on"] == date(2025, 6, 16)  # 10 working days, the Dragon Boat holiday already past
    assert item["look_backs"][0]["outcome"] == "reopened"
    with pytest.raises(ItemNotClosedError):
        app.record_look_back(item_id, "again", checks=look_back_checks())


def test_look_back_can_confirm_the_closure(app: LedgersApplication) -> None:
    item_id = add_item(app, register(app))
    app.close_item(item_id, summary="完成", evidence_refs=[evidence_file("a")])
    app.record_look_back(item_id, "整改成效巩固", checks=look_back_checks())
    item = app.get_item(item_id)
    assert item["status"] == "closed" and item["look_back_due_on"] is None
    other = add_item(app, register(app, "环办〔2025〕9号"))
    app.close_item(other, summary="完成", evidence_refs=[evidence_file("b")])
    with pytest.raises(InvalidInputError):
        app.record_look_back(other, " ")


def test_item_overdue_is_recorded_once_and_again_after_a_new_deadline(
    app: LedgersApplication, clock: ManualClock
) -> None:
    item_id = add_item(app, register(app), deadline=date(2025, 3, 10))
    clock.set(datetime(2025, 3, 11, 2, tzinfo=UTC))
    assert app.run_scheduler()["items_overdue"] == 1
    assert app.run_scheduler()["items_overdue"] == 0
    [overdue] = read.items(app, overdue=True)
    assert overdue["item_id"] == item_id and overdue["group_id"] == GROUP
    with pytest.raises(InvalidInputError):
        app.set_item_deadline(item_id, date(2025, 3, 20), reason="")
    app.set_item_deadline(item_id, {"basis": "working", "count": 5, "from_date": "2025-03-11"}, reason="延期")
    assert app.get_item(item_id)["due_on"] == date(2025, 3, 18)
    assert read.items(app, overdue=True) == []
    clock.advance(timedelta(days=8))
    assert app.run_scheduler()["items_overdue"] == 1


def test_closed_item_is_never_overdue(app: LedgersApplication, clock: ManualClock) -> None:
    item_id = add_item(app, register(app), deadline=date(2025, 3, 10))
    app.close_item(item_id, summary="完成", evidence_refs=[evidence_file("a")])
    clock.set(datetime(2025, 3, 20, 2, tzinfo=UTC))
    assert app.run_scheduler()["items_overdue"] == 0
