"""Clue queue read model over HTTP: who sees which clue, who counts which, figures by hand, rebuilds.

A small fixed history: clue A (group-mee, compartment li.na/zhang.wei/zhou.min) goes through inquiry to a
closure in the first form; clue B (group-mee, compartment li.na only, key person) stays registered; clue C
(group-mwr) stays registered.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api_helpers import Api, embedded_api

SUBJECT = "欧阳清风"
SUMMARY = "反映其在项目审批中收受购物卡"
GROUP_USERS = ("li.na", "wang.qiang", "zhang.wei", "zhou.min", "zhou.other", "he.leader2")
OTHERS = ("chen.hq", "sun.audit", "zhao.unit", "ma.party", "qian.unit2", "liu.team", "xu.team")
EVERYONE = GROUP_USERS + OTHERS


def body(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "unit_id": "unit-mee", "source": "petition", "subject_name": SUBJECT, "subject_post": "处长",
        "categories": ["integrity", "work"], "summary": SUMMARY, "assigned": ["zhou.min"],
        "received_on": "2025-03-03",
    }
    values.update(overrides)
    return values


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    result: dict[str, Any] = response.json()
    return result


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[Api, dict[str, str]]]:
    with embedded_api() as api:
        a = ok(api.post("zhang.wei", "/api/clues/clues", json=body()))["clue_id"]
        ok(api.post("zhang.wei", f"/api/clues/clues/{a}/assessments", json={"political_analysis": "先从政治上看"}))
        ok(api.post("zhang.wei", f"/api/clues/clues/{a}/proposal", json={"disposition": "inquiry", "reason": "可谈话"}))
        ok(api.post("li.na", f"/api/clues/clues/{a}/decision", json={"approved": True}))
        ok(api.post("zhou.min", f"/api/clues/clues/{a}/inquiry",
                    json={"form": "talk", "held_on": "2025-03-12", "summary": "谈话说明情况"}))
        ok(api.post("li.na", f"/api/clues/clues/{a}/conclusion",
                    json={"result": "closed", "reason": "说明清楚", "four_forms": 1}))
        b = ok(api.post("li.na", "/api/clues/clues", json=body(categories=["political"], assigned=[],
                                                               key_person=True, received_on="2025-03-10")))["clue_id"]
        c = ok(api.post("he.leader2", "/api/clues/clues", json=body(unit_id="unit-mwr", categories=["integrity"],
                                                                    assigned=["zhou.other"],
                                                                    received_on="2025-04-02")))["clue_id"]
        api.sync()
        yield api, {"A": a, "B": b, "C": c}


def listed(api: Api, user: str, **params: Any) -> list[str]:
    response = api.get(user, "/api/clues/clues", params=params)
    if response.status_code == 403:
        return []
    return [row["clue_id"] for row in ok(response)["items"]]


EXPECTED_LIST = {"li.na": {"A", "B"}, "zhang.wei": {"A"}, "zhou.min": {"A"}, "wang.qiang": set(),
                 "zhou.other": {"C"}, "he.leader2": {"C"}}


@pytest.mark.parametrize("user", EVERYONE)
def test_each_role_lists_exactly_the_clues_of_its_compartments(world: tuple[Api, dict[str, str]], user: str) -> None:
    api, ids = world
    response = api.get(user, "/api/clues/clues")
    if user in OTHERS:
        assert response.status_code == 403
        return
    names = {name for name, clue_id in ids.items() if clue_id in listed(api, user)}
    assert names == EXPECTED_LIST[user]
    for name, clue_id in ids.items():
        if name not in EXPECTED_LIST[user]:
            assert clue_id not in response.text
    assert SUBJECT not in response.text and SUMMARY not in response.text


def test_facts_of_a_clue_in_the_list(world: tuple[Api, dict[str, str]]) -> None:
    api, ids = world
    rows = {r["clue_id"]: r for r in ok(api.get("li.na", "/api/clues/clues"))["items"]}
    a, b = rows[ids["A"]], rows[ids["B"]]
    assert (a["status"], a["disposition"], a["four_forms"], a["result"]) == ("closed", "inquiry", 1, "closed")
    assert a["open_deadline"] is None and a["categories"] == ["integrity", "work"]
    assert (b["status"], b["disposition"], b["open_deadline"]["kind"]) == ("registered", None, "disposition")
    assert list(rows) == [ids["B"], ids["A"]]  # newest received first
    # the service's own facts agree with the read model's
    facts = ok(api.get("li.na", f"/api/clues/clues/{ids['A']}"))
    assert {k: facts[k] for k in ("status", "disposition", "four_forms", "result", "open_deadline", "overdue")} == \
        {k: a[k] for k in ("status", "disposition", "four_forms", "result", "open_deadline", "overdue")}


def test_paging_and_filters(world: tuple[Api, dict[str, str]]) -> None:
    api, ids = world
    first = ok(api.get("li.na", "/api/clues/clues", params={"limit": 1}))
    assert [r["clue_id"] for r in first["items"]] == [ids["B"]] and first["next_cursor"]
    second = ok(api.get("li.na", "/api/clues/clues", params={"limit": 1, "cursor": first["next_cursor"]}))
    assert [r["clue_id"] for r in second["items"]] == [ids["A"]] and second["next_cursor"] is None
    assert listed(api, "li.na", status="closed") == [ids["A"]]
    assert api.get("li.na", "/api/clues/clues", params={"sort": "title"}).status_code == 422
    assert api.get("li.na", "/api/clues/clues", params={"status": "nonsense"}).status_code == 422


FIGURES_MEE = {"total": 2, "status": {"closed": 1, "registered": 1},
               "category": {"integrity": 1, "political": 1, "work": 1},
               "disposition": {"inquiry": 1, "none": 1}, "four_forms": {"1": 1, "none": 1}}
FIGURES_MWR = {"total": 1, "status": {"registered": 1}, "category": {"integrity": 1},
               "disposition": {"none": 1}, "four_forms": {"none": 1}}


@pytest.mark.parametrize("user", EVERYONE)
def test_hq_clue_figures_are_hq_and_audit_only_and_numbers_only(world: tuple[Api, dict[str, str]], user: str) -> None:
    api, ids = world
    response = api.get(user, "/api/hq/clue-figures")
    if user not in ("chen.hq", "sun.audit"):
        assert response.status_code == 403
        return
    item = ok(response)["item"]
    assert item["groups"] == {"group-mee": FIGURES_MEE, "group-mwr": FIGURES_MWR}
    assert item["total"]["total"] == 3 and item["total"]["category"]["integrity"] == 2
    assert not any(clue_id in response.text for clue_id in ids.values()) and SUBJECT not in response.text


def test_hq_clue_figures_within_a_period(world: tuple[Api, dict[str, str]]) -> None:
    api, _ = world
    item = ok(api.get("chen.hq", "/api/hq/clue-figures", params={"from": "2025-03-05", "to": "2025-03-31"}))["item"]
    assert item["groups"] == {"group-mee": {"total": 1, "status": {"registered": 1}, "category": {"political": 1},
                                            "disposition": {"none": 1}, "four_forms": {"none": 1}}}
    assert api.get("chen.hq", "/api/hq/clue-figures", params={"from": "2025-04-01", "to": "2025-03-01"}).status_code == 422


EXPECTED_COUNT = {"li.na": 2, "zhang.wei": 1, "zhou.min": 1, "wang.qiang": 0, "zhou.other": 1, "he.leader2": 1,
                  "chen.hq": 3, "sun.audit": 3}


@pytest.mark.parametrize("user", EVERYONE)
def test_statistics_never_count_a_clue_the_reader_may_not_read(world: tuple[Api, dict[str, str]], user: str) -> None:
    api, _ = world
    response = api.get(user, "/api/clues/statistics")
    if user not in EXPECTED_COUNT:
        assert response.status_code == 403
        return
    assert ok(response)["item"]["total"] == EXPECTED_COUNT[user]


def test_compartment_changes_are_reflected(world: tuple[Api, dict[str, str]]) -> None:
    api, ids = world
    added = ok(api.post("li.na", f"/api/clues/clues/{ids['B']}/members", json={"user": "wang.qiang", "reason": "分管"}))
    after = {"after": f"clues:{added['position']}"}
    assert listed(api, "wang.qiang", **after) == [ids["B"]]
    assert ok(api.get("wang.qiang", "/api/clues/statistics", params=after))["item"]["total"] == 1
    removed = ok(api.post("li.na", f"/api/clues/clues/{ids['B']}/members/remove",
                          json={"user": "wang.qiang", "reason": "回避"}))
    after = {"after": f"clues:{removed['position']}"}
    assert listed(api, "wang.qiang", **after) == []
    assert ok(api.get("wang.qiang", "/api/clues/statistics", params=after))["item"]["total"] == 0


def test_recommendation_lifecycle_is_reflected_in_the_list(world: tuple[Api, dict[str, str]]) -> None:
    api, _ = world
    body = {"unit_id": "unit-mee", "reference_number": "驻部组建议〔2025〕9号", "title": "关于审批权力运行的建议",
            "problems": ["审批环节多"], "recommendations": ["压缩环节"], "responsible_department": "办公厅",
            "deadline": "2025-09-30"}
    rec_id = ok(api.post("zhang.wei", "/api/clues/recommendations", json=body))["recommendation_id"]
    ok(api.post("li.na", f"/api/clues/recommendations/{rec_id}/issue", json={"issued_on": "2025-03-20"}))
    ok(api.post("zhang.wei", f"/api/clues/recommendations/{rec_id}/responses",
                json={"report_id": "rep-1", "summary": "已制定裁量基准", "completed": True, "received_on": "2025-05-06"}))
    closed = ok(api.post("li.na", f"/api/clues/recommendations/{rec_id}/close",
                         json={"evidence": "裁量基准文件", "closed_on": "2025-05-10"}))
    after = {"after": f"clues:{closed['position']}"}
    for user in ("zhao.unit", "chen.hq", "li.na"):
        rows = {r["recommendation_id"]: r for r in ok(api.get(user, "/api/clues/recommendations", params=after))["items"]}
        row = rows[rec_id]
        assert (row["status"], row["issued_on"], row["closure"]) == (
            "closed", "2025-03-20", {"closed_on": "2025-05-10", "evidence": "裁量基准文件"})
        assert [r["report_id"] for r in row["responses"]] == ["rep-1"]
        by_id = ok(api.get(user, f"/api/clues/recommendations/{rec_id}"))
        assert {k: v for k, v in row.items() if k != "version"} == {k: v for k, v in by_id.items() if k != "version"}
    assert rec_id not in api.get("qian.unit2", "/api/clues/recommendations", params=after).text


def test_rebuild_gives_identical_checksums(world: tuple[Api, dict[str, str]]) -> None:
    api, _ = world
    api.sync()
    runner = api.platform.runners["clue_queue"]
    first = runner.projection.checksum(runner.db)
    with runner.db.transaction() as tx:
        assert tx.fetchone("SELECT COUNT(*) FROM clue_recommendations")[0] == 1  # type: ignore[index]
    for _ in range(2):
        runner.reset()
        api.sync()
        assert runner.projection.checksum(runner.db) == first
