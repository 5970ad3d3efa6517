"""Scheduling rounds in the portals (issue #15): the unit lists and answers the rounds addressed to it, one form
per directive (CSRF, problems next to the field); the group's page shows who answered; the demo's round is
answered once in the portal and once by a progress report."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.api_helpers import Api, embedded_api
from tests.unit.web.test_pages import signed_in


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api(demo=True) as api:
        api.sync()
        yield api


def demo_round(api: Api) -> dict[str, object]:
    [found] = [r for r in api.get("zhao.unit", "/api/ledgers/scheduling-rounds").json()["items"]
               if r["subject"] == "2025年一季度重要指示批示落实进展调度"]
    return dict(found)


def test_the_demo_round_is_answered_in_the_portal_and_by_a_progress_report(api: Api) -> None:
    found = demo_round(api)
    view = api.get("zhang.wei", f"/api/ledgers/scheduling-rounds/{found['round_id']}").json()
    ways = {(r["answered_by"]["side"], r["answered_by"]["via"]) for r in view["responses"].values()}
    assert {("unit", "entered"), ("unit", "progress_report")} <= ways
    assert view["overdue_on"] is not None  # the third directive was not answered by the reply date


def test_the_unit_lists_its_rounds_and_answers_a_directive(api: Api) -> None:
    client = signed_in(api, "zhao.unit")
    listed = client.get("/unit/rounds")
    assert listed.status_code == 200 and "2025年一季度重要指示批示落实进展调度" in listed.text
    round_id = str(demo_round(api)["round_id"])
    assert f"/unit/rounds/{round_id}" in listed.text
    assert 'href="/unit/rounds"' in client.get("/unit").text
    page = client.get(f"/unit/rounds/{round_id}")
    assert page.status_code == 200 and "单位答复" in page.text and "来自进展情况报告" in page.text
    view = api.get("zhao.unit", f"/api/ledgers/scheduling-rounds/{round_id}").json()
    missing = (view["missing"] or view["directive_ids"])[0]  # the demo leaves one unanswered
    action = f"/unit/rounds/{round_id}/directives/{missing}/answer"
    assert action in page.text
    csrf = client.cookies["paizhu_csrf"]
    assert client.post(action, data={"status": "completed", "summary": "x"}).status_code == 403  # no CSRF token
    empty = client.post(action, data={"status": "completed", "csrf_token": csrf})
    assert empty.status_code == 422 and f'id="answer-{missing}-summary-error"' in empty.text
    answered = client.post(action, data={"status": "completed", "summary": "重点区域秋冬季治理方案已落实。",
                                         "csrf_token": csrf}, follow_redirects=False)
    assert answered.status_code == 303 and "recorded=round_answer" in answered.headers["location"]
    shown = client.get(answered.headers["location"]).text
    assert "答复已记录。" in shown and "重点区域秋冬季治理方案已落实。" in shown
    other = signed_in(api, "qian.unit2")
    assert other.get(f"/unit/rounds/{round_id}").status_code == 404
    assert other.post(action, data={"status": "completed", "summary": "x",
                                    "csrf_token": other.cookies["paizhu_csrf"]}).status_code == 404
    assert round_id not in other.get("/unit/rounds").text


def test_the_groups_round_page_shows_who_answered_and_the_group_may_enter_an_answer(api: Api) -> None:
    client = signed_in(api, "zhang.wei")
    round_id = str(demo_round(api)["round_id"])
    assert f"/group/rounds/{round_id}" in client.get("/group/rounds").text
    page = client.get(f"/group/rounds/{round_id}")
    assert page.status_code == 200
    answered_by = re.findall(r'<dd class="answered-by">([^<]*)</dd>', page.text)
    assert any(text.startswith("单位答复") for text in answered_by), answered_by
    assert "来自进展情况报告" in page.text
    directive_id = re.findall(rf"/group/rounds/{round_id}/directives/([0-9a-f-]{{36}})/answer", page.text)[0]
    entered = client.post(f"/group/rounds/{round_id}/directives/{directive_id}/answer",
                          data={"status": "completed", "summary": "电话问询：已完成。",
                                "csrf_token": client.cookies["paizhu_csrf"]}, follow_redirects=False)
    assert entered.status_code == 303
    shown = client.get(entered.headers["location"]).text
    assert "驻部纪检监察组代为录入 (张伟)" in shown


def _section(page: str, directive_id: str) -> str:
    start = page.index(f'id="d-{directive_id}"')
    return page[start:page.index("</section>", start)]


def test_the_units_progress_report_form_answers_a_round(api: Api) -> None:
    client = signed_in(api, "zhao.unit")
    round_id = str(demo_round(api)["round_id"])
    view = api.get("zhao.unit", f"/api/ledgers/scheduling-rounds/{round_id}").json()
    directive = view["directives"][0]
    directive_id = directive["directive_id"]
    form = client.get("/unit/reports/new")
    assert form.status_code == 200 and f'<option value="{round_id}"' in form.text
    assert 'hx-get="/unit/reports/new"' in form.text and f'id="status-{directive_id}"' not in form.text
    chosen = client.get("/unit/reports/new", params={"round_id": round_id})  # what the round select fetches
    assert f'id="status-{directive_id}"' in chosen.text and directive["reference_number"] in chosen.text
    csrf = client.cookies["paizhu_csrf"]
    report = {"title": "一季度落实进展", "subject_ref": directive["reference_number"], "period": "2025年第一季度",
              "summary": "按调度要求报送。", "csrf_token": csrf}
    no_status = client.post("/unit/reports/new", data={**report, "round_id": round_id,
                                                       f"summary-{directive_id}": "只有说明"})
    assert no_status.status_code == 422 and f'id="status-{directive_id}-error"' in no_status.text
    assert "只有说明" in no_status.text  # what was typed stays
    nothing = client.post("/unit/reports/new", data={**report, "round_id": round_id})
    assert nothing.status_code == 422 and 'id="round_id-error"' in nothing.text
    foreign = client.post("/unit/reports/new", data={**report, "round_id": "0" * 8 + "-0000-0000-0000-" + "0" * 12})
    assert foreign.status_code == 422 and 'id="round_id-error"' in foreign.text
    sent = client.post("/unit/reports/new", follow_redirects=False, data={
        **report, "round_id": round_id, f"status-{directive_id}": "in_progress",
        f"summary-{directive_id}": "经表单报送：整改方案正在推进。"})
    assert sent.status_code == 303, sent.text
    submission_id = sent.headers["location"].split("?")[0].rsplit("/", 1)[1]
    api.sync()
    answer = _section(client.get(f"/unit/rounds/{round_id}").text, directive_id)
    assert "经表单报送：整改方案正在推进。" in answer and "来自进展情况报告" in answer
    assert f'href="/unit/submissions/{submission_id}"' in answer
    group_answer = _section(signed_in(api, "zhang.wei").get(f"/group/rounds/{round_id}").text, directive_id)
    assert "经表单报送：整改方案正在推进。" in group_answer and "来自进展情况报告" in group_answer


def test_the_round_pages_name_the_unit_and_who_answered(api: Api) -> None:
    found = demo_round(api)
    unit_id, round_id = str(found["unit_id"]), str(found["round_id"])
    client = signed_in(api, "zhang.wei")
    listed = client.get("/group/rounds").text
    units = re.findall(r'<td class="unit">([^<]*)</td>', listed)
    assert units and unit_id not in listed and all(units), units
    page = client.get(f"/group/rounds/{round_id}").text
    [shown] = re.findall(r'<dd id="round-unit">([^<]*)</dd>', page)
    assert shown == units[0] and unit_id not in page
    answered_by = re.findall(r'<dd class="answered-by">(.*?)</dd>', page)
    assert answered_by and not any(re.search(r"\(([0-9a-f-]{36}|[a-z]+\.[a-z0-9]+)\)", a) for a in answered_by)
