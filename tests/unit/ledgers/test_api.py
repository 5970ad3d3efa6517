"""Ledgers over HTTP, per role: staff record, leadership closes and reopens, HQ reads, the unit sees its items."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api_helpers import Api, embedded_api
from tests.factories import evidence_file, look_back_checks

DIRECTIVE: dict[str, Any] = {
    "group_id": "group-mee", "unit_id": "unit-mee", "reference_number": "中办发〔2025〕8号",
    "issuer": "中共中央办公厅", "title": "关于加强长江经济带生态环境保护的重要指示", "issued_on": "2025-02-20",
    "received_on": "2025-02-24", "lead_department": "水生态环境司",
}
ITEM: dict[str, Any] = {"list_kind": "problem", "title": "废矿物油整治敷衍塞责", "owner": "固体废物与化学品司",
                        "follower": "zhou.min", "problem_type": "perfunctory",
                        "deadline": {"basis": "working", "count": 10, "from_date": "2025-03-03"}}


@pytest.fixture
def api() -> Iterator[Api]:
    with embedded_api() as api:
        yield api


def directive(api: Api) -> str:
    response = api.post("zhang.wei", "/api/ledgers/directives", json=DIRECTIVE)
    assert response.status_code == 201, response.text
    directive_id: str = response.json()["directive_id"]
    return directive_id


def item(api: Api, directive_id: str) -> str:
    response = api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/items", json=ITEM)
    assert response.status_code == 201, response.text
    item_id: str = response.json()["item_id"]
    return item_id


def test_staff_amends_and_withdraws_and_the_corrections_show_who(api: Api) -> None:
    directive_id = directive(api)
    amended = api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/amend",
                       json={"changes": {"lead_department": "长江流域生态环境监督管理局"}, "reason": "牵头部门调整"})
    assert amended.status_code == 200, amended.text
    no_reason = api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/withdraw", json={"reason": " "})
    assert no_reason.status_code == 422 and no_reason.json()["error"]["code"] == "reason_required"
    assert api.post("chen.hq", f"/api/ledgers/directives/{directive_id}/withdraw",
                    json={"reason": "x"}).status_code == 403
    assert api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/withdraw",
                    json={"reason": "重复登记"}).status_code == 200
    corrections = api.get("chen.hq", f"/api/ledgers/directives/{directive_id}/corrections").json()
    assert [(c["kind"], c["by"]["user"]) for c in corrections] == [("amended", "zhang.wei"), ("withdrawn", "zhang.wei")]
    stage = api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/stages",
                     json={"stage": "relay_study", "done_on": "2025-02-25", "summary": "传达", "done_by": "部党组"})
    assert stage.status_code == 409 and stage.json()["error"]["code"] == "directive_withdrawn"


def test_other_group_and_unit_cannot_see_directives(api: Api) -> None:
    directive_id = directive(api)
    assert api.get("zhou.other", f"/api/ledgers/directives/{directive_id}").status_code == 404
    assert api.get("zhao.unit", f"/api/ledgers/directives/{directive_id}").status_code == 404
    api.sync()
    assert api.get("zhou.other", "/api/ledgers/directives").json()["items"] == []
    assert len(api.get("chen.hq", "/api/ledgers/directives").json()["items"]) == 1
    assert api.post("zhou.other", f"/api/ledgers/directives/{directive_id}/items", json=ITEM).status_code == 404


def test_closure_needs_leadership_and_evidence_reopen_needs_leadership(api: Api) -> None:
    item_id = item(api, directive(api))
    close = {"summary": "整改完成", "evidence_refs": [evidence_file("整改报告")]}
    assert api.post("zhang.wei", f"/api/ledgers/items/{item_id}/close", json=close).status_code == 403
    no_evidence = api.post("li.na", f"/api/ledgers/items/{item_id}/close", json={"summary": "完成"})
    assert no_evidence.status_code == 422 and no_evidence.json()["error"]["code"] == "closure_needs_evidence"
    closed = api.post("wang.qiang", f"/api/ledgers/items/{item_id}/close", json=close)
    assert closed.status_code == 200, closed.text
    reopen = {"findings": "问题反弹", "reopen": True, "checks": look_back_checks(similar="inadequate")}
    assert api.post("zhang.wei", f"/api/ledgers/items/{item_id}/look-back", json=reopen).status_code == 403
    reopened = api.post("li.na", f"/api/ledgers/items/{item_id}/look-back", json=reopen)
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"


def test_the_unit_sees_only_items_addressed_to_it_without_the_groups_judgement(api: Api) -> None:
    item_id = item(api, directive(api))
    judged = api.post("zhang.wei", f"/api/ledgers/items/{item_id}/judgement",
                      json={"root_causes": ["capability_and_conduct"], "ecology": "individual"})
    assert judged.status_code == 200, judged.text
    seen = api.get("zhao.unit", f"/api/ledgers/items/{item_id}")
    assert seen.status_code == 200 and "root_causes" not in seen.json() and "follower" not in seen.json()
    api.sync()
    assert [i["item_id"] for i in api.get("zhao.unit", "/api/ledgers/items").json()["items"]] == [item_id]
    assert api.get("qian.unit2", f"/api/ledgers/items/{item_id}").status_code == 404
    assert api.get("qian.unit2", "/api/ledgers/items").json()["items"] == []
    assert api.post("zhao.unit", f"/api/ledgers/items/{item_id}/progress",
                    json={"status": "done", "summary": "完成"}).status_code == 403
    assert api.get("chen.hq", f"/api/ledgers/items/{item_id}").json()["root_causes"] == ["capability_and_conduct"]


def test_categories_rounds_reconciliation_and_scheduler(api: Api) -> None:
    category = {"code": "nuclear_safety", "name": "核安全监管工作", "look_back_days": 60}
    assert api.post("zhang.wei", "/api/ledgers/groups/group-mee/categories", json=category).status_code == 403
    assert api.post("li.na", "/api/ledgers/groups/group-mee/categories", json=category).status_code == 201
    assert api.get("zhou.other", "/api/ledgers/groups/group-mee/categories").status_code == 404
    directive_id = directive(api)
    opened = api.post("zhang.wei", "/api/ledgers/scheduling-rounds", json={
        "group_id": "group-mee", "unit_id": "unit-mee", "subject": "一季度调度", "directive_ids": [directive_id],
        "respond_by": {"basis": "working", "count": 5, "from_date": "2025-03-03"}})
    assert opened.status_code == 201, opened.text
    round_id = opened.json()["round_id"]
    assert api.get("zhao.unit", f"/api/ledgers/scheduling-rounds/{round_id}").status_code == 200
    assert api.get("qian.unit2", f"/api/ledgers/scheduling-rounds/{round_id}").status_code == 404
    rec = api.post("zhang.wei", "/api/ledgers/reconciliations", json={
        "group_id": "group-mee", "unit_id": "unit-mee", "report_id": "sr-1", "period": "2025Q1", "items": []})
    assert rec.status_code == 201 and rec.json()["findings"] == 1
    assert api.get("zhao.unit", f"/api/ledgers/reconciliations/{rec.json()['reconciliation_id']}").status_code == 404
    api.sync()
    assert len(api.get("chen.hq", "/api/ledgers/reconciliations").json()["items"]) == 1
    assert api.post("zhang.wei", "/api/ledgers/scheduler/run").status_code == 403
    assert api.post("li.na", "/api/ledgers/scheduler/run").status_code == 200


def test_group_staff_reads_its_directive_lists_and_three_looks(api: Api) -> None:
    directive_id = directive(api)
    item(api, directive_id)
    assert api.get("zhang.wei", f"/api/ledgers/directives/{directive_id}").status_code == 200
    lists = api.get("zhou.min", f"/api/ledgers/directives/{directive_id}/lists").json()["lists"]
    assert len(lists["problem"]) == 1 and lists["problem"][0]["due_on"] == "2025-03-17"
    looks = api.get("chen.hq", f"/api/ledgers/directives/{directive_id}/three-looks")
    assert looks.status_code == 200 and looks.json()["effect"]["items"] == 1
    scores = {"understanding": 4, "goal_setting": 4, "responsibility": 3, "drive": 3}
    evaluation = api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/evaluations",
                          json={"department": "水生态环境司", "scores": scores | {"drive": 9}, "rationale": "r"})
    assert evaluation.status_code == 422 and evaluation.json()["error"]["code"] == "score_out_of_range"


def test_an_outsider_gets_the_very_answer_of_a_missing_record(api: Api) -> None:
    directive_id = directive(api)
    item_id = item(api, directive_id)
    missing = "6f1c2a4e-6a41-4f43-9a53-70616970687a"
    for user, path in [("zhou.other", "/directives/{}"), ("zhao.unit", "/directives/{}"),
                       ("zhou.other", "/directives/{}/lists"), ("qian.unit2", "/items/{}"),
                       ("zhou.other", "/items/{}")]:
        record_id = item_id if path.startswith("/items") else directive_id
        hidden = api.get(user, "/api/ledgers" + path.format(record_id))
        absent = api.get(user, "/api/ledgers" + path.format(missing))
        assert (hidden.status_code, hidden.content) == (absent.status_code, absent.content), (user, path)
        assert hidden.status_code == 404
    for user, path, body in [("zhou.other", f"/items/{item_id}/progress", {"status": "done", "summary": "完成"}),
                             ("zhou.other", f"/directives/{directive_id}/withdraw", {"reason": "x"})]:
        hidden = api.post(user, "/api/ledgers" + path, json=body)
        absent = api.post(user, "/api/ledgers" + path.replace(item_id, missing).replace(directive_id, missing),
                          json=body)
        assert (hidden.status_code, hidden.content) == (absent.status_code, absent.content) == (404, absent.content)
