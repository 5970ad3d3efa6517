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
