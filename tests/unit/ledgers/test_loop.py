"""Closed loop: scheduling rounds (调度), reconciliation (对账) with findings, overdue rounds."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.common.clock import ManualClock
from services.common.errors import ConflictError, InvalidInputError
from services.ledgers.application import LedgersApplication

from . import read_model as read
from .conftest import GROUP, UNIT, register


def test_scheduling_round_asks_for_progress_by_a_date(app: LedgersApplication, clock: ManualClock) -> None:
    first, second = register(app, "环办〔2025〕1号"), register(app, "环办〔2025〕2号")
    result = app.open_scheduling_round(GROUP, UNIT, "一季度进展调度", [first, second],
                                       {"basis": "working", "count": 5, "from_date": "2025-03-03"})
    round_id = result["round_id"]
    assert result["respond_by"] == date(2025, 3, 10)
    app.record_round_response(round_id, first, "in_progress", "已印发实施方案")
    view = app.get_scheduling_round(round_id)
    assert view["missing"] == [second] and view["distribution"] == "unit"
    clock.set(datetime(2025, 3, 11, 2, tzinfo=UTC))
    assert app.run_scheduler()["rounds_overdue"] == 1
    assert app.run_scheduler()["rounds_overdue"] == 0
    assert app.get_scheduling_round(round_id)["overdue_on"] == date(2025, 3, 11)


def test_scheduling_round_rules(app: LedgersApplication) -> None:
    directive_id = register(app)
    with pytest.raises(InvalidInputError):
        app.open_scheduling_round(GROUP, UNIT, "调度", [], date(2025, 3, 10))
    with pytest.raises(InvalidInputError):
        app.open_scheduling_round("group-mwr", "unit-mwr", "调度", [directive_id], date(2025, 3, 10))
    round_id = app.open_scheduling_round(GROUP, UNIT, "调度", [directive_id], date(2025, 3, 10))["round_id"]
    with pytest.raises(InvalidInputError):
        app.record_round_response(round_id, "not-in-round", "in_progress", "x")
    with pytest.raises(InvalidInputError):
        app.record_round_response(round_id, directive_id, "almost", "x")
    app.close_scheduling_round(round_id, note="结束")
    with pytest.raises(ConflictError):
        app.record_round_response(round_id, directive_id, "completed", "x")


def test_answered_round_is_not_overdue(app: LedgersApplication, clock: ManualClock) -> None:
    directive_id = register(app)
    round_id = app.open_scheduling_round(GROUP, UNIT, "调度", [directive_id], date(2025, 3, 10))["round_id"]
    app.record_round_response(round_id, directive_id, "completed", "已完成")
    clock.set(datetime(2025, 4, 1, 2, tzinfo=UTC))
    assert app.run_scheduler()["rounds_overdue"] == 0


def test_reconciliation_records_each_mismatch_as_a_finding(app: LedgersApplication) -> None:
    in_both = register(app, "环办〔2025〕1号")
    app.record_stage(in_both, "relay_study", date(2025, 2, 25), "传达", "部党组")
    differs = register(app, "环办〔2025〕2号")
    only_ours = register(app, "环办〔2025〕3号")
    withdrawn = register(app, "环办〔2025〕4号")
    app.withdraw_directive(withdrawn, reason="误登记")
    result = app.reconcile(GROUP, UNIT, "report-2025Q1", "2025Q1", [
        {"reference_number": "环办[2025]1号", "title": "长江", "status": "in_progress"},
        {"reference_number": "环办〔2025〕2号", "title": "黄河", "status": "completed"},
        {"reference_number": "环办〔2025〕8号", "title": "木里", "status": "in_progress"},
    ])
    view = app.get_reconciliation(result["reconciliation_id"])
    kinds = {(f["kind"], f["directive_id"]) for f in view["findings"]}
    assert kinds == {("status_differs", differs), ("missing_in_report", only_ours), ("missing_in_ledger", None)}
    assert view["matched"] == 1
    status = next(f for f in view["findings"] if f["kind"] == "status_differs")
    assert (status["ledger_status"], status["reported_status"]) == ("not_started", "completed")


def test_the_same_report_is_reconciled_once_and_findings_resolved_once(app: LedgersApplication) -> None:
    register(app)
    result = app.reconcile(GROUP, UNIT, "r1", "2025Q1", [])
    with pytest.raises(InvalidInputError):
        app.reconcile(GROUP, UNIT, "r1", "2025Q1", [])
    app.resolve_finding(result["reconciliation_id"], 0, "单位补报")
    with pytest.raises(ConflictError):
        app.resolve_finding(result["reconciliation_id"], 0, "again")
    with pytest.raises(InvalidInputError):
        app.resolve_finding(result["reconciliation_id"], 5, "no such")
    [reconciliation] = read.reconciliations(app, unit_id=UNIT)
    assert reconciliation["open_findings"] == len(reconciliation["findings"]) - 1
    assert app.get_reconciliation(reconciliation["reconciliation_id"])["findings"][0]["resolution"]["note"] == "单位补报"


def test_reconciliation_with_an_unknown_status_is_refused(app: LedgersApplication) -> None:
    with pytest.raises(InvalidInputError):
        app.reconcile(GROUP, UNIT, "r2", "2025Q1", [{"reference_number": "x", "title": "y", "status": "done"}])
