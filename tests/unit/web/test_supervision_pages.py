"""Issue #12 for the facts of issue #15, against the embedded platform in memory: meeting supervision and talks,
the three-level network, accountability, leader evaluations on a person's page, and the channel's withdrawal.
Each page renders for the group, is refused to a unit's user (403 for a list, 404 for a record it may not know),
says the server's problems next to the fields, and records the fact through the service; names, not ids."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway.web.i18n import catalogue
from tests.api_helpers import Api, embedded_api
from tests.unit.clues.test_api_leakage import clue_body
from tests.unit.web.test_more_pages import csrf, nav_of
from tests.unit.web.test_pages import signed_in

TEMPLATES = Path(__file__).resolve().parents[3] / "gateway" / "web" / "templates"
NEW_TEMPLATES = ("meetings", "meeting", "network", "accountability", "accountability_new", "accountability_one",
                 "item_withdraw", "people_person", "_checks")
PAGES = ("/group/meetings", "/group/network", "/group/accountability", "/group/accountability/new")
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api(demo=True) as api:
        api.sync()
        yield api


def roster(api: Api) -> dict[str, str]:
    """Name → person id of the demo unit's roster (`GET /api/people`)."""
    found = api.get("zhang.wei", "/api/people?unit_id=unit-mee&limit=200").json()["items"]
    return {p["name"]: p["person_id"] for p in found}


def test_every_text_key_of_the_new_pages_is_in_both_catalogues() -> None:
    chinese, english = catalogue("zh-CN"), catalogue("en")
    for name in NEW_TEMPLATES:
        text = (TEMPLATES / f"{name}.html").read_text(encoding="utf-8")
        keys = {k for k in re.findall(r"""\bt\(["']([a-z_.0-9]+)["']""", text) if not k.endswith((".", "_"))}
        assert keys, name
        assert sorted(keys - chinese.keys()) == [] and sorted(keys - english.keys()) == [], name
        assert "<script" not in text and not re.search(r"\son[a-z]+=", text), name  # CSP: no inline scripts


def test_the_pages_are_the_groups_in_both_languages_and_refused_to_others(api: Api) -> None:
    staff = signed_in(api, "zhang.wei")
    assert {"/group/meetings", "/group/network", "/group/accountability"} <= set(nav_of(staff.get("/group").text))
    for user, home in (("zhao.unit", "/unit"), ("chen.hq", "/hq"), ("liu.team", "/inspection")):
        other = signed_in(api, user)
        assert not {"/group/meetings", "/group/network", "/group/accountability"} & set(nav_of(other.get(home).text))
    for path in PAGES:
        shown = staff.get(path)
        assert shown.status_code == 200, (path, shown.text)
        assert 'lang="zh-CN"' in shown.text and "content-security-policy" in shown.headers
    unit = signed_in(api, "zhao.unit")
    for path in PAGES:
        assert unit.get(path).status_code == 403, path
    contact = re.search(rf"/group/meetings/contacts/({UUID})", staff.get("/group/meetings").text)
    record = re.search(rf"/group/accountability/({UUID})", staff.get("/group/accountability").text)
    assert contact and record
    for path in (f"/group/meetings/contacts/{contact[1]}", f"/group/accountability/{record[1]}"):
        assert staff.get(path).status_code == 200, path
        assert unit.get(path).status_code == 404, path  # the page of a missing record
    assert signed_in(api, "zhou.other").get(f"/group/meetings/contacts/{contact[1]}").status_code == 404
    assert signed_in(api, "zhou.other").get("/group/meetings?unit=unit-mee").status_code == 404
    english = signed_in(api, "zhang.wei")
    english.get("/lang/en?next=/group/network")
    network = english.get("/group/network").text
    assert "<h1>Three-level supervision network</h1>" in network and ">Accountability</a>" in network


