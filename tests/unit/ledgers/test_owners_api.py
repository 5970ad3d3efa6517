"""Issue #15 (专人督办, 既监督事也监督人) over HTTP: an item's owner is a person of its unit's roster and its follower
a member of its group, both checked by the gateway on the read models; the person's file lists the items they own
and the follower's workbench the items they follow; a stranger still gets the 404 of a record they may not know."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count
from typing import Any

import pytest

from tests.api_helpers import Api, embedded_api


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def refused(response: Any, code: str, field: str) -> None:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert (error["code"], [d["field"] for d in error["details"]]) == (code, [field])


def roster_person(api: Api, user: str, unit: str, name: str) -> str:
    found = ok(api.get(user, f"/api/units/units/{unit}"))
    [post] = [p for p in found["posts"] if p["person_name"] == name]
    return str(post["person_id"])


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api() as api:
        for group, unit, name, user, person in (("group-mee", "unit-mee", "生态环境部", "zhang.wei", "王明"),
                                                ("group-mwr", "unit-mwr", "水利部", "zhou.other", "赵刚")):
            ok(api.post(user, "/api/units/units", json={"group_id": group, "unit_id": unit, "name": name,
                                                        "party_group_name": "部党组"}), 201)
            ok(api.post(user, f"/api/units/units/{unit}/departments",
                        json={"department_id": "gfs", "name": "固体废物与化学品司", "kind": "bureau"}), 201)
            ok(api.post(user, f"/api/units/units/{unit}/posts",
                        json={"person_name": person, "post_kind": "department_head", "title": "司长",
                              "department_id": "gfs", "since": "2024-01-01"}), 201)
        api.sync()
        yield api


NUMBERS = count(8)


def directive(api: Api) -> str:
    found = ok(api.post("zhang.wei", "/api/ledgers/directives", json={
        "group_id": "group-mee", "unit_id": "unit-mee", "reference_number": f"中办发〔2025〕{next(NUMBERS)}号",
        "issuer": "中共中央办公厅", "title": "关于加强长江经济带生态环境保护的重要指示", "issued_on": "2025-02-20",
        "received_on": "2025-02-24", "lead_department": "水生态环境司"}), 201)
    return str(found["directive_id"])


ITEM = {"list_kind": "task", "title": "废矿物油专项整治", "owner": "王明", "follower": "zhou.min"}


def test_an_item_owned_by_a_roster_person_is_in_their_file_and_in_the_followers_workbench(api: Api) -> None:
    directive_id = directive(api)
    wang = roster_person(api, "zhang.wei", "unit-mee", "王明")
    added = ok(api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/items",
                        json={**ITEM, "owner_person_id": wang}), 201)
    item = ok(api.get("zhang.wei", f"/api/ledgers/items/{added['item_id']}"))
    assert (item["owner"], item["owner_person_id"], item["follower"]) == ("王明", wang, "zhou.min")
    after = {"after": f"ledgers:{added['position']}"}
    matters = ok(api.get("li.na", f"/api/people/{wang}/matters", params=after))["items"]
    assert [(m["matter_id"], m["role"], m["owner_person_id"]) for m in matters] == [(added["item_id"], "owner", wang)]
    people = ok(api.get("li.na", f"/api/people/matters/{added['item_id']}/people", params=after))["item"]
    assert [(p["person_id"], p["role"]) for p in people] == [(wang, "owner")]
    following = ok(api.get("zhou.min", "/api/ledgers/workbench/following", params=after))["items"]
    assert added["item_id"] in [row["record_id"] for row in following]
    assert added["item_id"] not in [row["record_id"] for row in
                                    ok(api.get("zhang.wei", "/api/ledgers/workbench/following", params=after))["items"]]
    listed = ok(api.get("li.na", "/api/ledgers/items", params={**after, "follower": "zhou.min"}))["items"]
    assert added["item_id"] in [row["item_id"] for row in listed]


def test_another_units_person_or_a_follower_outside_the_group_is_a_field_error(api: Api) -> None:
    directive_id = directive(api)
    api.sync()
    path = f"/api/ledgers/directives/{directive_id}/items"
    theirs = roster_person(api, "zhou.other", "unit-mwr", "赵刚")
    refused(api.post("zhang.wei", path, json={**ITEM, "owner_person_id": theirs}), "owner_not_on_roster",
            "owner_person_id")
    refused(api.post("zhang.wei", path, json={**ITEM, "owner_person_id": "nobody"}), "owner_not_on_roster",
            "owner_person_id")
    refused(api.post("zhang.wei", path, json={**ITEM, "follower": "zhou.other"}), "follower_not_member", "follower")
    refused(api.post("zhang.wei", path, json={**ITEM, "follower": "zhao.unit"}), "follower_not_member", "follower")
    added = ok(api.post("zhang.wei", path, json=ITEM), 201)  # the owner by name only, as before
    assert ok(api.get("zhang.wei", f"/api/ledgers/items/{added['item_id']}"))["owner_person_id"] is None
    follower = f"/api/ledgers/items/{added['item_id']}/follower"
    refused(api.post("zhang.wei", follower, json={"follower": "zhou.other"}), "follower_not_member", "follower")
    ok(api.post("zhang.wei", follower, json={"follower": "wang.qiang"}))
    # a stranger to the group: the 404 of a record they may not know, whatever follower they name
    assert api.post("zhou.other", follower, json={"follower": "zhou.other"}).status_code == 404
    assert api.post("zhou.other", path, json={**ITEM, "follower": "zhou.other"}).status_code == 404


def test_an_item_on_a_directive_not_yet_in_the_read_model_is_checked_all_the_same(api: Api) -> None:
    """Read-your-writes: the directive registered a moment ago is read through its service, not refused."""
    directive_id = directive(api)
    path = f"/api/ledgers/directives/{directive_id}/items"
    refused(api.post("zhang.wei", path, json={**ITEM, "follower": "zhou.other"}), "follower_not_member", "follower")
    ok(api.post("zhang.wei", path, json=ITEM), 201)


def test_the_groups_default_follower_is_one_of_its_members(api: Api) -> None:
    path = "/api/ledgers/groups/group-mee/default-follower"
    refused(api.request("PUT", "li.na", path, json={"follower": "zhou.other"}), "follower_not_member", "follower")
    assert ok(api.request("PUT", "li.na", path, json={"follower": "wang.qiang"}))["default_follower"] == "wang.qiang"
    # another group's leader: the service's refusal, whoever is named
    other = api.request("PUT", "he.leader2", path, json={"follower": "zhou.other"})
    assert other.status_code in (403, 404)
