"""Reconciliation (对账) within the report's scope (seed 002, part four; issue #15): the unit's supervision report
answers for its period and the directives it names, not for the whole ledger. A report listing 4 of 20
directives gets exactly its real mismatches (today: 20 findings where 2 are real)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from events import units
from services.common.clock import ManualClock
from services.ledgers.application import LedgersApplication
from services.ledgers.domain.loop import report_period
from tests.factories import make_envelope
from tests.unit.ledgers import read_model as read
from tests.unit.ledgers.conftest import GROUP, UNIT, register


def ledger_of_twenty(app: LedgersApplication) -> dict[str, str]:
    """15 directives received in 2025, 4 in the first quarter of 2026, 1 in April 2026."""
    ids = {}
    for n in range(1, 16):
        ids[f"环办〔2025〕{n}号"] = register(app, f"环办〔2025〕{n}号", issued_on=date(2025, (n - 1) % 12 + 1, 1),
                                           received_on=date(2025, (n - 1) % 12 + 1, 2))
    for n, received in enumerate((date(2026, 1, 5), date(2026, 2, 9), date(2026, 3, 2), date(2026, 3, 31)), 1):
        ids[f"环办〔2026〕{n}号"] = register(app, f"环办〔2026〕{n}号", issued_on=received, received_on=received)
    ids["环办〔2026〕5号"] = register(app, "环办〔2026〕5号", issued_on=date(2026, 4, 1), received_on=date(2026, 4, 1))
    app.record_stage(ids["环办〔2025〕3号"], "relay_study", date(2025, 3, 5), "部党组会议传达学习", "部党组")
    app.record_stage(ids["环办〔2026〕2号"], "relay_study", date(2026, 2, 10), "部党组会议传达学习", "部党组")
    return ids


REPORT = [  # the unit's report for the first quarter of 2026: 4 directives
    units.ReportedItem(reference_number="环办〔2025〕3号", title="长江", status="in_progress"),  # matches
    units.ReportedItem(reference_number="环办〔2026〕1号", title="黄河", status="not_started"),  # matches
    units.ReportedItem(reference_number="环办〔2026〕2号", title="秦岭", status="completed"),  # ledger: in_progress
    units.ReportedItem(reference_number="环办[2026]3号", title="木里", status="not_started"),  # matches
]  # 环办〔2026〕4号, received 2026-03-31, is missing from it


@pytest.fixture
def april(clock: ManualClock) -> ManualClock:
    clock.set(datetime(2026, 4, 7, 1, 0, tzinfo=UTC))
    return clock


@pytest.mark.parametrize("period", ["2026Q1", "2026-Q1", "2026年第一季度", "2026年第1季度"])
def test_a_report_of_four_of_twenty_directives_gets_only_its_real_mismatches(
    app: LedgersApplication, april: ManualClock, period: str
) -> None:
    ids = ledger_of_twenty(app)
    report = units.SupervisionReportSubmitted(report_id=f"sr-{period}", period=period, items=REPORT)
    app.process_integration_event(make_envelope(report, service="units", position=1), report)
    (reconciliation,) = read.reconciliations(app)
    assert reconciliation["group_id"] == GROUP
    found = sorted((f["kind"], f["directive_id"]) for f in reconciliation["findings"])
    assert found == sorted([("status_differs", ids["环办〔2026〕2号"]), ("missing_in_report", ids["环办〔2026〕4号"])])
    assert reconciliation["matched"] == 3


def test_a_report_typed_by_hand_is_scoped_the_same_way(app: LedgersApplication, april: ManualClock) -> None:
    ids = ledger_of_twenty(app)
    result = app.reconcile(GROUP, UNIT, "hand-1", "2026-03", [item.model_dump() for item in REPORT])
    view = app.get_reconciliation(result["reconciliation_id"])
    # March 2026: 环办〔2026〕3号 and 4号 were received; 3号 is reported; 2号 (February) is named, so compared
    assert sorted((f["kind"], f["directive_id"]) for f in view["findings"]) == sorted(
        [("status_differs", ids["环办〔2026〕2号"]), ("missing_in_report", ids["环办〔2026〕4号"])])


def test_a_period_that_cannot_be_read_compares_only_the_named_directives(
    app: LedgersApplication, april: ManualClock
) -> None:
    ids = ledger_of_twenty(app)
    result = app.reconcile(GROUP, UNIT, "hand-2", "近期", [item.model_dump() for item in REPORT])
    view = app.get_reconciliation(result["reconciliation_id"])
    assert [(f["kind"], f["directive_id"]) for f in view["findings"]] == [("status_differs", ids["环办〔2026〕2号"])]


@pytest.mark.parametrize(("period", "bounds"), [
    ("2026", (date(2026, 1, 1), date(2026, 12, 31))),
    ("2026年度", (date(2026, 1, 1), date(2026, 12, 31))),
    ("2026-02", (date(2026, 2, 1), date(2026, 2, 28))),
    ("2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
    ("2026年12月", (date(2026, 12, 1), date(2026, 12, 31))),
    ("2026Q4", (date(2026, 10, 1), date(2026, 12, 31))),
    ("2026年第二季度", (date(2026, 4, 1), date(2026, 6, 30))),
    ("2026-H2", (date(2026, 7, 1), date(2026, 12, 31))),
    ("2026年上半年", (date(2026, 1, 1), date(2026, 6, 30))),
    ("2026-13", None),
    ("第一季度", None),
])
def test_report_periods(period: str, bounds: tuple[date, date] | None) -> None:
    assert report_period(period) == bounds
