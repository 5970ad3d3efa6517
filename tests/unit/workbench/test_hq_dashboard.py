"""The HQ dashboard read model: corrections and withdrawals reflected, indicators against hand-computed
values on a small fixed history, any period, the alert list newest first, who sees what."""

from __future__ import annotations

from datetime import date
from typing import Any

from authz import Principal
from events import ledgers as c
from events.catalog import load_all
from events.envelope import Envelope
from projections.common.db import SqliteDatabase
from projections.common.query import PageRequest
from projections.hq_dashboard import view
from projections.hq_dashboard.projection import HqDashboard
from runtime.projection_feeds import LogFollower
from runtime.projection_runner import ProjectionRunner
from tests.api_helpers import embedded_api
from tests.factories import make_envelope

load_all()

HQ = Principal(user_id="chen.hq", name="陈静", org_id="hq", org_kind="hq", roles=frozenset({"hq_staff"}))
MWR_STAFF = Principal(user_id="zhou.other", name="周涛", org_id="group-mwr", org_kind="group",
                      roles=frozenset({"group_staff"}), group_id="group-mwr")


def test_after_amend_and_withdraw_hq_no_longer_counts_it_nor_shows_the_old_title() -> None:
    body = {"group_id": "group-mee", "unit_id": "unit-mee", "reference_number": "环办〔2025〕11号",
            "issuer": "中共中央办公厅", "title": "旧标题", "issued_on": "2025-02-20", "received_on": "2025-02-24",
            "lead_department": "水生态环境司"}
    with embedded_api() as api:
        directive_id = api.post("zhang.wei", "/api/ledgers/directives", json=body).json()["directive_id"]
        amended = api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/amend",
                           json={"changes": {"title": "新标题"}, "reason": "标题有误"}).json()
        shown = api.get("chen.hq", "/api/hq/directives", params={"after": f"ledgers:{amended['position']}"})
        api.sync()
        assert [d["title"] for d in api.get("chen.hq", "/api/hq/directives").json()["items"]] == ["新标题"]
        assert shown.status_code == 200
        withdrawn = api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/withdraw",
                             json={"reason": "重复登记"}).json()
        dashboard = api.get("chen.hq", "/api/hq/dashboard", params={"after": f"ledgers:{withdrawn['position']}"})
        assert dashboard.status_code == 200 and dashboard.json()["freshness"]["stale"] is False
        assert dashboard.json()["total_directives"] == 0 and dashboard.json()["groups"] == {}
        assert api.get("chen.hq", "/api/hq/directives").json()["items"] == []