def test_a_meeting_is_recorded_with_what_was_observed_and_listed_by_name(api: Api) -> None:
    staff, people = signed_in(api, "zhang.wei"), roster(api)
    listed = staff.get("/group/meetings?unit=unit-mee").text
    assert f'<a href="/group/people/{people["林正国"]}">林正国</a>' in listed  # a name, not the roster id
    assert 'for="contact-observation"' in listed and 'id="contact-person_ids"' in listed
    empty = staff.post("/group/meetings/unit-mee", data={"kind": "talk", "csrf_token": csrf(staff)})
    assert empty.status_code == 422
    assert re.search(r'id="contact-title-error">必填', empty.text) and 'id="contact-person_ids-error"' in empty.text
    assert 'id="contact-observation-error"' in empty.text and 'value="talk" selected' in empty.text
    form = {"kind": "leadership_meeting", "held_on": "2025-10-09", "title": "部党组会议（2025年第9次）",
            "person_ids": [people["林正国"], people["吴海峰"]], "attended_by": ["李娜"],
            "observation": "研究长江保护修复攻坚方案，议题材料准备不足", "concern": "true", "csrf_token": csrf(staff)}
    refused = staff.post("/group/meetings/unit-mee", data=form)
    assert refused.status_code == 422 and "须注明会议类型" in refused.text  # the service's rule, on the form
    recorded = staff.post("/group/meetings/unit-mee", data=form | {"meeting_kind": "party_group_meeting"},
                          follow_redirects=False)
    assert recorded.status_code == 303, recorded.text
    found = re.search(rf"/group/meetings/contacts/({UUID})", recorded.headers["location"])
    assert found is not None
    contact_id = found[1]
    shown = staff.get(recorded.headers["location"]).text
    assert "部党组会议（2025年第9次）" in shown and "议题材料准备不足" in shown and ">吴海峰</a>" in shown
    stored = api.get("zhang.wei", f"/api/units/leadership-contacts/{contact_id}").json()
    assert stored["meeting_kind"] == "party_group_meeting" and stored["observations"][0]["concern"] is True
    blank = staff.post(f"/group/meetings/contacts/{contact_id}/observations", data={"csrf_token": csrf(staff)})
    assert blank.status_code == 422 and 'id="observation-note-error"' in blank.text
    added = staff.post(f"/group/meetings/contacts/{contact_id}/observations",
                       data={"note": "会后补充：方案已退回修改", "csrf_token": csrf(staff)}, follow_redirects=False)
    assert added.status_code == 303
    assert "会后补充：方案已退回修改" in staff.get(added.headers["location"]).text
    api.sync()
    assert "部党组会议（2025年第9次）" in staff.get("/group/meetings?unit=unit-mee").text


def test_the_network_shows_vacancies_and_records_joint_work(api: Api) -> None:
    staff, people = signed_in(api, "zhang.wei"), roster(api)
    shown = staff.get("/group/network").text
    vacancies = api.get("zhang.wei", "/api/units/units/unit-mee/network").json()["vacancies"]
    assert vacancies and f"空缺岗位 {vacancies} 个" in shown and shown.count('class="overdue vacant"') == vacancies
    assert ">周亚平</a>" in shown and "何静、罗斌、唐敏" in shown  # participants by name
    empty = staff.post("/group/network/unit-mee/activities", data={"kind": "training", "csrf_token": csrf(staff)})
    assert empty.status_code == 422 and 'id="network-participant_ids-error"' in empty.text
    assert 'id="network-summary-error"' in empty.text
    recorded = staff.post("/group/network/unit-mee/activities", data={
        "kind": "joint_meeting", "held_on": "2025-11-03", "title": "三级联动第四季度联席会议",
        "summary": "通报线索处置和案件查办情况", "participant_ids": [people["周亚平"], people["何静"]],
        "csrf_token": csrf(staff)}, follow_redirects=False)
    assert recorded.status_code == 303, recorded.text
    listed = staff.get(recorded.headers["location"]).text  # read after the write
    assert "三级联动第四季度联席会议" in listed and "周亚平、何静" in listed and "已记录联动工作" in listed


def test_accountability_is_proposed_on_items_and_decided_by_the_leadership(api: Api) -> None:
    staff, leader, people = signed_in(api, "zhang.wei"), signed_in(api, "li.na"), roster(api)
    listed = staff.get("/group/accountability").text
    assert ">陈立群</a>" in listed and 'href="/group/people/' in listed  # the person by name, linked
    directive, item = next(
        (d["directive_id"], i) for d in api.get("zhang.wei", "/api/ledgers/directives?unit_id=unit-mee").json()["items"]
        for items in api.get("zhang.wei", f"/api/ledgers/directives/{d['directive_id']}/lists").json()["lists"].values()
        for i in items)
    chosen = staff.get(f"/group/accountability/new?directive={directive}")
    assert chosen.status_code == 200 and f'value="{item["item_id"]}"' in chosen.text and ">林正国</option>" in chosen.text
    target = f"/group/directives/{directive}/accountability"
    empty = staff.post(target, data={"form": "admonishment", "csrf_token": csrf(staff)})
    assert empty.status_code == 422 and 'id="proposal-item_ids-error"' in empty.text
    assert 'id="proposal-person_id-error"' in empty.text and 'id="proposal-grounds-error"' in empty.text
    proposed = staff.post(target, data={"item_ids": [item["item_id"]], "person_id": people["吴海峰"],
                                        "form": "notification", "failed_duty": "督促整改不力",
                                        "grounds": "经两次督办仍未落实", "csrf_token": csrf(staff)},
                          follow_redirects=False)
    assert proposed.status_code == 303, proposed.text
    page = proposed.headers["location"].split("?")[0]
    accountability_id = page.rsplit("/", 1)[1]
    shown = staff.get(page).text
    assert "对吴海峰的问责" in shown and f'#item-{item["item_id"]}"' in shown and item["title"] in shown
    assert 'id="decide-form"' not in shown  # staff propose; the leadership decides
    assert staff.post(f"{page}/decision", data={"outcome": "decided", "csrf_token": csrf(staff)}).status_code == 403
    assert 'id="decide-form"' in leader.get(page).text
    blank = leader.post(f"{page}/decision", data={"outcome": "decided", "csrf_token": csrf(leader)})
    assert blank.status_code == 422 and 'id="decision-decided_by_body-error"' in blank.text
    no_form = leader.post(f"{page}/decision", data={"outcome": "decided", "decided_by_body": "部党组",
                                                   "decided_on": "2025-12-30", "csrf_token": csrf(leader)})
    assert no_form.status_code == 422 and "须写明问责方式" in no_form.text
    proposed_on = api.get("li.na", f"/api/ledgers/accountability/{accountability_id}").json()["proposed_on"]
    decided = leader.post(f"{page}/decision", data={"outcome": "decided", "form": "notification",
                                                    "decided_by_body": "部党组", "decided_on": proposed_on,
                                                    "csrf_token": csrf(leader)}, follow_redirects=False)
    assert decided.status_code == 303
    assert api.get("li.na", f"/api/ledgers/accountability/{accountability_id}").json()["status"] == "decided"
    assert 'id="decide-form"' not in leader.get(page).text
    api.sync()
    assert f"/group/accountability/{accountability_id}" in staff.get("/group/accountability?status=decided").text


