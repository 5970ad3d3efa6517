"""The portals' pages against the embedded platform in memory: the session cookie, CSRF, server-side form
validation next to each field, errors as pages (a record one may not know is the page of a missing one)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import jwt
import pytest
from fastapi.testclient import TestClient

from gateway.accounts import DEMO_PASSWORD
from tests.api_helpers import Api, embedded_api

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api(demo=True) as api:
        yield api


def browser(api: Api, base_url: str = "http://testserver") -> TestClient:
    return TestClient(api.client.app, base_url=base_url, raise_server_exceptions=False)


def signed_in(api: Api, user: str, base_url: str = "http://testserver") -> TestClient:
    client = browser(api, base_url)
    client.get("/", headers=HTML)
    response = client.post("/signin", data={"user_id": user, "password": DEMO_PASSWORD,
                                            "csrf_token": client.cookies["paizhu_csrf"]}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def set_cookie_of(response: object, name: str) -> str:
    headers = response.headers.get_list("set-cookie")  # type: ignore[attr-defined]
    return next(h for h in headers if h.startswith(f"{name}="))


def test_the_sign_in_page_is_the_start_page_and_gives_the_browser_its_csrf_cookie(api: Api) -> None:
    client = browser(api)
    page = client.get("/", headers=HTML)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert '<html lang="zh-CN">' in page.text and "登录" in page.text
    cookie = set_cookie_of(page, "paizhu_csrf").lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    token = client.cookies["paizhu_csrf"]
    assert f'name="csrf_token" value="{token}"' in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "<script>" not in page.text  # every script is a file


def test_signing_in_sets_a_strict_http_only_session_and_lands_on_the_users_portal(api: Api) -> None:
    for user, home in (("chen.hq", "/hq"), ("zhang.wei", "/group"), ("zhao.unit", "/unit"),
                       ("liu.team", "/inspection"), ("sun.audit", "/hq")):
        client = browser(api)
        client.get("/", headers=HTML)
        response = client.post("/signin", data={"user_id": user, "password": DEMO_PASSWORD,
                                                "csrf_token": client.cookies["paizhu_csrf"]}, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, home), user
        cookie = set_cookie_of(response, "paizhu_token").lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
        assert client.get("/", follow_redirects=False).headers["location"] == home
        assert client.get(home).status_code == 200, (user, home)


def test_over_https_the_session_cookie_is_secure(api: Api) -> None:
    client = browser(api, "https://testserver")
    client.get("/", headers=HTML)
    response = client.post("/signin", data={"user_id": "zhang.wei", "password": DEMO_PASSWORD,
                                            "csrf_token": client.cookies["paizhu_csrf"]}, follow_redirects=False)
    assert "secure" in set_cookie_of(response, "paizhu_token").lower()


def test_a_form_without_the_csrf_token_is_refused(api: Api) -> None:
    client = browser(api)
    client.get("/", headers=HTML)
    refused = client.post("/signin", data={"user_id": "zhang.wei", "password": DEMO_PASSWORD,
                                           "csrf_token": "forged"}, follow_redirects=False)
    assert refused.status_code == 403 and "表单已失效" in refused.text
    assert "paizhu_token" not in refused.headers.get("set-cookie", "")
    client = signed_in(api, "zhang.wei")
    before = client.get("/group").text.count("/group/directives/")
    forged = client.post("/group/directives/new", data={"unit_id": "unit-mee", "reference_number": "x",
                                                        "csrf_token": "forged"})
    assert forged.status_code == 403
    assert client.get("/group").text.count("/group/directives/") == before


def test_a_wrong_password_is_said_next_to_the_password_field(api: Api) -> None:
    client = browser(api)
    client.get("/", headers=HTML)
    page = client.post("/signin", data={"user_id": "zhang.wei", "password": "nope",
                                        "csrf_token": client.cookies["paizhu_csrf"]})
    assert page.status_code == 401
    assert re.search(r'id="password-error">用户名或密码错误<', page.text)
    assert 'value="zhang.wei"' in page.text  # what was typed stays


def test_the_api_authenticated_by_the_session_cookie_alone_needs_the_csrf_header(api: Api) -> None:
    client = signed_in(api, "zhang.wei")
    body = {"group_id": "group-mee", "unit_id": "unit-mee", "reference_number": "中发〔2025〕40号",
            "issuer": "中共中央", "title": "经由会话调用", "issued_on": "2025-01-02", "received_on": "2025-01-03",
            "lead_department": "综合司"}
    refused = client.post("/api/ledgers/directives", json=body)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_refused"
    allowed = client.post("/api/ledgers/directives", json=body,
                          headers={"x-csrf-token": client.cookies["paizhu_csrf"]})
    assert allowed.status_code == 201, allowed.text
    assert client.get("/api/session/me").status_code == 200  # reading needs no token
    bearer = api.post("zhang.wei", "/api/ledgers/directives", json={**body, "reference_number": "中发〔2025〕41号"})
    assert bearer.status_code == 201  # a bearer token is never sent by a browser by itself


def test_the_server_validates_a_form_and_shows_each_problem_next_to_its_field(api: Api) -> None:
    client = signed_in(api, "zhang.wei")
    page = client.post("/group/directives/new", data={
        "unit_id": "unit-mee", "reference_number": "中发〔2025〕42号", "issued_on": "not a date",
        "csrf_token": client.cookies["paizhu_csrf"]})
    assert page.status_code == 422
    assert re.search(r'id="title-error">必填', page.text)
    assert re.search(r'id="issued_on-error">不是有效日期', page.text)
    assert 'value="中发〔2025〕42号"' in page.text
    created = client.post("/group/directives/new", data={
        "unit_id": "unit-mee", "reference_number": "中发〔2025〕42号", "issuer": "中共中央", "title": "页面登记",
        "issued_on": "2025-02-01", "received_on": "2025-02-02", "lead_department": "综合司",
        "csrf_token": client.cookies["paizhu_csrf"]}, follow_redirects=False)
    assert created.status_code == 303
    directive = client.get(created.headers["location"])
    assert "页面登记" in directive.text and "部署事项已登记" in directive.text
    # the same record through the API: the page ran the same operation
    directive_id = created.headers["location"].split("/")[-1].split("?")[0]
    assert api.get("zhang.wei", f"/api/ledgers/directives/{directive_id}").json()["title"] == "页面登记"


def test_a_record_of_another_unit_is_the_page_of_a_missing_one(api: Api) -> None:
    submissions = api.get("zhao.unit", "/api/units/portal/submissions").json()["items"]
    assert submissions
    theirs, missing = submissions[0]["submission_id"], str(uuid.uuid4())
    client = signed_in(api, "qian.unit2")
    probed = client.get(f"/unit/submissions/{theirs}", headers=HTML)
    absent = client.get(f"/unit/submissions/{missing}", headers=HTML)
    assert probed.status_code == absent.status_code == 404
    assert probed.content.replace(theirs.encode(), b"ID") == absent.content.replace(missing.encode(), b"ID")
    assert signed_in(api, "zhao.unit").get(f"/unit/submissions/{theirs}").status_code == 200


def test_a_page_the_user_has_no_role_for_is_refused_as_a_page(api: Api) -> None:
    page = signed_in(api, "zhao.unit").get("/hq")
    assert page.status_code == 403 and "text/html" in page.headers["content-type"] and "无权执行此操作" in page.text


def test_without_a_session_a_page_goes_to_sign_in_and_an_expired_one_says_so(api: Api) -> None:
    client = browser(api)
    response = client.get("/group/clues", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/?reason=signin&next=%2Fgroup%2Fclues"
    authenticator = api.client.app.state.runtime.authenticator
    expired = jwt.encode({"sub": "zhang.wei", "org": "group-mee", "iss": "paizhu-embedded",
                          "exp": int(datetime.now(UTC).timestamp()) - 10}, authenticator.token_key, algorithm="HS256")
    client.cookies.set("paizhu_token", expired)
    response = client.get("/group", follow_redirects=False)
    assert response.headers["location"].startswith("/?reason=expired")
    assert "登录已过期" in client.get(response.headers["location"]).text


def test_signing_out_ends_the_session(api: Api) -> None:
    client = signed_in(api, "zhang.wei")
    response = client.post("/signout", data={"csrf_token": client.cookies["paizhu_csrf"]}, follow_redirects=False)
    assert response.headers["location"] == "/?reason=signed_out"
    assert 'paizhu_token=""' in response.headers["set-cookie"] or "Max-Age=0" in response.headers["set-cookie"]


def test_the_language_switch_goes_back_only_to_a_page_of_this_site(api: Api) -> None:
    client = signed_in(api, "zhang.wei")
    response = client.get("/lang/en?next=/group", follow_redirects=False)
    assert response.headers["location"] == "/group"
    assert "<h1>Group workbench</h1>" in client.get("/group").text
    assert client.get("/lang/en?next=//evil.example", follow_redirects=False).headers["location"] == "/"
    client.get("/lang/zh-CN")
    assert "<h1>纪检监察组工作台</h1>" in client.get("/group").text


def test_the_briefing_package_downloads_as_a_pdf(api: Api) -> None:
    client = signed_in(api, "li.na")
    rounds = re.findall(r"/inspection/rounds/([0-9a-f-]{36})", client.get("/inspection").text)
    packages = re.findall(r"/packages/([0-9a-f-]{36})", client.get(f"/inspection/rounds/{rounds[0]}").text)
    pdf = client.get(f"/inspection/rounds/{rounds[0]}/packages/{packages[0]}/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf.headers["content-disposition"]


def test_an_item_is_added_to_a_list_of_the_directive_and_closed_from_its_page(api: Api) -> None:
    client = signed_in(api, "li.na")
    directive_id = re.findall(r"/group/directives/([0-9a-f-]{36})", client.get("/group").text)[0]
    csrf = client.cookies["paizhu_csrf"]
    item = {"list_kind": "problem", "title": "整改方案未细化到岗", "owner": "综合司", "deadline": "2025-06-30",
            "follower": "zhang.wei", "csrf_token": csrf}
    refused = client.post(f"/group/directives/{directive_id}/items", data=item)
    assert refused.status_code == 422 and "问题须分类" in refused.text  # the domain's rule, shown on the form
    added = client.post(f"/group/directives/{directive_id}/items", data={**item, "problem_type": "perfunctory"},
                        follow_redirects=False)
    assert added.status_code == 303 and "tab=problem" in added.headers["location"]
    tab = client.get(f"/group/directives/{directive_id}/lists/problem")
    assert "整改方案未细化到岗" in tab.text
    item_id = re.findall(r"/group/items/([0-9a-f-]{36})/close", tab.text)[-1]
    empty = client.post(f"/group/items/{item_id}/close", data={"summary": "", "csrf_token": csrf})
    loose = client.post(f"/group/items/{item_id}/close", data={"summary": "方案已细化", "csrf_token": csrf,
                                                               "evidence_refs": "综合司〔2025〕12号"})
    assert loose.status_code == 422 and "格式不符" in loose.text  # evidence is a file's hash or a submission
    submission = api.get("zhao.unit", "/api/units/portal/submissions").json()["items"][0]["submission_id"]
    closed = client.post(f"/group/items/{item_id}/close", data={"summary": "方案已细化并经党组会审定",
                                                                "evidence_refs": f"submission:{submission}",
                                                                "csrf_token": csrf}, follow_redirects=False)
    page = client.get(f"/group/directives/{directive_id}/lists/problem").text
    assert empty.status_code == 422 and f'id="close-{item_id}-summary-error"' in empty.text  # next to the field
    assert closed.status_code == 303 and "recorded=closed" in closed.headers["location"]
    assert "已销号" in page


def test_the_unit_signs_for_an_item_and_answers_it_with_an_attachment(api: Api) -> None:
    client = signed_in(api, "zhao.unit")
    todo = client.get("/unit").text
    item_ids = re.findall(r"/unit/items/([0-9a-f-]{36})", todo)
    assert item_ids, "the demo unit has items awaiting its answer"
    csrf = client.cookies["paizhu_csrf"]
    unsigned = [i for i in item_ids if "/acknowledge" in client.get(f"/unit/items/{i}").text]
    assert unsigned, "one of them is not signed for yet"
    item_id = unsigned[0]
    signed = client.post(f"/unit/items/{item_id}/acknowledge", data={"csrf_token": csrf})
    assert signed.status_code == 200 and "已签收。" in signed.text and "/acknowledge" not in signed.text
    empty = client.post(f"/unit/items/{item_id}/reply", data={"csrf_token": csrf})
    assert empty.status_code == 422 and re.search(r'id="title-error">必填', empty.text)
    answered = client.post(f"/unit/items/{item_id}/reply", data={
        "title": "关于整改情况的答复", "summary": "已按要求完成整改。", "completed": "on", "csrf_token": csrf},
        files={"attachment": ("整改报告.txt", "整改报告正文".encode(), "text/plain")}, follow_redirects=False)
    assert answered.status_code == 303, answered.text
    receipt = client.get(answered.headers["location"])
    assert "答复已提交，回执如下。" in receipt.text and "整改报告.txt" in receipt.text
    assert signed_in(api, "qian.unit2").get(f"/unit/items/{item_id}").status_code == 404


def test_the_political_ecology_report_of_a_unit_and_its_pdf(api: Api) -> None:
    leader = signed_in(api, "li.na")
    report = leader.get("/ecology/unit-mee?year=2025")
    assert report.status_code == 200 and "生态环境部 2025年度政治生态分析报告" in report.text
    summary = re.search(r'id="ecology-summary">([^<]*)', report.text)
    listed = api.get("li.na", "/api/ledgers/directives?unit_id=unit-mee&limit=200").json()["items"]
    received = sum(1 for d in listed if d["received_on"].startswith("2025"))
    assert received and summary and f"本年度收到部署事项 {received} 件" in summary[1]
    assert 'data-chart="' in report.text and "<script>" not in report.text
    pdf = leader.get("/ecology/unit-mee/pdf?year=2025")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    other = signed_in(api, "he.leader2")  # another group's leader: the unit is not theirs to know
    hidden, missing = other.get("/ecology/unit-mee"), other.get("/ecology/unit-none")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content.replace(b"unit-mee", b"ID") == missing.content.replace(b"unit-none", b"ID")
    assert signed_in(api, "zhao.unit").get("/ecology/unit-mee").status_code == 403  # not the unit's report


def test_hq_drills_into_a_group_and_lists_the_units_whose_reports_it_may_open(api: Api) -> None:
    hq = signed_in(api, "chen.hq")
    drilled = hq.get("/hq?group=group-mee&period=2025")
    assert drilled.status_code == 200 and "驻生态环境部纪检监察组的部署事项" in drilled.text
    rows = re.search(r"的部署事项</h2>.*?<tbody>(.*?)</tbody>", drilled.text, re.S)
    assert rows and rows[1].count("<tr>") >= 1 and "暂无记录" not in rows[1]
    assert '/ecology/unit-mee?year=' in hq.get("/ecology").text
    assert '/ecology/unit-mwr' not in signed_in(api, "li.na").get("/ecology").text  # a group: its own unit only
