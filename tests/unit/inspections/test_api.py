"""The inspections routes through the gateway: who sees which round, and a team losing access on closing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api_helpers import Api, embedded_api
from tests.unit.inspections.conftest import CONTENT

ROUND = {
    "group_id": "group-mee", "unit_id": "unit-mee", "title": "中央第三巡视组对生态环境部党组巡视",
    "team_id": "team-3", "member_ids": ["liu.team", "xu.team"],
    "before_start": "2025-03-03", "before_end": "2025-03-10", "during_start": "2025-03-11",
    "during_end": "2025-05-10", "after_start": "2025-05-11", "after_end": "2025-08-31",
}


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api() as client:
        yield client


def new_round(api: Api, open_it: bool = True) -> str:
    response = api.post("zhang.wei", "/api/inspections/rounds", json=ROUND)
    assert response.status_code == 201, response.text
    round_id: str = response.json()["round_id"]
    if open_it:
        assert api.post("zhang.wei", f"/api/inspections/rounds/{round_id}/open").status_code == 200
    return round_id


def status(response: Any) -> int:
    code: int = response.status_code
    return code


def test_team_member_loses_access_when_the_round_closes(api: Api) -> None:
    round_id = new_round(api)
    path = f"/api/inspections/rounds/{round_id}"
    assert status(api.get("xu.team", path)) == 200
    assert round_id in [r["round_id"] for r in api.get("xu.team", "/api/inspections/rounds").json()["items"]]
    assert status(api.post("xu.team", f"{path}/referrals", json=CONTENT)) == 201
    assert status(api.post("zhang.wei", f"{path}/close", json={"summary": "巡视结束"})) == 200
    assert status(api.get("xu.team", path)) == 404
    assert status(api.post("xu.team", f"{path}/referrals", json=CONTENT | {"summary": "另一线索"})) == 404
    assert round_id not in [r["round_id"] for r in api.get("xu.team", "/api/inspections/rounds").json()["items"]]
    assert status(api.get("zhang.wei", path)) == 200


def test_team_has_no_access_before_the_round_opens(api: Api) -> None:
    round_id = new_round(api, open_it=False)
    assert status(api.get("liu.team", f"/api/inspections/rounds/{round_id}")) == 404


def test_group_sees_its_rounds_hq_all_others_nothing(api: Api) -> None:
    round_id = new_round(api)
    path = f"/api/inspections/rounds/{round_id}"
    assert status(api.get("chen.hq", path)) == 200
    assert status(api.get("zhou.other", path)) == 404  # another group
    assert status(api.get("zhao.unit", path)) == 404  # the unit never sees the round
    assert status(api.post("zhou.other", f"{path}/close", json={"summary": "x"})) == 404


def test_only_the_team_refers_and_only_the_group_leader_hands_clues_over(api: Api) -> None:
    round_id = new_round(api)
    path = f"/api/inspections/rounds/{round_id}"
    assert status(api.post("zhang.wei", f"{path}/referrals", json=CONTENT)) == 403
    body = {"clue_id": "clue-42", "reason": "巡视重点领域"}
    assert status(api.post("zhang.wei", f"{path}/handed-over-clues", json=body)) == 403
    assert status(api.post("li.na", f"{path}/handed-over-clues", json=body)) == 201
    referred = api.post("liu.team", f"{path}/referrals", json=CONTENT)
    assert status(referred) == 201
    assert "王某某" not in api.get("liu.team", path).text


def test_requests_go_between_team_and_group(api: Api) -> None:
    round_id = new_round(api)
    path = f"/api/inspections/rounds/{round_id}"
    asked = api.post("xu.team", f"{path}/requests", json={"question": "请提供近三年台账", "deadline": "2025-03-20"})
    assert status(asked) == 201
    answer_path = f"{path}/requests/{asked.json()['request_id']}/answer"
    assert status(api.post("xu.team", answer_path, json={"answer": "自答"})) == 403
    assert status(api.post("zhang.wei", answer_path, json={"answer": "已提供"})) == 200
    [request] = api.get("liu.team", path).json()["requests"]
    assert request["direction"] == "team_to_group" and request["answer"] == "已提供"


def test_unit_sees_only_the_items_addressed_to_it(api: Api) -> None:
    round_id = new_round(api)
    path = f"/api/inspections/rounds/{round_id}"
    finding = {"title": "整改不到位", "description": "督察反馈问题整改滞后", "problem_type": "perfunctory",
               "responsible_department": "督察办", "deadline": "2025-06-30"}
    finding_id = api.post("liu.team", f"{path}/findings", json=finding).json()["finding_id"]
    assert status(api.post("xu.team", f"{path}/findings/{finding_id}/hand-over")) == 403  # team leader does it
    assert status(api.post("liu.team", f"{path}/findings/{finding_id}/hand-over")) == 200
    items = api.get("zhao.unit", "/api/inspections/units/unit-mee/rectification-items")
    assert status(items) == 200 and finding_id in [i["item_id"] for i in items.json()["items"]]
    assert status(api.get("qian.unit2", "/api/inspections/units/unit-mee/rectification-items")) == 404
    assert status(api.get("xu.team", "/api/inspections/units/unit-mee/rectification-items")) == 404


def test_briefing_package_is_frozen_and_verified_on_rebuild(api: Api) -> None:
    round_id = new_round(api)
    api.sync()
    frozen = api.post("zhang.wei", f"/api/inspections/rounds/{round_id}/briefing-packages")
    assert status(frozen) == 201, frozen.text
    package_id = frozen.json()["package_id"]
    api.sync()
    rebuilt = api.get("liu.team", f"/api/inspections/rounds/{round_id}/briefing-packages/{package_id}")
    assert status(rebuilt) == 200, rebuilt.text
    assert rebuilt.json()["verified"] is True
    assert rebuilt.json()["content_hash"] == frozen.json()["content_hash"]
    assert status(api.post("liu.team", f"/api/inspections/rounds/{round_id}/briefing-packages")) == 403


def test_supervision_activity_through_the_api(api: Api) -> None:
    body = {"group_id": "group-mee", "unit_id": "unit-mee", "kind": "pinpoint", "title": "木里矿区生态修复整治",
            "plan": "组领导带队调研督导", "participant_ids": ["li.na", "zhang.wei"],
            "methods": ["leader_led_research", "site_check"], "start_on": "2025-04-01", "end_on": "2025-04-30",
            "leader_id": "li.na"}
    created = api.post("zhang.wei", "/api/inspections/activities", json=body)
    assert status(created) == 201, created.text
    activity_id = created.json()["activity_id"]
    assert status(api.post("zhang.wei", f"/api/inspections/activities/{activity_id}/start",
                           json={"started_on": "2025-04-01"})) == 200
    assert status(api.get("chen.hq", f"/api/inspections/activities/{activity_id}")) == 200
    assert status(api.get("zhao.unit", f"/api/inspections/activities/{activity_id}")) == 404
    assert status(api.post("zhou.other", f"/api/inspections/activities/{activity_id}/start",
                           json={"started_on": "2025-04-01"})) == 404
    invalid = api.post("zhang.wei", "/api/inspections/activities", json=body | {"leader_id": None})
    assert status(invalid) == 422 and invalid.json()["error"]["code"] == "leader_required"
