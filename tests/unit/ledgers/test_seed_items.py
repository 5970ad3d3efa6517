"""Issue #15, the seeds: 专人督办, an item's history with its actors, closure evidence by reference, the
look-back's three findings, the problem vocabulary (domain, then over HTTP)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from events import inspections
from services.common.clock import ManualClock
from services.common.errors import InvalidInputError
from services.ledgers.application import LedgersApplication
from services.ledgers.domain.items import ClosureNeedsEvidenceError, FollowerRequiredError
from tests.api_helpers import Api, embedded_api
from tests.factories import acting_as, evidence_file, look_back_checks, make_envelope

from . import read_model
from .conftest import GROUP, add_item, register

SUBMISSION = "submission:3f0c2a9e-5b1d-4c1e-9a7e-2f6a1b0c9d8e"


def handed_over(item_id: str) -> inspections.RectificationItemHandedOver:
    return inspections.RectificationItemHandedOver(
        item_id=item_id, round_id="round-2025-1", activity_id=None, title="督察执法存在一刀切问题",
        description="部分地区对企业简单关停", problem_type="one_size_fits_all",
        responsible_department="生态环境执法局", deadline=date(2025, 6, 30),
    )


# -- 专人督办 ---------------------------------------------------------------------------------------------
def test_an_item_cannot_be_opened_without_a_follower(app: LedgersApplication) -> None:
    directive_id = register(app)
    with pytest.raises(InvalidInputError):
        add_item(app, directive_id, follower=None)
    with pytest.raises(FollowerRequiredError):
        app.new_item(group_id=GROUP, unit_id="unit-mee", directive_id=directive_id, list_kind="task",
                     title="t", owner="o", follower=" ")
    assert app.get_item(add_item(app, directive_id))["follower"] == "zhou.min"


def test_a_policy_item_gets_the_groups_default_follower(clock: ManualClock) -> None:
    app = LedgersApplication(clock=clock)
    with app.acting(acting_as("li.na", "group-mee", "group_leader")):
        assert app.set_default_follower(group_id=GROUP, follower="wang.qiang")["position"] > 0
        assert app.get_category_config(group_id=GROUP)["default_follower"] == "wang.qiang"
    envelope = make_envelope(handed_over("insp-1"), service="inspections", position=3,
                             distribution="inspection:round-2025-1")
    app.process_integration_event(envelope, handed_over("insp-1"))
    with app.acting(acting_as("zhang.wei", "group-mee", "group_staff")):
        (item,) = read_model.items(app, source="inspection")
    assert item["follower"] == "wang.qiang"


def test_without_a_default_a_policy_item_opens_unfollowed_rather_than_stalling(app: LedgersApplication) -> None:
    envelope = make_envelope(handed_over("insp-2"), service="inspections", position=4,
                             distribution="inspection:round-2025-1")
    assert app.process_integration_event(envelope, handed_over("insp-2")) is True
    (item,) = read_model.items(app, source="inspection")
    assert item["follower"] is None


# -- closure evidence and the item's history ----------------------------------------------------------
def test_closure_evidence_is_a_file_or_a_submission_never_free_text(app: LedgersApplication) -> None:
    item_id = add_item(app, register(app))
    with pytest.raises(InvalidInputError) as free_text:
        app.close_item(item_id, summary="完成", evidence_refs=["doc:整改报告"])
    assert free_text.value.code == "invalid_input"  # refused by the interface's shape
    app.attach_evidence(item_id, ["doc:会议纪要"])  # free text may be attached, but does not close
    with pytest.raises(ClosureNeedsEvidenceError):
        app.close_item(item_id, summary="完成")
    app.close_item(item_id, summary="完成", evidence_refs=[SUBMISSION])
    assert app.get_item(item_id)["closure"]["evidence_refs"] == [SUBMISSION]


def test_history_keeps_closures_and_reopenings_with_their_actors(app: LedgersApplication,
                                                                 clock: ManualClock) -> None:
    item_id = add_item(app, register(app))
    file_ref = evidence_file("验收报告")
    with app.acting(acting_as("wang.qiang", "group-mee", "group_deputy_leader")):
        app.close_item(item_id, summary="验收合格", evidence_refs=[file_ref])
    clock.set(datetime(2025, 6, 2, 2, tzinfo=UTC))
    with app.acting(acting_as("li.na", "group-mee", "group_leader")):
        app.record_look_back(item_id, "整改反弹", checks=look_back_checks(similar="inadequate"), reopen=True,
                             deadline={"basis": "working", "count": 10, "from_date": "2025-06-02"})
    app.attach_evidence(item_id, [SUBMISSION])
    clock.set(datetime(2025, 6, 20, 2, tzinfo=UTC))
    with app.acting(acting_as("li.na", "group-mee", "group_leader")):
        app.close_item(item_id, summary="再次验收合格")
    item = app.get_item(item_id)
    assert [(h["event"], h["by"], h["on"]) for h in item["history"]] == [
        ("closed", "wang.qiang", date(2025, 3, 3)),
        ("reopened", "li.na", date(2025, 6, 2)),
        ("closed", "li.na", date(2025, 6, 20)),
    ]
    assert item["history"][0]["evidence_refs"] == [file_ref]
    assert item["history"][1]["checks"]["similar_matters"]["finding"] == "inadequate"
    assert item["look_backs"][0]["checked_by"] == "li.na"


# -- the look-back's three findings -------------------------------------------------------------------
def test_look_back_records_three_separate_findings(app: LedgersApplication) -> None:
    item_id = add_item(app, register(app))
    app.close_item(item_id, summary="完成", evidence_refs=[evidence_file("a")])
    with pytest.raises(InvalidInputError) as missing:
        app.record_look_back(item_id, "只查了举一反三", checks=look_back_checks()[:1])
    assert missing.value.code == "look_back_checks_required"
    app.record_look_back(item_id, "成效巩固，制度未跟上",
                         checks=look_back_checks(similar="adequate", rules="inadequate", quality="adequate"))
    (look_back,) = app.get_item(item_id)["look_backs"]
    assert {name: found["finding"] for name, found in look_back["checks"].items()} == {
        "similar_matters": "adequate", "rule_building": "inadequate", "quality": "adequate"}
    assert look_back["similar_checked"] is True and look_back["checked_by"] == "zhang.wei"


# -- the problem vocabulary ---------------------------------------------------------------------------
def test_problem_attributes_are_recorded_from_closed_vocabularies(app: LedgersApplication) -> None:
    directive_id = register(app)
    problem = add_item(app, directive_id, list_kind="problem", problem_type="perfunctory")
    app.qualify_problem(problem, deviations=["discounted", "workaround"], gaps=["lukewarm"], obstacles=["blockage"])
    item = app.get_item(problem)
    assert (item["deviations"], item["gaps"], item["obstacles"]) == (["discounted", "workaround"], ["lukewarm"],
                                                                     ["blockage"])
    assert "deviations" not in app.get_item(problem, for_unit=True)
    with pytest.raises(InvalidInputError):
        app.qualify_problem(problem, deviations=["sloppy"])
    with pytest.raises(InvalidInputError) as task:
        app.qualify_problem(add_item(app, directive_id), gaps=["shortfall"])
    assert task.value.code == "not_a_problem"


# -- over HTTP --------------------------------------------------------------------------------------------
@pytest.fixture
def api() -> Iterator[Api]:
    with embedded_api() as api:
        yield api


DIRECTIVE: dict[str, Any] = {
    "group_id": "group-mee", "unit_id": "unit-mee", "reference_number": "中办发〔2025〕18号",
    "issuer": "中共中央办公厅", "title": "关于加强长江经济带生态环境保护的重要指示", "issued_on": "2025-02-20",
    "received_on": "2025-02-24", "lead_department": "水生态环境司",
}
PROBLEM: dict[str, Any] = {"list_kind": "problem", "title": "废矿物油整治打折扣", "owner": "固体废物与化学品司",
                           "problem_type": "perfunctory"}


def test_the_seed_over_http(api: Api) -> None:
    directive_id = api.post("zhang.wei", "/api/ledgers/directives", json=DIRECTIVE).json()["directive_id"]
    items = f"/api/ledgers/directives/{directive_id}/items"
    no_follower = api.post("zhang.wei", items, json=PROBLEM)
    assert no_follower.status_code == 422, no_follower.text
    item_id = api.post("zhang.wei", items, json=PROBLEM | {"follower": "zhou.min"}).json()["item_id"]
    qualified = api.post("zhang.wei", f"/api/ledgers/items/{item_id}/problem-attributes",
                         json={"deviations": ["discounted"], "gaps": ["shortfall"], "obstacles": ["backlog"]})
    assert qualified.status_code == 200 and qualified.json()["position"] > 0
    assert api.post("zhang.wei", f"/api/ledgers/items/{item_id}/problem-attributes",
                    json={"deviations": ["sloppy"]}).status_code == 422
    free_text = api.post("li.na", f"/api/ledgers/items/{item_id}/close",
                         json={"summary": "完成", "evidence_refs": ["doc:整改报告"]})
    assert free_text.status_code == 422
    closed = api.post("li.na", f"/api/ledgers/items/{item_id}/close",
                      json={"summary": "完成", "evidence_refs": [evidence_file("整改报告"), SUBMISSION]})
    assert closed.status_code == 200, closed.text
    one_check = api.post("li.na", f"/api/ledgers/items/{item_id}/look-back",
                         json={"findings": "x", "checks": look_back_checks()[:2]})
    assert one_check.status_code == 422 and one_check.json()["error"]["code"] == "look_back_checks_required"
    reopened = api.post("li.na", f"/api/ledgers/items/{item_id}/look-back",
                        json={"findings": "问题反弹", "reopen": True, "checks": look_back_checks(quality="inadequate")})
    assert reopened.status_code == 200, reopened.text
    view = api.get("chen.hq", f"/api/ledgers/items/{item_id}").json()
    assert [(h["event"], h["by"]) for h in view["history"]] == [("closed", "li.na"), ("reopened", "li.na")]
    assert view["deviations"] == ["discounted"] and view["follower"] == "zhou.min"
    unit_view = api.get("zhao.unit", f"/api/ledgers/items/{item_id}").json()
    assert "deviations" not in unit_view and "follower" not in unit_view
    assert api.request("PUT", "zhang.wei", "/api/ledgers/groups/group-mee/default-follower",
                   json={"follower": "wang.qiang"}).status_code == 403
    default = api.request("PUT", "li.na", "/api/ledgers/groups/group-mee/default-follower", json={"follower": "wang.qiang"})
    assert default.status_code == 200 and default.json()["default_follower"] == "wang.qiang"
