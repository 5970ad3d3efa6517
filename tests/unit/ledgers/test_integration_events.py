"""What the ledgers publish: contract types, distributions (hq for ledger facts, unit for items), redaction."""

from __future__ import annotations

from datetime import date

from events.registry import decode
from services.ledgers.application import LedgersApplication
from tests.factories import evidence_file

from .conftest import add_item, register


def published(app: LedgersApplication) -> list:
    envelopes, _ = app.integration_events(after=0, limit=1000)
    return envelopes


def test_every_step_is_published_with_its_distribution(app: LedgersApplication) -> None:
    directive_id = register(app)
    app.amend_directive(directive_id, {"received_on": date(2025, 2, 25)}, reason="收文日期更正")
    app.set_stage_deadline(directive_id, "relay_study", date(2025, 3, 5))
    app.evaluate_department(directive_id, "水生态环境司",
                            {"understanding": 4, "goal_setting": 4, "responsibility": 4, "drive": 4}, "r")
    item_id = add_item(app, directive_id, list_kind="problem", problem_type="inaction", deadline=date(2025, 3, 1))
    app.judge_problem(item_id, ["insufficient_responsibility"], "individual")
    app.run_scheduler()
    app.close_item(item_id, summary="完成", evidence_refs=[evidence_file("a")])
    app.reconcile("group-mee", "unit-mee", "r1", "2025Q1", [])
    envelopes = published(app)
    by_type = {e.type: e for e in envelopes}
    for envelope in envelopes:
        decode(envelope)  # every payload validates against its contract
    assert by_type["ledgers.DirectiveRegistered"].distribution == "hq"
    assert by_type["ledgers.DirectiveAmended"].payload["changes"] == {"received_on": "2025-02-25"}
    assert by_type["ledgers.DepartmentEvaluated"].distribution == "hq"
    assert by_type["ledgers.ItemOpened"].distribution == "unit"
    assert by_type["ledgers.ItemOverdue"].distribution == "unit"
    assert by_type["ledgers.ItemClosed"].distribution == "unit"
    assert by_type["ledgers.ProblemJudged"].distribution == "hq"
    assert by_type["ledgers.ReconciliationRecorded"].distribution == "hq"
    assert all(e.group_id == "group-mee" and e.unit_id == "unit-mee" for e in envelopes)


def test_v1_contracts_of_the_dashboard_are_unchanged(app: LedgersApplication) -> None:
    directive_id = register(app)
    app.record_stage(directive_id, "relay_study", date(2025, 2, 25), "传达", "部党组")
    registered, stage = published(app)
    assert (registered.type, registered.schema_version) == ("ledgers.DirectiveRegistered", 1)
    assert set(registered.payload) == {"directive_id", "reference_number", "issuer", "title", "issued_on",
                                       "received_on", "lead_department", "category", "tied_to_duties"}
    assert stage.payload == {"directive_id": directive_id, "stage": "relay_study", "done_on": "2025-02-25",
                             "skipped_with_reason": False}


def test_private_index_events_are_not_published(app: LedgersApplication) -> None:
    register(app)
    assert [e.type for e in published(app)] == ["ledgers.DirectiveRegistered"]


def test_the_read_sides_facts_are_published_and_the_follower_never_to_the_unit(app: LedgersApplication) -> None:
    directive_id = register(app)
    item_id = add_item(app, directive_id, follower="zhou.min")
    other_id = add_item(app, directive_id, follower="zhou.min", title="举一反三排查")
    app.attach_evidence(item_id=item_id, evidence_refs=["doc:a", "doc:b"])
    app.assign_follower(item_id=other_id, follower="zhang.wei")
    app.link_similar(item_id=item_id, similar_item_ids=[other_id])
    round_id = app.open_scheduling_round(group_id="group-mee", unit_id="unit-mee", subject="一季度调度",
                                         directive_ids=[directive_id],
                                         respond_by=date(2025, 3, 10))["round_id"]
    app.record_round_response(round_id=round_id, directive_id=directive_id, status="in_progress", summary="推进中")
    app.close_scheduling_round(round_id=round_id, note="结束")
    rec_id = app.reconcile("group-mee", "unit-mee", "r1", "2025Q1", [])["reconciliation_id"]
    app.resolve_finding(reconciliation_id=rec_id, index=0, note="已补报")
    envelopes = published(app)
    for envelope in envelopes:
        decode(envelope)
    facts = [(e.type, e.distribution, e.payload) for e in envelopes if e.type in {
        "ledgers.ItemEvidenceAttached", "ledgers.ItemFollowerAssigned", "ledgers.SimilarMattersLinked",
        "ledgers.SchedulingRoundResponded", "ledgers.SchedulingRoundClosed", "ledgers.ReconciliationFindingResolved"}]
    assert facts == [
        ("ledgers.ItemFollowerAssigned", "hq", {"item_id": item_id, "follower": "zhou.min"}),
        ("ledgers.ItemFollowerAssigned", "hq", {"item_id": other_id, "follower": "zhou.min"}),
        ("ledgers.ItemEvidenceAttached", "unit", {"item_id": item_id, "added": 2}),
        ("ledgers.ItemFollowerAssigned", "hq", {"item_id": other_id, "follower": "zhang.wei"}),
        ("ledgers.SimilarMattersLinked", "hq", {"item_id": item_id, "similar_item_ids": [other_id]}),
        ("ledgers.SchedulingRoundResponded", "unit", {"round_id": round_id, "directive_id": directive_id,
                                                      "status": "in_progress", "responded_on": "2025-03-03",
                                                          "answered_by": "group", "via": "entered",
                                                          "report_id": None}),
        ("ledgers.SchedulingRoundClosed", "unit", {"round_id": round_id}),
        ("ledgers.ReconciliationFindingResolved", "hq", {"reconciliation_id": rec_id, "index": 0,
                                                         "resolved_on": "2025-03-03"}),
    ]
    opened = [e for e in envelopes if e.type == "ledgers.ItemOpened"]
    assert all("follower" not in e.payload for e in opened)