def test_a_leader_is_evaluated_on_the_person_page_by_the_group_only(api: Api) -> None:
    staff, people = signed_in(api, "zhang.wei"), roster(api)
    page = f"/group/people/{people['吴海峰']}"
    shown = staff.get(page).text
    assert 'id="evaluation-form"' in shown and 'for="evaluation-aspect_work_style"' in shown
    assert 'id="evaluation-form"' not in staff.get(f"/group/people/{people['何静']}").text  # not a leader
    missing = staff.post(f"{page}/evaluations", data={"period": "2025", "aspect_integrity": "good",
                                                       "overall": "good", "observation": "谈话中反映",
                                                       "csrf_token": csrf(staff)})
    assert missing.status_code == 422 and 'id="evaluation-aspects-error">须评价作风' in missing.text
    bad = staff.post(f"{page}/evaluations", data={"period": "25", "csrf_token": csrf(staff)})
    assert bad.status_code == 422 and 'id="evaluation-period-error"' in bad.text and 'value="25"' in bad.text
    empty = staff.post(f"{page}/evaluations", data={"period": "2025", "csrf_token": csrf(staff)})
    assert empty.status_code == 422 and 'id="evaluation-observation-error"' in empty.text
    assert 'id="evaluation-overall-error"' in empty.text
    recorded = staff.post(f"{page}/evaluations", data={
        "period": "2025H2", "aspect_work_style": "fair", "aspect_integrity": "good", "overall": "fair",
        "observation": "谈心谈话中反映对下属单位督促不够", "csrf_token": csrf(staff)}, follow_redirects=False)
    assert recorded.status_code == 303, recorded.text
    listed = staff.get(recorded.headers["location"].split("#")[0]).text
    assert "2025H2" in listed and "谈心谈话中反映对下属单位督促不够" in listed and "已记录评价" in listed
    api.sync()
    assert any(e["period"] == "2025H2" for e in api.get("zhang.wei", f"/api/people/{people['吴海峰']}").json()
               ["item"]["evaluations"])
    assert 'id="evaluation-form"' not in signed_in(api, "chen.hq").get(page).text
    assert signed_in(api, "zhao.unit").get(page).status_code in (403, 404)
    assert signed_in(api, "chen.hq").post(f"{page}/evaluations", data={}).status_code in (403, 404)


def test_an_item_is_withdrawn_from_the_channel_with_its_reason(api: Api) -> None:
    staff = signed_in(api, "zhang.wei")
    sent = api.post("zhang.wei", "/api/units/units/unit-mee/requests", json={
        "kind": "document_request", "title": "误发：调阅执法台账", "body": "请报送。", "counterpart_id": "zfj-dcc",
        "deadline": "2027-07-31"})
    assert sent.status_code == 201, sent.text
    item_id = sent.json()["item_id"]
    api.sync()
    channel = staff.get("/group/channel?unit=unit-mee").text
    assert f'href="/group/channel/items/{item_id}/withdraw"' in channel and ">生态环境部</option>" in channel
    page = f"/group/channel/items/{item_id}/withdraw"
    assert "误发：调阅执法台账" in staff.get(page).text
    assert signed_in(api, "zhao.unit").get(page).status_code in (403, 404)
    empty = staff.post(page, data={"csrf_token": csrf(staff)})
    assert empty.status_code == 422 and 'id="withdraw-reason-error"' in empty.text
    done = staff.post(page, data={"reason": "发错单位，重新发送", "csrf_token": csrf(staff)}, follow_redirects=False)
    assert done.status_code == 303, done.text
    assert "事项已撤回" in staff.get(done.headers["location"]).text
    stored = api.get("zhang.wei", f"/api/units/items/{item_id}").json()
    assert stored["status"] == "withdrawn" and stored["withdrawn"] == "发错单位，重新发送"
    assert 'id="withdraw-form"' not in staff.get(page).text


