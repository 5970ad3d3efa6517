"""The people routes over the demo, through the API: the group flags a key person and evaluates a responsible
leader (作风 included), the people directory and a person's file show them to the group and not to HQ; the
unit and inspection teams read nothing; the integrity file answers by person id, so two namesakes stay apart."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api_helpers import Api, embedded_api


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api(demo=True) as api:
        api.sync()
        yield api


def person_id(api: Api, name: str) -> str:
    found = api.get("li.na", "/api/people", params={"unit_id": "unit-mee", "name": name})
    assert found.status_code == 200, found.text
    [row] = found.json()["items"]
    return str(row["person_id"])


def test_the_demo_people_are_keyed_by_id_with_the_groups_flags(api: Api) -> None:
    rows = api.get("li.na", "/api/people", params={"unit_id": "unit-mee", "limit": 200}).json()["items"]
    by_name = {r["name"]: r for r in rows}
    assert by_name["冯立"]["key_person"] and by_name["林正国"]["key_minority"] and not by_name["高建民"]["key_person"]
    key_people = api.get("li.na", "/api/people", params={"key_person": "true"}).json()["items"]
    assert [r["name"] for r in key_people] == ["冯立"]
    assert api.get("chen.hq", "/api/people", params={"key_person": "true"}).json()["items"] == []
    for user in ("zhao.unit", "ma.party", "liu.team"):
        assert api.get(user, "/api/people").status_code == 403


def test_a_persons_file_shows_the_evaluation_to_the_group_only(api: Api) -> None:
    feng = person_id(api, "冯立")
    mine = api.get("li.na", f"/api/people/{feng}").json()["item"]
    assert mine["key_person"] and [e["aspects"]["work_style"] for e in mine["evaluations"]] == ["fair"]
    assert [p["important_fields"] for p in mine["posts"]] == [["inspection_enforcement"]]
    hq = api.get("chen.hq", f"/api/people/{feng}").json()["item"]
    assert hq["evaluations"] == [] and not hq["key_person"]
    assert api.get("he.leader2", f"/api/people/{feng}").status_code == 404  # another group's unit
    assert api.get("zhao.unit", f"/api/people/{feng}").status_code == 404


def test_the_group_records_through_the_routes_and_reads_its_writes(api: Api) -> None:
    gao = person_id(api, "高建民")
    flagged = api.post("zhang.wei", f"/api/units/unit-mee/people/{gao}/key-person",
                       json={"flagged": True, "reason": "监测数据质量问题线索集中"})
    assert flagged.status_code == 200, flagged.text
    evaluated = api.post("li.na", f"/api/units/unit-mee/people/{gao}/evaluations",
                         json={"period": "2025H2", "aspects": {"work_style": "good", "political_stance": "good"},
                               "overall": "good", "observation": "谈心谈话：主动汇报整改进展"})
    assert evaluated.status_code == 201, evaluated.text
    position = evaluated.json()["position"]
    file = api.get("li.na", f"/api/people/{gao}/integrity-file", params={"after": f"units:{position}", "limit": 50})
    kinds = [r["kind"] for r in file.json()["items"]]
    assert {"appointed", "democratic_evaluation", "integrity_opinion_requested", "integrity_opinion",
            "key_person_flagged", "leader_evaluation"} <= set(kinds)
    hq_kinds = {r["kind"] for r in api.get("chen.hq", f"/api/people/{gao}/integrity-file").json()["items"]}
    assert "leader_evaluation" not in hq_kinds and "key_person_flagged" not in hq_kinds
    refused = api.post("li.na", f"/api/units/unit-mee/people/{gao}/evaluations",
                       json={"period": "2025", "aspects": {"political_stance": "good"}, "overall": "good",
                             "observation": "无"})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "work_style_required"
    assert api.post("zhao.unit", f"/api/units/unit-mee/people/{gao}/evaluations",
                    json={"period": "2025", "aspects": {"work_style": "good"}, "overall": "good",
                          "observation": "无"}).status_code == 404
