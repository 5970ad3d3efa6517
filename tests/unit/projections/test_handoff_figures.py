"""HQ's rectification and feedback figures on a small fixed history, against hand-computed values."""

from __future__ import annotations

from datetime import date

from authz import Principal
from authz.filters import Columns, read_filter
from events import inspections, units
from events.catalog import load_all
from events.envelope import Envelope
from events.registry import Contract
from projections.common.db import SqliteDatabase
from projections.inspection_handoff.lists import rectification_figures
from projections.inspection_handoff.projection import InspectionHandoff
from projections.unit_channel.projection import UnitChannel
from projections.unit_channel.view import feedback_figures
from runtime.projection_runner import ProjectionRunner
from tests.factories import make_envelope
from tests.unit.projections.portal_history import as_items

load_all()

HQ = Principal("chen.hq", "", "hq", "hq", frozenset({"hq_staff"}))
GROUP_MWR = Principal("he.leader2", "", "group-mwr", "group", frozenset({"group_leader"}), group_id="group-mwr")
MEE = ("group-mee", "unit-mee")
MWR = ("group-mwr", "unit-mwr")


def event(service: str, position: int, payload: Contract, where: tuple[str, str]) -> Envelope:
    return make_envelope(payload, service=service, position=position, group_id=where[0], unit_id=where[1],
                         distribution="unit", stream_id=f"{service}-{position}")


def handed(position: int, item_id: str, deadline: date, where: tuple[str, str] = MEE) -> Envelope:
    return event("inspections", position, inspections.RectificationItemHandedOver(
        item_id=item_id, round_id="r-1", activity_id=None, title=item_id, description="问题", problem_type="other",
        responsible_department="办公厅", deadline=deadline), where)


def progress(position: int, item_id: str, completed: bool, where: tuple[str, str] = MEE) -> Envelope:
    return event("inspections", position, inspections.RectificationProgressRecorded(
        item_id=item_id, round_id="r-1", completed=completed, source="group"), where)


def test_rectification_progress_per_group_and_unit() -> None:
    runner = ProjectionRunner(InspectionHandoff(), SqliteDatabase(":memory:"))
    runner.setup()
    # recorded on 2025-03-01 (make_envelope's time): i-1 done in time, i-2 done after its deadline,
    # i-3 open and overdue, i-4 open with progress; unit-mwr: one open item
    runner.process(as_items([
        handed(1, "i-1", date(2025, 6, 30)), handed(2, "i-2", date(2025, 2, 1)), handed(3, "i-3", date(2025, 2, 1)),
        handed(4, "i-4", date(2025, 9, 1)), handed(5, "w-1", date(2025, 9, 1), MWR),
        progress(6, "i-1", True), progress(7, "i-2", True), progress(8, "i-4", False),
        event("inspections", 9, inspections.RectificationItemOverdue(item_id="i-3", round_id="r-1",
                                                                     deadline=date(2025, 2, 1)), MEE),
    ]))
    with runner.db.transaction() as tx:
        everyone = rectification_figures(tx, read_filter(HQ, Columns(alias="i")))
        theirs = rectification_figures(tx, read_filter(GROUP_MWR, Columns(alias="i")))
    assert everyone == [
        {"group_id": "group-mee", "unit_id": "unit-mee", "items": 4, "completed": 2, "completed_in_time": 1,
         "open": 2, "overdue": 1},
        {"group_id": "group-mwr", "unit_id": "unit-mwr", "items": 1, "completed": 0, "completed_in_time": 0,
         "open": 1, "overdue": 0},
    ]
    assert theirs == everyone[1:]


def issued(position: int, item_id: str, kind: str = "feedback", where: tuple[str, str] = MEE) -> Envelope:
    return event("units", position, units.OutboundIssued(
        item_id=item_id, kind=kind, title=item_id, reference_number="", counterpart_id="pg", counterpart_name="部党组",
        level="party_group", signed_by="li.na", deadline=date(2025, 4, 20), issued_on=date(2025, 3, 1)), where)


def answered(position: int, item_id: str, on: date) -> Envelope:
    return event("units", position, units.OutboundAnswered(item_id=item_id, kind="feedback", submission_id="s",
                                                           completed=False, answered_on=on), MEE)


def test_feedback_responsiveness_per_group_and_unit() -> None:
    runner = ProjectionRunner(UnitChannel(), SqliteDatabase(":memory:"))
    runner.setup()
    runner.process(as_items([
        issued(1, "f-in-time"), issued(2, "f-late"), issued(3, "f-open-overdue"), issued(4, "f-open"),
        issued(5, "f-withdrawn"), issued(6, "d-1", kind="document_request"), issued(7, "f-mwr", where=MWR),
        answered(8, "f-in-time", date(2025, 4, 20)), answered(9, "f-late", date(2025, 4, 21)),
        answered(10, "f-late", date(2025, 4, 1)),  # a second answer does not make the first one earlier
        answered(11, "d-1", date(2025, 4, 30)),
        event("units", 12, units.OutboundOverdue(item_id="f-open-overdue", kind="feedback", deadline=date(2025, 4, 20),
                                                 detected_on=date(2025, 4, 21)), MEE),
        event("units", 13, units.OutboundWithdrawn(item_id="f-withdrawn", kind="feedback", reason="误发"), MEE),
    ]))
    with runner.db.transaction() as tx:
        figures = feedback_figures(tx, read_filter(HQ, Columns(alias="r")))
    assert figures == [
        {"group_id": "group-mee", "unit_id": "unit-mee", "issued": 4, "answered_in_time": 1, "answered_late": 1,
         "open": 2, "open_overdue": 1},
        {"group_id": "group-mwr", "unit_id": "unit-mwr", "issued": 1, "answered_in_time": 0, "answered_late": 0,
         "open": 1, "open_overdue": 0},
    ]


def test_activities_count_their_work_and_findings() -> None:
    runner = ProjectionRunner(InspectionHandoff(), SqliteDatabase(":memory:"))
    runner.setup()
    hq = "hq"
    runner.process(as_items([make_envelope(payload, service="inspections", position=n, distribution=hq,
                                           group_id="group-mee", unit_id="unit-mee", stream_id=f"a-{n}")
                             for n, payload in enumerate([
        inspections.SupervisionActivityPlanned(activity_id="a-1", kind="tracking", title="跟踪监督",
                                               methods=["talk", "site_check"], start_on=date(2025, 4, 1),
                                               end_on=date(2025, 4, 30), leader_id=None, hq_offices=[]),
        inspections.SupervisionActivityStarted(activity_id="a-1", started_on=date(2025, 4, 1)),
        inspections.SupervisionWorkRecorded(activity_id="a-1", method="talk", held_on=date(2025, 4, 5),
                                            participant_count=2),
        inspections.SupervisionWorkRecorded(activity_id="a-1", method="site_check", held_on=date(2025, 4, 3),
                                            participant_count=1),
        inspections.SupervisionFindingRecorded(activity_id="a-1", finding_id="f-1"),
    ], start=1)]))
    with runner.db.transaction() as tx:
        row = tx.fetchone("SELECT status, work_count, last_work_on, finding_count FROM handoff_activities")
    assert row == ("under_way", 2, "2025-04-05", 1)