def _envelopes() -> list[Envelope]:
    def registered(directive_id: str, received_on: date) -> c.DirectiveRegistered:
        return c.DirectiveRegistered(directive_id=directive_id, reference_number=f"文{directive_id}", issuer="中办",
                                     title=f"批示{directive_id}", issued_on=date(2025, 1, 1), received_on=received_on,
                                     lead_department="办公厅", category=None, tied_to_duties=False)

    def stage(directive_id: str, name: str, done_on: date) -> c.DirectiveStageRecorded:
        return c.DirectiveStageRecorded(directive_id=directive_id, stage=name, done_on=done_on,
                                        skipped_with_reason=False)

    mwr: dict[str, Any] = {"group_id": "group-mwr", "unit_id": "unit-mwr"}
    finding = c.ReconciliationFinding(kind="missing_in_report", reference_number="文x", directive_id=None,
                                      title="x", ledger_status=None, reported_status="completed")
    history: list[tuple[Any, dict[str, Any]]] = [
        (registered("d1", date(2025, 1, 10)), {}),
        (stage("d1", "relay_study", date(2025, 1, 12)), {}),
        (stage("d1", "result_evaluation", date(2025, 1, 20)), {}),            # closed after 10 days
        (registered("d2", date(2025, 1, 15)), {}),
        (stage("d2", "result_evaluation", date(2025, 2, 14)), {}),            # closed after 30 days
        (registered("d3", date(2025, 2, 1)), {}),
        (c.StageOverdue(directive_id="d3", stage="relay_study", due_on=date(2025, 2, 5),
                        detected_on=date(2025, 2, 6)), {}),
        (registered("d4", date(2025, 2, 2)), {}),
        (c.DirectiveWithdrawn(directive_id="d4", reason="重复"), {}),
        (registered("d5", date(2025, 2, 3)), mwr),
        (c.ReconciliationRecorded(reconciliation_id="r1", report_id="sr", period="2025Q1",
                                  compared_on=date(2025, 2, 10), matched=3, findings=[finding, finding]), {}),
        (c.ReconciliationFindingResolved(reconciliation_id="r1", index=0, resolved_on=date(2025, 2, 11)), {}),
        (c.ItemOpened(item_id="i1", directive_id="d5", list_kind="task", title="水利部事项", owner="司",
                      deadline_rule=None, due_on=date(2025, 2, 20), problem_type=None, source="group",
                      source_ref=None), mwr | {"distribution": "unit"}),
        (c.ItemOverdue(item_id="i1", due_on=date(2025, 2, 20), detected_on=date(2025, 2, 21)),
         mwr | {"distribution": "unit"}),
    ]
    return [make_envelope(payload, service="ledgers", position=n, **routing)
            for n, (payload, routing) in enumerate(history, start=1)]


def _build() -> ProjectionRunner:
    events = _envelopes()

    def reader(after: int, limit: int) -> tuple[list[Envelope], int]:
        page = [e for e in events if e.position > after][:limit]
        return page, page[-1].position if page else after

    runner = ProjectionRunner(HqDashboard(), SqliteDatabase(":memory:"))
    runner.setup()
    LogFollower(runner, {"ledgers": reader}).run_once()
    return runner


def test_indicators_match_the_hand_computed_values() -> None:
    runner = _build()
    with runner.db.transaction() as tx:
        everything = view.figures(tx, HQ, None, None)
        february = view.figures(tx, HQ, date(2025, 2, 1), date(2025, 2, 28))
        own = view.figures(tx, MWR_STAFF, None, None)
        alerts = view.alerts(tx, HQ, BEFORE_ANY_STALL, PageRequest(limit=10))
        own_alerts = view.alerts(tx, MWR_STAFF, BEFORE_ANY_STALL, PageRequest(limit=10))
    mee = everything["groups"]["group-mee"]
    assert {k: mee[k] for k in ("directives", "closed", "overdue", "closure_rate", "median_days_to_close",
                                "open_mismatches", "relayed")} == {
        "directives": 3, "closed": 2, "overdue": 1, "closure_rate": 0.6667, "median_days_to_close": 20,
        "open_mismatches": 1, "relayed": 2}
    assert everything["groups"]["group-mwr"]["directives"] == 1 and everything["total_directives"] == 4
    assert everything["months"] == {"2025-01": {"received": 2, "closed": 1}, "2025-02": {"received": 2, "closed": 1}}
    assert february["groups"]["group-mee"]["directives"] == 1 and february["groups"]["group-mee"]["closed"] == 0
    assert set(own["groups"]) == {"group-mwr"}
    assert [(a["kind"], a["record_id"], a["title"]) for a in alerts.rows] == [
        ("item_overdue", "i1", "水利部事项"), ("stage_overdue", "d3", "批示d3")]  # newest first
    assert [a["record_id"] for a in own_alerts.rows] == ["i1"]


BEFORE_ANY_STALL = date(2025, 2, 16)


