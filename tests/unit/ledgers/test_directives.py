"""Master ledger: registration, corrections (amend/withdraw with reason), categories of the detail ledgers."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from services.common.errors import ConflictError, InvalidInputError, NotFoundError
from services.ledgers.application import LedgersApplication
from services.ledgers.domain.loop import DuplicateReferenceError
from services.ledgers.domainmodel import DirectiveWithdrawnError

from . import read_model as read
from .conftest import GROUP, UNIT, configure_categories, register


def test_registered_directive_is_in_the_master_ledger(app: LedgersApplication) -> None:
    directive_id = register(app)
    rows = read.directives(app, group_id=GROUP)
    assert [r["directive_id"] for r in rows] == [directive_id]
    assert rows[0]["status"] == "not_started"


def test_same_reference_number_twice_in_one_unit_is_refused(app: LedgersApplication) -> None:
    register(app, "环办〔2025〕7号")
    with pytest.raises(DuplicateReferenceError):
        register(app, "环办[2025]7号")  # the same number, written with other brackets
    assert len(read.directives(app)) == 1


def test_same_reference_number_in_another_unit_is_allowed(app: LedgersApplication) -> None:
    register(app, "国发〔2025〕3号")
    register(app, "国发〔2025〕3号", unit_id="unit-mwr", group_id="group-mwr")
    assert len(read.directives(app)) == 2


def test_received_before_issued_is_refused(app: LedgersApplication) -> None:
    with pytest.raises(InvalidInputError):
        register(app, received_on=date(2025, 2, 1))


def test_amendment_records_old_and_new_values_reason_and_actor(app: LedgersApplication) -> None:
    directive_id = register(app)
    app.amend_directive(directive_id, {"title": "关于长江保护修复的重要批示", "lead_department": "长江局"},
                        reason="标题录入错误 (typo)")
    view = app.get_directive(directive_id)
    assert view["title"] == "关于长江保护修复的重要批示"
    assert view["amendments"] == 1
    (correction,) = app.directive_corrections(directive_id)
    assert correction["kind"] == "amended"
    assert correction["previous"]["title"] == "关于深入打好长江保护修复攻坚战的重要批示"
    assert correction["changes"]["lead_department"] == "长江局"
    assert correction["reason"] == "标题录入错误 (typo)"
    assert correction["by"]["user"] == "zhang.wei"
    assert correction["at"].startswith("2025-03-03")


def test_amendment_without_reason_is_refused_and_records_nothing(app: LedgersApplication) -> None:
    directive_id = register(app)
    with pytest.raises(InvalidInputError):
        app.amend_directive(directive_id, {"title": "新标题"}, reason="  ")
    assert app.get_directive(directive_id)["version"] == 1


def test_amendment_that_changes_nothing_or_unknown_fields_is_refused(app: LedgersApplication) -> None:
    directive_id = register(app)
    with pytest.raises(InvalidInputError):
        app.amend_directive(directive_id, {"issuer": "中共中央办公厅"}, reason="核对")
    with pytest.raises(InvalidInputError):
        app.amend_directive(directive_id, {"group_id": "group-mwr"}, reason="改组")


def test_amending_reference_number_moves_the_master_ledger_entry(app: LedgersApplication) -> None:
    directive_id = register(app, "环办〔2025〕1号")
    other = register(app, "环办〔2025〕2号")
    with pytest.raises(DuplicateReferenceError):
        app.amend_directive(other, {"reference_number": "环办〔2025〕1号"}, reason="文号错误")
    app.amend_directive(directive_id, {"reference_number": "环办〔2025〕11号"}, reason="文号错误")
    register(app, "环办〔2025〕1号")  # the old number is free again
    assert len(read.directives(app)) == 3


def test_withdrawal_keeps_the_entry_in_history_and_blocks_further_work(app: LedgersApplication) -> None:
    directive_id = register(app)
    app.withdraw_directive(directive_id, reason="重复登记 (registered twice)")
    assert read.directives(app) == []
    assert read.directives(app, include_withdrawn=True)[0]["withdrawn"] is True
    assert app.directive_corrections(directive_id)[-1]["kind"] == "withdrawn"
    with pytest.raises(DirectiveWithdrawnError):
        app.record_stage(directive_id, "relay_study", date(2025, 2, 25), "传达学习", "部党组")
    with pytest.raises(DirectiveWithdrawnError):
        app.withdraw_directive(directive_id, reason="again")
    with pytest.raises(DirectiveWithdrawnError):
        app.amend_directive(directive_id, {"title": "x"}, reason="y")
    register(app)  # its reference number is free again


def test_withdrawal_without_reason_is_refused(app: LedgersApplication) -> None:
    directive_id = register(app)
    with pytest.raises(InvalidInputError):
        app.withdraw_directive(directive_id, reason="")
    assert app.get_directive(directive_id)["withdrawn"] is False


def test_unknown_directive_is_not_found(app: LedgersApplication) -> None:
    with pytest.raises(NotFoundError):
        app.get_directive("00000000-0000-0000-0000-000000000000")


def test_categories_are_configured_per_group(app: LedgersApplication) -> None:
    configure_categories(app)
    config = app.get_category_config(GROUP)
    names = [c["name"] for c in config["categories"]]
    assert "污染防治攻坚战落实情况" in names and "核安全监管工作" in names and "中央生态环境保护督察" in names
    assert len(names) == 5
    assert app.get_category_config("group-mwr")["categories"] == []


def test_detail_ledger_lists_directives_of_a_category(app: LedgersApplication) -> None:
    configure_categories(app)
    nuclear = register(app, "国核安〔2025〕1号", category="nuclear_safety", tied_to_duties=True)
    register(app, "环办〔2025〕5号")
    rows = read.directives(app, category="nuclear_safety")
    assert [r["directive_id"] for r in rows] == [nuclear]


def test_unknown_or_retired_category_is_refused(app: LedgersApplication) -> None:
    with pytest.raises(NotFoundError):
        register(app, category="nuclear_safety")
    configure_categories(app)
    app.retire_category(GROUP, "carbon_peaking", reason="并入其他类别")
    with pytest.raises(InvalidInputError):
        register(app, category="carbon_peaking")
    with pytest.raises(InvalidInputError):
        app.retire_category(GROUP, "nuclear_safety", reason="")


def test_invalid_category_settings_are_refused(app: LedgersApplication) -> None:
    with pytest.raises(InvalidInputError):
        app.configure_category(GROUP, "x", "类别", look_back_days=0)
    with pytest.raises(InvalidInputError):
        app.configure_category(GROUP, "x", "类别", stage_limits={"nap": {"basis": "working", "count": 3}})


def test_concurrent_edit_of_the_same_directive_conflicts(app: LedgersApplication) -> None:
    directive_id = register(app)
    stale = app.repository.get(UUID(directive_id))
    app.amend_directive(directive_id, {"title": "A"}, reason="first")
    stale.amend({"title": "B"}, reason="second")
    with pytest.raises(ConflictError):
        app.record(stale)
    assert app.get_directive(directive_id)["title"] == "A"
    assert UNIT == app.get_directive(directive_id)["unit_id"]


def test_only_the_category_can_be_cleared_by_a_correction(app: LedgersApplication) -> None:
    configure_categories(app)
    directive_id = register(app, category="nuclear_safety")
    with pytest.raises(InvalidInputError):
        app.amend_directive(directive_id, {"title": None}, reason="清空标题")
    app.amend_directive(directive_id, {"category": None}, reason="不属细账")
    assert app.get_directive(directive_id)["category"] is None
    assert app.get_directive(directive_id)["title"]
