"""Issue #15 in the portal: the item form's owner is chosen from the unit's roster (the person's name shown when no
name is written) and its follower from the group's members; a refused choice is shown next to its field."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.api_helpers import Api, embedded_api
from tests.unit.web.test_workbench_forms import a_directive, signed_in


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api(demo=True) as api:
        api.sync()
        yield api


def test_the_item_form_offers_the_roster_and_the_members_and_shows_a_refused_choice_by_its_field(api: Api) -> None:
    client = signed_in(api, "li.na")
    csrf = client.cookies["paizhu_csrf"]
    directive_id = a_directive(client)
    unit_id = api.get("li.na", f"/api/ledgers/directives/{directive_id}").json()["unit_id"]
    people = api.get("li.na", "/api/people", params={"unit_id": unit_id, "limit": 200}).json()["items"]
    assert people, "the demo's roster of the directive's unit"
    person = people[0]
    page = client.get(f"/group/directives/{directive_id}").text
    select = re.search(r'<select id="item-task-owner_person_id" name="owner_person_id">(.*?)</select>', page, re.S)
    assert select is not None and f'<option value="{person["person_id"]}">{person["name"]}</option>' in select.group(1)
    assert re.search(r'<select id="item-task-follower" name="follower" required>.*?<option value="zhou.min"', page, re.S)
    assert 'value="zhou.other"' not in page  # another group's member is not offered

    form = {"list_kind": "task", "title": "表单测试：按名册选责任人", "owner": "", "owner_person_id": person["person_id"],
            "follower": "zhou.min", "csrf_token": csrf}
    added = client.post(f"/group/directives/{directive_id}/items", data=form, follow_redirects=False)
    assert added.status_code == 303, added.text
    api.sync()
    items = api.get("li.na", "/api/ledgers/items", params={"directive_id": directive_id, "limit": 200}).json()["items"]
    [item] = [i for i in items if i["title"] == form["title"]]
    found = api.get("li.na", f"/api/ledgers/items/{item['item_id']}").json()
    assert (found["owner"], found["owner_person_id"]) == (person["name"], person["person_id"])
    listed = client.get(f"/group/directives/{directive_id}/lists/task").text
    assert f'<a href="/group/people/{person["person_id"]}"' in listed

    stranger = client.post(f"/group/directives/{directive_id}/items", data=form | {"follower": "zhou.other",
                                                                                  "title": "督办人不是本组成员"})
    assert stranger.status_code == 422 and 'id="item-task-follower-error"' in stranger.text
    nobody = client.post(f"/group/directives/{directive_id}/items", data=form | {"owner_person_id": "nobody",
                                                                                "owner": "某人"})
    assert nobody.status_code == 422 and 'id="item-task-owner_person_id-error"' in nobody.text


def test_the_demo_shows_an_item_owned_by_a_person_of_the_roster(api: Api) -> None:
    [gao] = api.get("zhang.wei", "/api/people", params={"name": "高建民"}).json()["items"]
    matters = api.get("zhang.wei", f"/api/people/{gao['person_id']}/matters").json()["items"]
    [owned] = [m for m in matters if m["title"] == "重点区域秋冬季大气污染综合治理"]
    assert (owned["role"], owned["owner"], owned["owner_person_id"]) == ("owner", "大气环境司", gao["person_id"])
    people = api.get("zhang.wei", f"/api/people/matters/{owned['matter_id']}/people").json()["item"]
    assert [(p["person_id"], p["person"], p["role"]) for p in people] == [(gao["person_id"], "高建民", "owner")]


def test_the_meeting_form_refuses_a_directive_not_of_the_group_next_to_its_field(api: Api) -> None:
    client = signed_in(api, "zhang.wei")
    people = api.get("zhang.wei", "/api/people", params={"unit_id": "unit-mee", "limit": 200}).json()["items"]
    form = {"kind": "talk", "held_on": "2025-10-10", "title": "谈心谈话", "person_ids": [people[0]["person_id"]],
            "attended_by": ["张伟"], "observation": "思想稳定", "directive_id": "no-such-directive",
            "csrf_token": client.cookies["paizhu_csrf"]}
    refused = client.post("/group/meetings/unit-mee", data=form)
    assert refused.status_code == 422 and 'id="contact-directive_id-error"' in refused.text
    directive_id = a_directive(client)
    recorded = client.post("/group/meetings/unit-mee", data=form | {"directive_id": directive_id},
                           follow_redirects=False)
    assert recorded.status_code == 303, recorded.text