def test_stalled_directives_and_items_join_the_alerts_from_the_day_they_stall() -> None:
    runner = _build()

    def shown(today: date, reader: Principal = HQ) -> list[tuple[str, str, str]]:
        with runner.db.transaction() as tx:
            page = view.alerts(tx, reader, today, PageRequest(limit=50))
        return [(a["kind"], a["record_id"], a["detected_on"]) for a in page.rows]

    overdue = [("item_overdue", "i1", "2025-02-21"), ("stage_overdue", "d3", "2025-02-06")]
    # d3 received Sat 2025-02-01 and d5 Mon 02-03, in the Spring Festival holiday (01-28..02-04): the 10th
    # working day after is Mon 02-17 (02-05, 06, 07, Sat 02-08 调休, 10, 11, 12, 13, 14, 17). d1, d2 are
    # closed, d4 withdrawn. i1 was opened 2025-03-01 without progress since: stalled 30 days later, 03-31.
    assert shown(date(2025, 2, 14)) == overdue
    stalled = [("directive_stalled", "d5", "2025-02-17"), ("directive_stalled", "d3", "2025-02-17")]
    assert shown(date(2025, 2, 17)) == overdue[:1] + stalled + overdue[1:]
    assert shown(date(2025, 3, 30)) == overdue[:1] + stalled + overdue[1:]
    assert shown(date(2025, 3, 31)) == [("item_stalled", "i1", "2025-03-31"), *overdue[:1], *stalled, *overdue[1:]]
    assert shown(date(2025, 3, 31), MWR_STAFF) == [("item_stalled", "i1", "2025-03-31"), overdue[0],
                                                    ("directive_stalled", "d5", "2025-02-17")]


def test_a_stage_or_progress_restarts_the_wait_and_closure_ends_it() -> None:
    events = _envelopes()
    more: list[Any] = [
        c.DirectiveStageRecorded(directive_id="d3", stage="relay_study", done_on=date(2025, 2, 20),
                                 skipped_with_reason=False),
        c.DirectiveStageRecorded(directive_id="d5", stage="result_evaluation", done_on=date(2025, 2, 10),
                                 skipped_with_reason=False),
        c.ItemProgressUpdated(item_id="i1", status="in_progress", summary="推进中", report_ref=None),
    ]
    for n, payload in enumerate(more, start=len(events) + 1):
        envelope = make_envelope(payload, service="ledgers", position=n)
        if payload.event_type == "ledgers.ItemProgressUpdated":
            envelope = envelope.model_copy(update={"occurred_at": envelope.occurred_at.replace(day=15)})
        events.append(envelope)

    def reader(after: int, limit: int) -> tuple[list[Envelope], int]:
        page = [e for e in events if e.position > after][:limit]
        return page, page[-1].position if page else after

    runner = ProjectionRunner(HqDashboard(), SqliteDatabase(":memory:"))
    runner.setup()
    LogFollower(runner, {"ledgers": reader}).run_once()
    with runner.db.transaction() as tx:
        rows = view.alerts(tx, HQ, date(2025, 4, 30), PageRequest(limit=50)).rows
    stalled = {a["record_id"]: (a["detected_on"], a["last_activity_on"]) for a in rows if "stalled" in a["kind"]}
    # d3: relay studied 02-20, so stalled 10 working days later (02-21, 24..28, 03-03..06): 03-06.
    # d5 closed: never stalled. i1: progress on 03-15, so stalled on 04-14.
    assert stalled == {"d3": ("2025-03-06", "2025-02-20"), "i1": ("2025-04-14", "2025-03-15")}


def test_two_rebuilds_give_identical_tables() -> None:
    first, second = _build(), _build()
    assert first.projection.checksum(first.db) == second.projection.checksum(second.db)


def test_alerts_and_dashboard_over_http_for_every_kind_of_reader() -> None:
    with embedded_api() as api:
        assert api.get("chen.hq", "/api/hq/alerts").json()["items"] == []
        assert api.get("zhao.unit", "/api/hq/alerts").status_code == 403
        assert api.get("chen.hq", "/api/hq/dashboard", params={"from": "2025-03-01", "to": "2025-02-01"}
                       ).status_code == 422
