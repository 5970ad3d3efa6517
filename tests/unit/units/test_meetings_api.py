"""Meeting supervision and the three-level network over HTTP: who may record and read, and the lists."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api_helpers import Api, embedded_api


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def person(api: Api, name: str) -> str:
    unit = ok(api.get("zhang.wei", "/api/units/units/unit-mee"))
    [found] = [p for p in unit["posts"] if p["person_name"] == name]
    return str(found.get("person_id") or found["post_id"])


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api() as api:
        for group, unit, name, user in (("group-mee", "unit-mee", "生态环境部", "zhang.wei"),
                                        ("group-mwr", "unit-mwr", "水利部", "zhou.other")):
            ok(api.post(user, "/api/units/units", json={"group_id": group, "unit_id": unit, "name": name,
                                                        "party_group_name": "部党组"}), 201)
        ok(api.post("zhang.wei", "/api/units/units/unit-mee/departments",
                    json={"department_id": "dqs", "name": "大气环境司", "kind": "bureau"}), 201)
        for name, kind, title, department in (("林正国", "head", "部长", "party-group"),
                                              ("周亚平", "discipline_secretary", "机关纪委书记", "party-group"),
                                              ("何静", "branch_discipline_member", "支部纪检委员", "dqs")):
            ok(api.post("zhang.wei", "/api/units/units/unit-mee/posts",
                        json={"person_name": name, "post_kind": kind, "title": title, "department_id": department,
                              "since": "2024-01-01"}), 201)
        yield api


def directive(api: Api, user: str, group: str, unit: str) -> str:
    """A directive of the group's ledger, in the group workbench read model (a contact's directive is checked there)."""
    found = ok(api.post(user, "/api/ledgers/directives", json={
        "group_id": group, "unit_id": unit, "reference_number": f"{unit}〔2025〕3号", "issuer": "中共中央办公厅",
        "title": "关于持续深入打好污染防治攻坚战的重要指示", "issued_on": "2025-02-20", "received_on": "2025-02-24",
        "lead_department": "大气环境司"}), 201)
    api.sync()
    return str(found["directive_id"])


def test_a_talk_is_the_group_and_hqs_and_never_the_units(api: Api) -> None:
    directive_id = directive(api, "zhang.wei", "group-mee", "unit-mee")
    body = {"kind": "exchange_of_views", "held_on": "2025-03-01", "title": "通报一季度监督情况",
            "person_ids": [person(api, "林正国")], "attended_by": ["李娜"], "observation": "一把手表示将抓好整改",
            "directive_id": directive_id, "stage": "deployment"}
    # the unit may not know such records exist: the 404 of a missing one
    assert api.post("zhao.unit", "/api/units/units/unit-mee/leadership-contacts", json=body).status_code == 404
    assert api.post("zhou.other", "/api/units/units/unit-mee/leadership-contacts", json=body).status_code == 404
    created = ok(api.post("li.na", "/api/units/units/unit-mee/leadership-contacts", json=body), 201)
    path = f"/api/units/leadership-contacts/{created['contact_id']}"
    assert ok(api.get("chen.hq", path))["observations"][0]["note"] == "一把手表示将抓好整改"
    assert api.get("zhao.unit", path).status_code == 404
    after = {"after": f"units:{created['position']}"}
    rows = ok(api.get("li.na", "/api/units/units/unit-mee/leadership-contacts",
                      params={**after, "directive_id": directive_id}))["items"]
    assert [(r["kind"], r["stage"], r["observation_count"]) for r in rows] == [("exchange_of_views", "deployment", 1)]
    assert api.get("zhao.unit", "/api/units/units/unit-mee/leadership-contacts", params=after).status_code == 404
    assert api.post("li.na", "/api/units/units/unit-mee/leadership-contacts",
                    json={**body, "kind": "lunch"}).status_code == 422


def test_the_network_shows_vacancies_to_the_unit_and_its_joint_work_is_listed(api: Api) -> None:
    network = ok(api.get("zhao.unit", "/api/units/units/unit-mee/network"))
    assert network["vacancies"] == 1  # 机关纪委委员 not yet appointed
    [vacant] = [p for p in network["positions"] if p["vacant"]]
    assert vacant["post_kind"] == "discipline_member"
    body = {"kind": "training", "held_on": "2025-02-20", "title": "纪检业务专题培训班", "summary": "执纪执法贯通",
            "participant_ids": [person(api, "周亚平"), person(api, "何静")]}
    created = ok(api.post("zhang.wei", "/api/units/units/unit-mee/network-activities", json=body), 201)
    assert ok(api.get("zhao.unit", f"/api/units/network-activities/{created['activity_id']}"))["kind"] == "training"
    rows = ok(api.get("zhao.unit", "/api/units/units/unit-mee/network-activities",
                      params={"after": f"units:{created['position']}"}))["items"]
    assert [(r["title"], len(r["participant_ids"])) for r in rows] == [("纪检业务专题培训班", 2)]
    assert api.get("zhou.other", "/api/units/units/unit-mee/network").status_code == 404
    refused = api.post("zhang.wei", "/api/units/units/unit-mee/network-activities",
                       json={**body, "participant_ids": [person(api, "林正国")]})
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "person_not_on_roster"


def test_a_contact_names_a_directive_of_the_group_only_and_another_groups_is_refused_like_a_missing_one(
        api: Api) -> None:
    """Issue #15: a directive id from another service is checked on the group workbench read model; another
    group's directive gets exactly the answer of one that does not exist (its existence is not the caller's)."""
    theirs = directive(api, "zhou.other", "group-mwr", "unit-mwr")
    body = {"kind": "talk", "held_on": "2025-03-02", "title": "谈心谈话", "person_ids": [person(api, "何静")],
            "attended_by": ["李娜"], "observation": "思想稳定"}
    answers = [api.post("li.na", "/api/units/units/unit-mee/leadership-contacts", json={**body, "directive_id": d})
               for d in (theirs, "no-such-directive")]
    assert [a.status_code for a in answers] == [422, 422]
    assert [a.json()["error"]["code"] for a in answers] == ["unknown_directive", "unknown_directive"]
    assert [a.json()["error"]["details"][0]["field"] for a in answers] == ["directive_id", "directive_id"]
    assert answers[0].json()["error"]["message"].replace(theirs, "X") == \
        answers[1].json()["error"]["message"].replace("no-such-directive", "X")
    assert api.post("li.na", "/api/units/units/unit-mee/leadership-contacts", json=body).status_code == 201
