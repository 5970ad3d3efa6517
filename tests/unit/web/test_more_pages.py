"""The workbench pages of issue #12 against the embedded platform in memory: feedback deliberation, supervision
activities, the unit channel, integrity files and person↔matter, clue intake and the inquiry steps, and the
inspection team's requests and referrals. Each page shows what its read model or service answers, runs the
same operation as the API route, says the server's problems next to the fields, and hides what the API hides."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gateway.web.i18n import catalogue
from tests.api_helpers import Api, embedded_api
from tests.unit.web.test_pages import signed_in

TEMPLATES = Path(__file__).resolve().parents[3] / "gateway" / "web" / "templates"
NEW_TEMPLATES = ("channel", "feedback", "feedback_draft", "activities", "activity", "people", "people_matter",
                 "clue_new", "_clue_steps", "_unit_choice", "round", "clue_intake")
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api(demo=True) as api:
        api.sync()
        yield api


def csrf(client: TestClient) -> str:
    return client.cookies["paizhu_csrf"]


def nav_of(html: str) -> list[str]:
    found = re.search(r'<nav aria-label="[^"]+">(.*?)</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', found[1]) if found else []


def test_every_text_key_of_the_new_pages_is_in_both_catalogues() -> None:
    chinese, english = catalogue("zh-CN"), catalogue("en")
    for name in NEW_TEMPLATES:
        text = (TEMPLATES / f"{name}.html").read_text(encoding="utf-8")
        keys = {k for k in re.findall(r"""\bt\(["']([a-z_.0-9]+)["']""", text) if not k.endswith((".", "_"))}
        assert keys, name
        assert sorted(keys - chinese.keys()) == [] and sorted(keys - english.keys()) == [], name


def test_the_navigation_offers_each_page_to_the_roles_that_may_use_it(api: Api) -> None:
    staff = nav_of(signed_in(api, "zhang.wei").get("/group").text)
    assert {"/group/feedback", "/group/activities", "/group/channel", "/group/people"} <= set(staff)
    hq = nav_of(signed_in(api, "chen.hq").get("/hq").text)
    assert "/group/activities" in hq and "/group/people" in hq
    assert "/group/feedback" not in hq and "/group/channel" not in hq
    unit = nav_of(signed_in(api, "zhao.unit").get("/unit").text)
    assert not {"/group/feedback", "/group/activities", "/group/channel", "/group/people"} & set(unit)
    team = nav_of(signed_in(api, "liu.team").get("/inspection").text)
    assert not {"/group/feedback", "/group/activities", "/group/channel", "/group/people"} & set(team)
    english = signed_in(api, "zhang.wei")
    english.get("/lang/en?next=/group/feedback")
    assert "<h1>Feedback deliberation</h1>" in english.get("/group/feedback").text
    assert ">Unit channel</a>" in english.get("/group/channel").text
    for path in ("/group/feedback", "/group/channel", "/group/people", "/group/activities", "/group/clues/new"):
        assert signed_in(api, "zhao.unit").get(path).status_code == 403, path


def test_feedback_is_drafted_deliberated_and_issued_to_the_unit(api: Api) -> None:
    staff, colleague = signed_in(api, "zhang.wei"), signed_in(api, "zhou.min")
    listed = staff.get("/group/feedback?unit=unit-mee")
    seeded = api.get("zhang.wei", "/api/units/units/unit-mee/feedback-drafts").json()["items"]
    assert listed.status_code == 200 and seeded and seeded[0]["title"] in listed.text
    empty = staff.post("/group/feedback/unit-mee/drafts", data={"csrf_token": csrf(staff)})
    assert empty.status_code == 422 and re.search(r'id="draft-title-error">必填', empty.text)
    drafted = staff.post("/group/feedback/unit-mee/drafts", data={
        "title": "关于固体废物管理问题的反馈意见", "body": "经日常监督发现，固废台账不全。", "counterpart_id": "zfj-dcc",
        "deadline": "2027-06-30", "form": "written", "csrf_token": csrf(staff)}, follow_redirects=False)
    assert drafted.status_code == 303, drafted.text
    draft_page = drafted.headers["location"].split("?")[0]
    draft_id = draft_page.rsplit("/", 1)[1]
    early = staff.post(f"{draft_page}/issue", data={"csrf_token": csrf(staff)})
    assert early.status_code == 409 and "集体研判" in early.text  # the service's rule, shown on the page
    staff.post(f"{draft_page}/opinions", data={"stance": "agree", "csrf_token": csrf(staff)})
    objected = colleague.post(f"{draft_page}/opinions", data={"stance": "amend", "csrf_token": csrf(colleague)})
    assert objected.status_code == 422 and "须写明意见" in objected.text
    colleague.post(f"{draft_page}/opinions", data={"stance": "amend", "text": "补充整改时限",
                                                   "csrf_token": csrf(colleague)})
    page = staff.get(draft_page).text
    assert "补充整改时限" in page and page.count("<tr><td>张伟</td>") == 1 and page.count("<tr><td>周敏</td>") == 1
    issued = staff.post(f"{draft_page}/issue", data={"reference_number": "驻部纪检〔2025〕9号",
                                                     "csrf_token": csrf(staff)}, follow_redirects=False)
    assert issued.status_code == 303, re.findall(r'role="alert">([^<]*)', issued.text)
    assert 'id="draft-issued"' in staff.get(draft_page).text
    assert api.get("zhang.wei", f"/api/units/feedback-drafts/{draft_id}").json()["status"] == "issued"
    api.sync()
    assert "关于固体废物管理问题的反馈意见" in staff.get("/group/channel?unit=unit-mee").text  # now an item
    missing, unit = str(uuid.uuid4()), signed_in(api, "zhao.unit")
    hidden, absent = unit.get(draft_page), unit.get(f"/group/feedback/drafts/{missing}")
    assert hidden.status_code == absent.status_code == 404  # group-internal: the unit cannot know it
    assert hidden.content.replace(draft_id.encode(), b"ID") == absent.content.replace(missing.encode(), b"ID")


def test_an_activity_is_planned_carried_out_with_its_talks_and_checks_and_completed(api: Api) -> None:
    leader = signed_in(api, "li.na")
    listed = leader.get("/group/activities")
    seeded = api.get("li.na", "/api/inspections/activities").json()["items"]
    assert listed.status_code == 200 and seeded and all(a["title"] in listed.text for a in seeded[:3])
    assert leader.get("/group/activities?kind=&unit=").text.count("/group/activities/") == listed.text.count(
        "/group/activities/")  # the filter form's "any"
    assert leader.get("/group/activities?kind=<b>").status_code == 422
    only = leader.get("/group/activities?kind=pinpoint").text
    assert all(a["title"] in only for a in seeded if a["kind"] == "pinpoint")
    assert all(a["title"] not in only for a in seeded if a["kind"] != "pinpoint")
    plan = {"kind": "tracking", "unit_id": "unit-mee", "title": "跟踪监督排污许可整改", "plan": "分三步跟踪。",
            "methods": ["talk", "site_check"], "start_on": "2026-04-01", "end_on": "2026-05-31",
            "csrf_token": csrf(leader)}
    refused = leader.post("/group/activities", data=plan)
    assert refused.status_code == 422 and "参加人员" in refused.text  # no participant chosen
    planned = leader.post("/group/activities", data={**plan, "participant_ids": ["zhang.wei", "zhou.min"]},
                          follow_redirects=False)
    assert planned.status_code == 303, planned.text
    page = planned.headers["location"].split("?")[0]
    assert leader.post(f"{page}/start", data={"started_on": "2026-04-01", "csrf_token": csrf(leader)},
                       follow_redirects=False).status_code == 303
    wrong = leader.post(f"{page}/work", data={"method": "talk", "held_on": "2026-04-03", "csrf_token": csrf(leader)})
    assert wrong.status_code == 422 and 'id="work-summary-error"' in wrong.text
    for method, summary in (("talk", "与分管负责同志谈心谈话"), ("site_check", "实地检查排污口")):
        done = leader.post(f"{page}/work", data={"method": method, "held_on": "2026-04-03", "summary": summary,
                                                 "csrf_token": csrf(leader)}, follow_redirects=False)
        assert done.status_code == 303, done.text
    leader.post(f"{page}/findings", data={"summary": "整改台账与现场不符", "csrf_token": csrf(leader)})
    completed = leader.post(f"{page}/complete", data={"conclusion": "督促完成整改", "completed_on": "2026-05-30",
                                                      "csrf_token": csrf(leader)}, follow_redirects=False)
    assert completed.status_code == 303
    shown = leader.get(page).text
    assert "与分管负责同志谈心谈话" in shown and "实地检查排污口" in shown and "整改台账与现场不符" in shown
    assert re.search(r'id="activity-status">已完成<', shown) and 'id="work-form"' not in shown
    activity_id = page.rsplit("/", 1)[1]
    assert api.get("li.na", f"/api/inspections/activities/{activity_id}").json()["status"] == "completed"
    hq = signed_in(api, "chen.hq")
    assert 'id="plan-form"' not in hq.get("/group/activities").text  # HQ reads, the group plans
    assert hq.get(page).status_code == 200 and 'id="complete-form"' not in hq.get(page).text
    assert signed_in(api, "zhou.other").get(page).status_code == 404  # another group's


def test_the_unit_channel_sends_a_request_and_reviews_a_submission(api: Api) -> None:
    staff = signed_in(api, "zhang.wei")
    page = staff.get("/group/channel")  # the group's first unit
    items = api.get("zhang.wei", "/api/units/units/unit-mee/items").json()["items"]
    assert page.status_code == 200 and items and items[0]["title"] in page.text
    bad = staff.post("/group/channel/unit-mee/requests", data={"kind": "document_request", "title": "调阅",
                                                               "csrf_token": csrf(staff)})
    assert bad.status_code == 422 and 'id="request-body-error"' in bad.text
    sent = staff.post("/group/channel/unit-mee/requests", data={
        "kind": "document_request", "title": "调阅2025年度排污许可审批材料", "body": "请于期限内报送。",
        "counterpart_id": "zfj-dcc", "deadline": "2027-07-31", "csrf_token": csrf(staff)}, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    assert "调阅2025年度排污许可审批材料" in staff.get(sent.headers["location"]).text  # read after the write
    assert "调阅2025年度排污许可审批材料" in signed_in(api, "zhao.unit").get("/unit").text  # the unit's to-do
    waiting = [s for s in api.get("zhang.wei", "/api/units/units/unit-mee/submissions").json()["items"]
               if s["status"] == "received"]
    reviewed = staff.post(f"/group/channel/submissions/{waiting[0]['submission_id']}/review",
                          data={"note": "已阅，请按期整改", "unit": "unit-mee", "csrf_token": csrf(staff)},
                          follow_redirects=False)
    assert reviewed.status_code == 303 and "unit=unit-mee" in reviewed.headers["location"]
    staff.get(reviewed.headers["location"])
    after = api.get("zhang.wei", f"/api/units/submissions/{waiting[0]['submission_id']}").json()
    assert after["reviewed"]["note"] == "已阅，请按期整改"
    assert signed_in(api, "zhou.other").get("/group/channel?unit=unit-mee").status_code == 404  # not theirs


def test_integrity_file_and_person_matter_views(api: Api) -> None:
    staff = signed_in(api, "zhang.wei")
    assert staff.get("/group/people").status_code == 200
    found = staff.get("/group/people", params={"name": "高建民", "unit": ""})  # the search form's empty unit
    persons = api.get("zhang.wei", "/api/people", params={"name": "高建民"}).json()["items"]
    assert found.status_code == 200 and persons
    assert all(f'href="/group/people/{p["person_id"]}"' in found.text for p in persons)
    person_id = persons[0]["person_id"]
    page = staff.get(f"/group/people/{person_id}")
    records = api.get("zhang.wei", f"/api/people/{person_id}/integrity-file").json()["items"]
    assert page.status_code == 200 and records and "高建民的廉政档案" in page.text
    assert all(f"pages.record.{r['kind']}" not in page.text for r in records)
    assert "民主测评" in page.text and "测评等次：良好" in page.text and "grade" not in page.text
    def matters_of(person: dict[str, Any]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = api.get("zhang.wei", f"/api/people/{person['person_id']}/matters").json()["items"]
        return items

    owner, matters = next((p, m) for p in api.get("zhang.wei", "/api/people?limit=100").json()["items"]
                          if (m := matters_of(p)))
    shown = staff.get(f"/group/people/{owner['person_id']}").text
    assert matters and all(m["title"] in shown for m in matters[:5])
    matter_page = staff.get(f"/group/people/matters/{matters[0]['matter_id']}")
    assert matter_page.status_code == 200 and owner["name"] in matter_page.text
    other, missing = signed_in(api, "zhou.other"), "no-such-matter"
    hidden = other.get(f"/group/people/matters/{matters[0]['matter_id']}")
    absent = other.get(f"/group/people/matters/{missing}")
    assert hidden.status_code == absent.status_code == 404
    assert (hidden.content.replace(matters[0]["matter_id"].encode(), b"ID")
            == absent.content.replace(missing.encode(), b"ID"))
    hidden_person, absent_person = other.get(f"/group/people/{person_id}"), other.get("/group/people/no-such-person")
    assert hidden_person.status_code == absent_person.status_code == 404
    assert (hidden_person.content.replace(person_id.encode(), b"ID")
            == absent_person.content.replace(b"no-such-person", b"ID"))
    assert staff.get("/group/people", params={"name": "\x01"}).status_code == 422


def test_a_clue_is_registered_and_taken_through_a_letter_of_inquiry_to_its_conclusion(api: Api) -> None:
    staff, leader = signed_in(api, "zhang.wei"), signed_in(api, "li.na")
    form = staff.get("/group/clues/new")
    assert form.status_code == 200 and 'name="categories"' in form.text
    clue = {"unit_id": "unit-mee", "source": "petition", "subject_name": "页面测试对象甲", "subject_post": "处长",
            "summary": "反映其违规收受礼金。", "csrf_token": csrf(staff)}
    refused = staff.post("/group/clues/new", data=clue)
    assert refused.status_code == 422 and 'id="categories-error"' in refused.text
    registered = staff.post("/group/clues/new", data={**clue, "categories": ["integrity"]}, follow_redirects=False)
    assert registered.status_code == 303, registered.text
    page = registered.headers["location"].split("?")[0]
    clue_id = page.rsplit("/", 1)[1]
    shown = staff.get(registered.headers["location"])
    assert "线索已受理登记" in shown.text and "页面测试对象甲" not in shown.text  # content only on a recorded read
    # outside the compartment the clue does not exist, byte for byte
    missing = str(uuid.uuid4())
    outsider = signed_in(api, "zhou.min")
    for path in ("", "/inquiry"):
        hidden = outsider.get(page + path) if not path else outsider.post(page + path, data={
            "form": "talk", "held_on": "2026-01-05", "summary": "x", "csrf_token": csrf(outsider)})
        absent = outsider.get(f"/group/clues/{missing}{path}") if not path else outsider.post(
            f"/group/clues/{missing}{path}", data={"form": "talk", "held_on": "2026-01-05", "summary": "x",
                                                   "csrf_token": csrf(outsider)})
        assert hidden.status_code == absent.status_code == 404, path
        assert hidden.content.replace(clue_id.encode(), b"ID") == absent.content.replace(missing.encode(), b"ID")
        assert "页面测试对象甲" not in hidden.text
    unassessed = staff.post(f"{page}/assessment", data={"analysis": "情节较轻", "csrf_token": csrf(staff)})
    assert unassessed.status_code == 422 and 'id="assessment-political_analysis-error"' in unassessed.text
    assessed = staff.post(f"{page}/assessment", data={"political_analysis": "涉及廉洁纪律，须认真对待",
                                                      "csrf_token": csrf(staff)}, follow_redirects=False)
    assert assessed.status_code == 303 and "recorded=clue_assessment" in assessed.headers["location"]
    assert staff.post(f"{page}/proposal", data={"disposition": "inquiry", "reason": "情节较轻",
                                                "csrf_token": csrf(staff)}, follow_redirects=False).status_code == 303
    assert leader.post(f"{page}/decision", data={"approved": "yes", "csrf_token": csrf(leader)},
                       follow_redirects=False).status_code == 303
    assert 'id="inquiry-form"' in staff.get(page).text
    empty = staff.post(f"{page}/inquiry", data={"form": "letter", "csrf_token": csrf(staff)})
    assert empty.status_code == 422 and 'id="inquiry-held_on-error"' in empty.text
    staff.post(f"{page}/inquiry", data={"form": "letter", "held_on": "2026-01-05", "summary": "发函请其说明",
                                        "csrf_token": csrf(staff)})
    letter = staff.get(page).text
    assert 'id="reply-form"' in letter and 'id="inquiry-form"' not in letter
    replied = staff.post(f"{page}/inquiry-reply", data={"received_on": "2026-01-12", "summary": "已作说明",
                                                        "csrf_token": csrf(staff)}, follow_redirects=False)
    assert replied.status_code == 303 and "recorded=clue_reply" in replied.headers["location"]
    assert 'id="conclusion-form"' not in staff.get(page).text  # the leader concludes
    fourth = leader.post(f"{page}/conclusion", data={"result": "closed", "four_forms": "4", "reason": "说明属实",
                                                     "csrf_token": csrf(leader)})
    assert fourth.status_code == 422 and "第四种形态" in fourth.text
    concluded = leader.post(f"{page}/conclusion", data={"result": "closed", "four_forms": "1", "reason": "说明属实",
                                                        "csrf_token": csrf(leader)}, follow_redirects=False)
    assert concluded.status_code == 303
    facts = api.get("li.na", f"/api/clues/clues/{clue_id}").json()
    assert (facts["status"], facts["four_forms"]) == ("closed", 1)
    log = leader.get(page).text
    assert 'id="read-log"' in log and 'id="read-log"' not in staff.get(page).text  # the leader's read log


def test_the_team_and_the_group_exchange_requests_and_the_team_refers_a_clue(api: Api) -> None:
    created = api.post("li.na", "/api/inspections/rounds", json={
        "group_id": "group-mee", "unit_id": "unit-mee", "title": "页面测试巡视轮次", "team_id": "team-3",
        "member_ids": ["liu.team", "xu.team"], "before_start": "2026-03-02", "before_end": "2026-03-06",
        "during_start": "2026-03-09", "during_end": "2026-04-30", "after_start": "2026-05-04",
        "after_end": "2026-08-31"})
    assert created.status_code == 201, created.text
    round_id = created.json()["round_id"]
    assert api.post("li.na", f"/api/inspections/rounds/{round_id}/open").status_code == 200
    team, group = signed_in(api, "liu.team"), signed_in(api, "li.na")
    page = f"/inspection/rounds/{round_id}"
    assert 'id="round-referral-form"' in team.get(page).text and 'id="round-referral-form"' not in group.get(page).text
    empty = team.post(f"{page}/requests", data={"question": "请提供被巡视单位信访件情况", "csrf_token": csrf(team)})
    assert empty.status_code == 422 and 'id="round-request-deadline-error"' in empty.text
    asked = team.post(f"{page}/requests", data={"question": "请提供被巡视单位信访件情况", "deadline": "2027-03-20",
                                                "csrf_token": csrf(team)}, follow_redirects=False)
    assert asked.status_code == 303
    request_id = api.get("li.na", f"/api/inspections/rounds/{round_id}").json()["requests"][0]["request_id"]
    assert f"/requests/{request_id}/answer" not in team.get(page).text  # the team does not answer its own
    answered = group.post(f"{page}/requests/{request_id}/answer", data={"answer": "已整理信访件12件",
                                                                        "csrf_token": csrf(group)},
                          follow_redirects=False)
    assert answered.status_code == 303
    assert "已整理信访件12件" in team.get(page).text
    refused = team.post(f"{page}/referrals", data={"subject_name": "页面移交对象乙", "subject_unit": "生态环境部",
                                                   "summary": "反映其插手工程", "csrf_token": csrf(team)})
    assert refused.status_code == 422 and 'id="referral-categories-error"' in refused.text
    referred = team.post(f"{page}/referrals", data={"subject_name": "页面移交对象乙", "subject_unit": "生态环境部",
                                                    "summary": "反映其插手工程", "categories": ["integrity"],
                                                    "csrf_token": csrf(team)}, follow_redirects=False)
    assert referred.status_code == 303
    after = team.get(referred.headers["location"]).text
    assert "问题线索已移交纪检监察组" in after and "页面移交对象乙" not in after  # sealed: never shown again
    assert re.search(r'<ul aria-labelledby="referrals" id="referral-list"><li>', after)
    assert "页面移交对象乙" not in group.get(page).text
    assert group.post(f"{page}/referrals", data={"csrf_token": csrf(group)}).status_code == 403
    # the group leader takes the referred clue in from the intake queue (no content there either)
    api.sync()
    queue = api.get("li.na", "/api/clues/intake").json()["items"]
    referred = [c["clue_id"] for c in queue if c["round_id"] == round_id]
    intake = group.get("/group/clues/intake")
    assert referred and intake.status_code == 200 and f"/group/clues/{referred[0]}/accept" in intake.text
    assert "页面移交对象乙" not in intake.text
    nobody = group.post(f"/group/clues/{referred[0]}/accept", data={"csrf_token": csrf(group)})
    assert nobody.status_code == 422 and 'role="alert"' not in nobody.text and 'class="error"' in nobody.text
    taken = group.post(f"/group/clues/{referred[0]}/accept", data={"assigned": ["zhang.wei"],
                                                                   "csrf_token": csrf(group)}, follow_redirects=False)
    assert taken.status_code == 303 and "线索已受理" in group.get(taken.headers["location"]).text
    assert api.get("zhang.wei", f"/api/clues/clues/{referred[0]}").json()["status"] == "registered"
    assert signed_in(api, "zhang.wei").get("/group/clues/intake").status_code == 403  # the leadership's queue
