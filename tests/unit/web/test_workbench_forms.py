"""The group workbench's forms against the embedded platform in memory: an item's follower, closure with an
uploaded evidence file and look-back; the department's evaluation; the Excel import with its preview and row
errors; the exports; the reconciliation and its findings; the idle timeout of a session."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from gateway.accounts import DEMO_PASSWORD
from services.common.clock import ManualClock
from services.ledgers.spreadsheet import IMPORT_COLUMNS
from tests.api_helpers import Api, embedded_api

HTML = {"accept": "text/html"}
CLOCK = ManualClock(datetime(2025, 3, 3, 1, 0, tzinfo=UTC))


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api(clock=CLOCK, demo=True) as api:
        yield api


def signed_in(api: Api, user: str) -> TestClient:
    client = TestClient(api.client.app, raise_server_exceptions=False)
    client.get("/", headers=HTML)
    response = client.post("/signin", data={"user_id": user, "password": DEMO_PASSWORD,
                                            "csrf_token": client.cookies["paizhu_csrf"]}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def a_directive(client: TestClient) -> str:
    return re.findall(r"/group/directives/([0-9a-f-]{36})", client.get("/group").text)[0]


def new_item(client: TestClient, directive_id: str, title: str) -> str:
    csrf = client.cookies["paizhu_csrf"]
    added = client.post(f"/group/directives/{directive_id}/items", follow_redirects=False, data={
        "list_kind": "task", "title": title, "owner": "综合司", "follower": "zhang.wei", "csrf_token": csrf})
    assert added.status_code == 303, added.text
    tab = client.get(f"/group/directives/{directive_id}/lists/task").text
    return re.findall(r'<tr id="item-([0-9a-f-]{36})"[^>]*>\s*<td>' + re.escape(title), tab)[0]


def workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([c.header for c in IMPORT_COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_item_gets_its_follower_is_closed_with_an_uploaded_file_and_looked_back_on(api: Api) -> None:
    client = signed_in(api, "li.na")
    csrf = client.cookies["paizhu_csrf"]
    directive_id = a_directive(client)
    item_id = new_item(client, directive_id, "表单测试：督办与销号")

    unknown = client.post(f"/group/items/{item_id}/follower", data={"follower": "", "csrf_token": csrf})
    assert unknown.status_code == 422 and f'id="follower-{item_id}-follower-error"' in unknown.text
    followed = client.post(f"/group/items/{item_id}/follower", data={"follower": "li.na", "csrf_token": csrf},
                           follow_redirects=False)
    assert followed.status_code == 303 and "recorded=follower" in followed.headers["location"]
    assert api.get("li.na", f"/api/ledgers/items/{item_id}").json()["follower"] == "li.na"

    wrong_type = client.post(f"/group/items/{item_id}/close", data={"summary": "已完成", "csrf_token": csrf},
                             files={"evidence_file": ("run.exe", b"MZ\x90\x00binary", "application/octet-stream")})
    assert wrong_type.status_code == 422 and f'id="close-{item_id}-evidence_file-error"' in wrong_type.text
    closed = client.post(f"/group/items/{item_id}/close", data={"summary": "已完成并经组务会审定", "csrf_token": csrf},
                         files={"evidence_file": ("验收记录.txt", "现场验收记录".encode(), "text/plain")},
                         follow_redirects=False)
    assert closed.status_code == 303 and "recorded=closed" in closed.headers["location"], closed.text
    item = api.get("li.na", f"/api/ledgers/items/{item_id}").json()
    assert item["status"] == "closed"
    assert any(re.fullmatch(r"sha256:[0-9a-f]{64}", ref) for ref in item["closure"]["evidence_refs"])

    no_check = client.post(f"/group/items/{item_id}/look-back", data={"findings": "已回头看", "csrf_token": csrf})
    assert no_check.status_code == 422 and f'id="lookback-{item_id}-checks-error"' in no_check.text
    looked = client.post(f"/group/items/{item_id}/look-back", follow_redirects=False, data={
        "findings": "整改成效巩固", "finding_similar_matters": "adequate", "finding_rule_building": "adequate",
        "finding_quality": "not_applicable", "csrf_token": csrf})
    assert looked.status_code == 303 and "recorded=look_back" in looked.headers["location"], looked.text
    history = api.get("li.na", f"/api/ledgers/items/{item_id}").json()["history"]
    assert [h["event"] for h in history] == ["closed", "look_back_confirmed"]


def test_the_responsible_department_is_evaluated_on_the_four_dimensions(api: Api) -> None:
    client = signed_in(api, "zhang.wei")
    csrf = client.cookies["paizhu_csrf"]
    directive_id = a_directive(client)
    partial = client.post(f"/group/directives/{directive_id}/evaluations", data={
        "department": "综合司", "score_understanding": "4", "rationale": "理由", "csrf_token": csrf})
    assert partial.status_code == 422  # the domain's refusal, next to the scores, in the user's language
    assert re.search(r'id="evaluation-scores-error">须对思想认识、目标定位、责任落实、精神状态逐项评分<', partial.text)
    scores = {"score_understanding": "4", "score_goal_setting": "5", "score_responsibility": "3", "score_drive": "4"}
    done = client.post(f"/group/directives/{directive_id}/evaluations", follow_redirects=False, data={
        "department": "综合司", **scores, "rationale": "传达及时，责任分解到岗", "csrf_token": csrf})
    assert done.status_code == 303 and "recorded=evaluation" in done.headers["location"], done.text
    page = client.get(f"/group/directives/{directive_id}").text
    assert "传达及时，责任分解到岗" in page and "评价已记录" not in page
    evaluation = api.get("zhang.wei", f"/api/ledgers/directives/{directive_id}").json()["evaluations"]["综合司"]
    assert evaluation["scores"] == {"understanding": 4, "goal_setting": 5, "responsibility": 3, "drive": 4}
    item_id = new_item(client, directive_id, "表单测试：组员不能销号")
    tab = client.get(f"/group/directives/{directive_id}?tab=task").text
    assert 'id="evaluation-form"' in tab and f"/group/items/{item_id}/follower" in tab
    assert f"/group/items/{item_id}/close" not in tab  # 销号 is the group leadership's
    hq = signed_in(api, "chen.hq").get(f"/group/directives/{directive_id}").text  # reads, records nothing
    assert "传达及时，责任分解到岗" in hq and 'id="evaluation-form"' not in hq and "/lists.xlsx" in hq
    assert 'action="/group/directives/' not in hq.split('id="evaluations-title"')[1]


def test_an_excel_import_shows_every_row_with_its_errors_before_it_is_confirmed(api: Api) -> None:
    client = signed_in(api, "zhang.wei")
    csrf = client.cookies["paizhu_csrf"]
    assert 'name="file"' in client.get("/group/imports/new").text
    not_xlsx = client.post("/group/imports/preview", data={"unit_id": "unit-mee", "csrf_token": csrf},
                           files={"file": ("总账.csv", b"a,b", "text/csv")})
    assert not_xlsx.status_code == 422 and 'id="import-file-error">请上传 .xlsx' in not_xlsx.text
    content = workbook([
        ["环办〔2025〕901号", "生态环境部", "表单导入测试：第一项", "2025-02-01", "2025-02-03", "办公厅", None, "是"],
        ["环办〔2025〕902号", "生态环境部", "", "2025-02-01", "2025-02-03", "办公厅", None, "否"],
    ])
    shown = client.post("/group/imports/preview", data={"unit_id": "unit-mee", "csrf_token": csrf},
                        files={"file": ("总账.xlsx", content, "application/octet-stream")})
    assert shown.status_code == 200, shown.text
    assert "1 行可导入，1 行有问题" in shown.text
    bad_row = re.search(r'<tr class="invalid" data-row="3">.*?</tr>', shown.text, re.DOTALL)
    assert bad_row and 'class="error"' in bad_row.group(0) and "标题" in bad_row.group(0)
    assert not api.get("zhang.wei", "/api/ledgers/directives", params={"q": "表单导入测试"}).json()["items"]

    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', shown.text))
    tampered = client.post("/group/imports", data={**hidden, "sha256": "0" * 64})
    assert tampered.status_code == 422 and "请重新上传" in tampered.text
    confirmed = client.post("/group/imports", data=hidden)
    assert confirmed.status_code == 200 and "已导入 1 项部署事项" in confirmed.text
    assert re.search(r'href="/group/directives/[0-9a-f-]{36}">环办〔2025〕901号', confirmed.text)
    again = client.post("/group/imports", data=hidden)
    assert "该文件此前已导入" in again.text


def test_the_exports_page_offers_the_ledgers_the_user_may_download(api: Api) -> None:
    client = signed_in(api, "zhang.wei")
    page = client.get("/group/exports").text
    assert 'href="/api/ledgers/exports/master-ledger.xlsx"' in page
    category = re.findall(r'<option value="([a-z0-9_]+)">', page)
    assert category, "the demo group has detail-ledger categories"
    master = client.get("/api/ledgers/exports/master-ledger.xlsx")
    assert master.status_code == 200 and "attachment" in master.headers["content-disposition"]
    assert load_workbook(io.BytesIO(master.content)).active.max_row > 1
    directive_id = a_directive(client)
    assert f'href="/api/ledgers/directives/{directive_id}/lists.xlsx"' in client.get(
        f"/group/directives/{directive_id}").text
    assert signed_in(api, "zhao.unit").get("/group/exports").status_code == 403
    client.cookies.set("paizhu_lang", "en")
    assert "Download the master ledger (xlsx)" in client.get("/group/exports").text
    english = client.get(f"/group/directives/{directive_id}").text
    assert "Evaluation of the responsible department" in english and "Export the four lists (xlsx)" in english


def test_a_units_report_is_reconciled_with_the_ledger_and_its_findings_resolved(api: Api) -> None:
    client = signed_in(api, "zhang.wei")
    csrf = client.cookies["paizhu_csrf"]
    form = {"unit_id": "unit-mee", "report_id": "form-test-report-1", "period": "2025年第一季度", "csrf_token": csrf}
    unreadable = client.post("/group/reconciliations/new", data={**form, "items": "只有一栏"})
    assert unreadable.status_code == 422 and 'id="reconcile-items-error">第1行' in unreadable.text
    bad_status = client.post("/group/reconciliations/new", data={**form, "items": "X号 | 标题 | 差不多"})
    assert bad_status.status_code == 422 and "第1行的状态" in bad_status.text
    done = client.post("/group/reconciliations/new", follow_redirects=False,
                       data={**form, "items": "不存在〔2025〕1号 | 台账没有的事项 | 推进中"})
    assert done.status_code == 303, done.text
    page = client.get(done.headers["location"]).text
    assert "对账已完成" in page and "总账未登记" in page and "单位报告未列出" in page
    index = re.findall(r'<tr id="finding-(\d+)">\s*<td>总账未登记', page)[0]
    empty = client.post(f"/group/reconciliations/{done.headers['location'].split('/')[-1].split('?')[0]}"
                        f"/findings/{index}/resolve", data={"note": "", "csrf_token": csrf})
    assert empty.status_code == 422 and f'id="finding-{index}-note-error"' in empty.text
    target = done.headers["location"].split("?")[0]
    resolved = client.post(f"{target}/findings/{index}/resolve", data={"note": "单位误报，已核实", "csrf_token": csrf},
                           follow_redirects=False)
    assert resolved.status_code == 303
    assert "单位误报，已核实" in client.get(target).text
    reconciliation_id = target.rsplit("/", 1)[-1]
    assert api.get("zhou.other", f"/api/ledgers/reconciliations/{reconciliation_id}").status_code == 404
    assert signed_in(api, "zhou.other").get(target).status_code == 404  # another group's: the page of a missing one


def test_an_idle_session_is_signed_out_and_activity_extends_it(api: Api) -> None:
    idle_minutes = api.client.app.state.runtime.session_idle_minutes
    assert idle_minutes == 30  # the settings' default
    client = signed_in(api, "zhang.wei")
    CLOCK.advance(timedelta(minutes=idle_minutes - 1))
    assert client.get("/group", follow_redirects=False).status_code == 200  # activity renews the session
    CLOCK.advance(timedelta(minutes=idle_minutes - 1))
    assert client.get("/group/clues", follow_redirects=False).status_code == 200  # 58 minutes after sign-in
    CLOCK.advance(timedelta(minutes=idle_minutes + 1))
    idle = client.get("/group", follow_redirects=False)
    assert idle.status_code == 303 and idle.headers["location"].startswith("/?reason=idle")
    assert "paizhu_token" not in client.cookies
    assert "因长时间未操作" in client.get(idle.headers["location"]).text
    assert client.get("/group", follow_redirects=False).headers["location"].startswith("/?reason=signin")

    api_client = signed_in(api, "zhang.wei")
    CLOCK.advance(timedelta(minutes=idle_minutes + 1))
    refused = api_client.get("/api/ledgers/directives")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "session_idle"
    forged = signed_in(api, "zhang.wei")
    forged.cookies.set("paizhu_seen", f"{int(CLOCK.now().timestamp()) + 3600}.{'0' * 32}")
    assert forged.get("/group", follow_redirects=False).headers["location"].startswith("/?reason=idle")