def test_the_leader_manages_a_clues_compartment_and_its_joint_screening(api: Api) -> None:
    created = api.post("zhang.wei", "/api/clues/clues", json=clue_body(subject_name="欧阳某", assigned=["zhang.wei"]))
    assert created.status_code == 201, created.text
    clue_id = created.json()["clue_id"]
    api.sync()
    leader, staff = signed_in(api, "li.na"), signed_in(api, "zhang.wei")
    page = f"/group/clues/{clue_id}"
    shown = leader.get(page).text
    assert 'id="member-add-form"' in shown and 'id="joint-share-form"' in shown and ">赵磊</label>" in shown
    assert 'id="member-add-form"' not in staff.get(page).text  # the leader manages the compartment
    assert staff.post(f"{page}/members", data={"user": "zhou.min", "reason": "协助",  # as the API answers
                                               "csrf_token": csrf(staff)}).status_code == 404
    assert signed_in(api, "zhou.min").get(page).status_code == 404  # not in the compartment: no such page
    blank = leader.post(f"{page}/members", data={"user": "zhou.min", "csrf_token": csrf(leader)})
    assert blank.status_code == 422 and 'id="member-add-reason-error"' in blank.text
    added = leader.post(f"{page}/members", data={"user": "zhou.min", "reason": "协助初核",
                                                 "csrf_token": csrf(leader)}, follow_redirects=False)
    assert added.status_code == 303 and "已增加知悉人员" in leader.get(added.headers["location"]).text
    assert signed_in(api, "zhou.min").get(page).status_code == 200
    removed = leader.post(f"{page}/members/remove", data={"user": "zhou.min", "reason": "任务完成",
                                                          "csrf_token": csrf(leader)}, follow_redirects=False)
    assert removed.status_code == 303
    assert signed_in(api, "zhou.min").get(page).status_code == 404

    empty = leader.post(f"{page}/joint-screening", data={"reason": "联合排查", "csrf_token": csrf(leader)})
    assert empty.status_code == 422 and 'id="joint-unit_users-error"' in empty.text
    assert 'id="joint-parts-error"' in empty.text
    shared = leader.post(f"{page}/joint-screening", data={"unit_users": ["zhao.unit"], "parts": ["allegations"],
                                                          "reason": "联合排查", "csrf_token": csrf(leader)},
                         follow_redirects=False)
    assert shared.status_code == 303, shared.text
    opened = leader.get(shared.headers["location"]).text
    assert 'id="joint-open"' in opened and 'id="joint-conclude-form"' in opened
    read = api.post("zhao.unit", f"/api/clues/clues/{clue_id}/joint-screening/read", json={"reason": "核对"})
    assert read.status_code == 200 and "欧阳某" not in read.text
    concluded = leader.post(f"{page}/joint-screening/conclusion", data={"conclusion": "经排查，反映问题不属实",
                                                                        "csrf_token": csrf(leader)},
                            follow_redirects=False)
    assert concluded.status_code == 303
    assert 'id="joint-share-form"' in leader.get(page).text  # closed: it may be shared again
    assert api.post("zhao.unit", f"/api/clues/clues/{clue_id}/joint-screening/read",
                    json={"reason": "核对"}).status_code == 404


def test_the_pages_name_units_and_people_instead_of_their_ids(api: Api) -> None:
    staff = signed_in(api, "zhang.wei")
    workbench = staff.get("/group").text
    assert "<td>生态环境部</td>" in workbench and "<td>unit-mee</td>" not in workbench
    listed = api.get("li.na", "/api/inspections/activities?unit_id=unit-mee").json()["items"][0]
    activity = api.get("li.na", f"/api/inspections/activities/{listed['activity_id']}").json()
    shown = staff.get(f"/group/activities/{activity['activity_id']}").text
    participants = re.search(r'<dd id="activity-participants">(.*?)</dd>', shown)
    assert participants and participants[1] and not set(activity["participant_ids"]) & set(participants[1].split("、"))
    assert "<dd>生态环境部</dd>" in shown
    person = staff.get(f"/group/people/{roster(api)['林正国']}").text
    assert "<p>生态环境部" in person and "<td>unit-mee</td>" not in person
