"""The unit portal read model on a small fixed history: dedup, statuses, no clue facts, rebuild determinism."""

from __future__ import annotations

from datetime import date
from typing import Any

from authz import Principal
from authz.filters import read_filter
from events import clues, ledgers, units
from events.catalog import load_all
from events.envelope import Envelope
from projections.common.db import SqliteDatabase
from projections.common.query import PageRequest
from projections.unit_portal import view
from projections.unit_portal.projection import UnitPortal
from runtime.projection_runner import ProjectionRunner
from tests.unit.projections.portal_history import (
    MEE,
    TODO_MEE_ALL,
    TODO_MEE_PENDING_BY_DUE,
    TODO_MWR_ALL,
    as_items,
    clue_events,
    history,
    interleaved,
    published,
    serial,
)

load_all()

UNIT_MEE = Principal("zhao.unit", "赵磊", "unit-mee", "unit", frozenset({"unit_liaison"}), unit_id="unit-mee")
GROUP_MWR = Principal("he.leader2", "何军", "group-mwr", "group", frozenset({"group_leader"}), group_id="group-mwr")
EVERYONE = view.PENDING + ("answered", "closed")


def project(envelopes: list[Envelope]) -> ProjectionRunner:
    runner = ProjectionRunner(UnitPortal(), SqliteDatabase(":memory:"))
    runner.setup()
    runner.process(as_items(envelopes))
    assert runner.dead_letter_count() == 0
    return runner


def todo(runner: ProjectionRunner, principal: Principal, statuses: tuple[str, ...] = EVERYONE,
         sort: str = "due_on", limit: int = 200) -> list[dict[str, Any]]:
    with runner.db.transaction() as tx:
        page = view.todo_page(tx, read_filter(principal, view.TODO_COLUMNS_OF), PageRequest(limit=limit),
                              view.TODO_SORTS[sort], statuses=statuses)
    return page.rows


def shape(rows: list[dict[str, Any]]) -> dict[str, tuple[Any, ...]]:
    return {r["todo_key"]: (r["kind"], r["status"], r["due_on"], r["source_count"]) for r in rows}


def test_one_row_per_demand_with_hand_computed_status_and_deadline() -> None:
    runner = project(serial(history()))
    assert shape(todo(runner, UNIT_MEE)) == TODO_MEE_ALL
    rec = next(r for r in todo(runner, UNIT_MEE) if r["todo_key"] == "recommendation:rec-1")
    # the recommendation reached the bus four times (clues, two ledger items, the units item): one row,
    # titled and numbered as the clues service issued it
    assert rec["title"] == "关于规范审批的建议1" and rec["reference_number"] == "驻部纪检监察组建议〔2025〕1号"
    pending = todo(runner, UNIT_MEE, statuses=view.PENDING)
    assert [r["todo_key"] for r in pending] == TODO_MEE_PENDING_BY_DUE
    assert shape(todo(runner, GROUP_MWR)) == TODO_MWR_ALL


def test_a_withdrawn_item_leaves_the_list_and_answers_and_closing_move_the_status() -> None:
    runner = project(serial(history()))
    assert "outbound:ob-3" not in shape(todo(runner, UNIT_MEE))
    runner.process(as_items([
        published("units", 10, units.RectificationReported(report_id="r-2", subject_ref="rec-1", summary="已建立台账",
                                                   completed=True), MEE),
        published("ledgers", 9, ledgers.ItemClosed(item_id="li-3", evidence_count=1, closed_on=date(2025, 4, 20),
                                            look_back_due_on=date(2025, 10, 20)), MEE),
    ]))
    after = shape(todo(runner, UNIT_MEE))
    assert after["recommendation:rec-1"][1] == "answered"  # the unit answered; the group has not closed it yet
    assert after["ledger-item:li-3"][1] == "closed"
    runner.process(as_items([published("clues", 7, clues.RecommendationClosed(recommendation_id="rec-1",
                                                                      closed_on=date(2025, 5, 2)), MEE)]))
    assert shape(todo(runner, UNIT_MEE))["recommendation:rec-1"][1] == "closed"
    assert [r["todo_key"] for r in todo(runner, UNIT_MEE, statuses=view.PENDING)] == ["scheduling:sr-1"]


def test_clue_events_leave_no_trace_not_even_a_count() -> None:
    with_clues = project(serial(history(with_clues=True)))
    without = project(serial(history(with_clues=False)))
    assert with_clues.projection.checksum(with_clues.db) == without.projection.checksum(without.db)
    with with_clues.db.transaction() as tx:
        for table in UnitPortal.tables:
            for row in tx.fetchall(f"SELECT * FROM {table}"):
                assert not any("clue-1" in str(value) for value in row), (table, row)
    # only clue events, even one labelled for the unit: nothing at all
    only = project(clue_events())
    with only.db.transaction() as tx:
        assert sum(tx.fetchone(f"SELECT COUNT(*) FROM {t}")[0] for t in UnitPortal.tables) == 0  # type: ignore[index]


def test_rebuild_is_deterministic_whatever_order_the_services_interleave() -> None:
    streams = history()
    first = project(serial(streams))
    checksum = first.projection.checksum(first.db)
    second = project(interleaved(streams))
    assert second.projection.checksum(second.db) == checksum
    first.reset()
    first.process(as_items(interleaved(streams)))
    assert first.projection.checksum(first.db) == checksum
    first.reset()
    first.process(as_items(serial(streams)))
    assert first.projection.checksum(first.db) == checksum


def test_submissions_and_notified_directives() -> None:
    runner = project(serial(history()))
    with runner.db.transaction() as tx:
        mine = view.submissions_page(tx, read_filter(UNIT_MEE, view.SUBMISSION_COLUMNS_OF), PageRequest(),
                                     view.SUBMISSION_SORTS["-received_at"]).rows
        notified = view.notifications_page(tx, read_filter(UNIT_MEE, view.NOTIFICATION_COLUMNS_OF), PageRequest(),
                                           view.NOTIFICATION_SORTS["-notified_at"]).rows
        theirs = view.notifications_page(tx, read_filter(GROUP_MWR, view.NOTIFICATION_COLUMNS_OF), PageRequest(),
                                         view.NOTIFICATION_SORTS["-notified_at"]).rows
    assert {(s["submission_id"], s["kind"], s["status"], s["reviewed_on"]) for s in mine} == {
        ("n-1", "directive_notification", "reviewed", "2025-03-04"),
        ("r-1", "rectification_report", "received", None),
    }
    assert [(n["notification_id"], n["directive_id"], n["opened_loop"]) for n in notified] == [("n-1", "d-1", 1)]
    assert [(n["notification_id"], n["directive_id"]) for n in theirs] == [("n-2", None)]


def test_a_scheduling_round_is_answered_once_every_directive_is_and_closed_when_the_group_closes_it() -> None:
    runner = project(serial(history()))
    opened = published("ledgers", 9, ledgers.SchedulingRoundOpened(
        round_id="sr-2", subject="二季度调度", directive_ids=["d-1", "d-2"], respond_by=date(2025, 7, 10)), MEE)
    runner.process(as_items([opened]))
    assert shape(todo(runner, UNIT_MEE))["scheduling:sr-2"][1] == "open"
    runner.process(as_items([published("ledgers", 10, ledgers.SchedulingRoundRespondedV1(  # v1: upcast
        round_id="sr-2", directive_id="d-1", status="in_progress", responded_on=date(2025, 7, 1)), MEE)]))
    assert shape(todo(runner, UNIT_MEE))["scheduling:sr-2"][1] == "open"  # d-2 still unanswered
    runner.process(as_items([published("ledgers", 11, ledgers.SchedulingRoundResponded(
        round_id="sr-2", directive_id="d-2", status="completed", responded_on=date(2025, 7, 2), answered_by="unit",
        via="progress_report", report_id="rep-1"), MEE)]))
    assert shape(todo(runner, UNIT_MEE))["scheduling:sr-2"][1] == "answered"
    runner.process(as_items([published("ledgers", 12, ledgers.SchedulingRoundClosed(round_id="sr-2"), MEE)]))
    assert shape(todo(runner, UNIT_MEE))["scheduling:sr-2"][1] == "closed"


def test_the_groups_record_of_the_units_report_answers_a_recommendation() -> None:
    runner = project(serial(history()))
    runner.process(as_items([published("clues", 7, clues.RecommendationResponseRecorded(
        recommendation_id="rec-1", report_id="r-9", summary="已整改", completed=False,
        received_on=date(2025, 4, 1)), MEE)]))
    assert shape(todo(runner, UNIT_MEE))["recommendation:rec-1"][1] == "open"  # not completed yet
    runner.process(as_items([published("clues", 8, clues.RecommendationResponseRecorded(
        recommendation_id="rec-1", report_id="r-10", summary="全部整改到位", completed=True,
        received_on=date(2025, 4, 20)), MEE)]))
    assert shape(todo(runner, UNIT_MEE))["recommendation:rec-1"][1] == "answered"
