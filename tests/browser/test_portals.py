"""Each portal in a real browser: a user signs in and does the portal's main job end to end."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import httpx
import jwt
from playwright.sync_api import expect

from gateway.accounts import DEMO_PASSWORD
from tests.browser.conftest import TOKEN_KEY, Visitor


def api_token(server: str, user: str) -> dict[str, str]:
    token = httpx.post(f"{server}/api/session/login", json={"user_id": user, "password": DEMO_PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def test_sign_in_lands_on_the_users_portal_and_sign_out_returns_to_sign_in(visitor: Visitor) -> None:
    visitor.go("/")
    expect(visitor.page.get_by_role("heading", name="登录")).to_be_visible()
    visitor.check("signin")
    visitor.sign_in("zhang.wei", "wrong-password")
    expect(visitor.page.locator("#password-error")).to_have_text("用户名或密码错误")  # next to the field
    visitor.check("signin-error")
    for user, path in (("chen.hq", "/hq"), ("zhang.wei", "/group"), ("zhao.unit", "/unit"),
                       ("liu.team", "/inspection")):
        visitor.sign_in(user)
        assert visitor.page.url.endswith(path), (user, visitor.page.url)
        cookie = next(c for c in visitor.page.context.cookies() if c["name"] == "paizhu_token")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        visitor.page.get_by_role("button", name="退出登录").click()
        expect(visitor.page.locator("#signin-notice")).to_have_text("您已退出登录。")
    assert visitor.go("/group").url.startswith(visitor.base + "/?reason=signin")  # no session: back to sign-in


def test_an_expired_session_goes_back_to_sign_in_saying_so(visitor: Visitor) -> None:
    now = int(time.time())
    expired = jwt.encode({"sub": "zhang.wei", "name": "张伟", "org": "group-mee", "roles": ["group_staff"],
                          "iss": "paizhu-embedded", "iat": now - 7200, "exp": now - 60}, TOKEN_KEY, algorithm="HS256")
    visitor.page.context.add_cookies([{"name": "paizhu_token", "value": expired, "url": visitor.base}])
    visitor.go("/group/clues")
    expect(visitor.page.locator("#signin-notice")).to_have_text("登录已过期，请重新登录。")
    visitor.sign_in("zhang.wei", navigate=False)
    assert visitor.page.url.endswith("/group/clues")  # back where the session ran out


def test_hq_sees_the_dashboard_charts_and_alerts_and_drills_into_a_group(visitor: Visitor) -> None:
    visitor.sign_in("chen.hq")
    expect(visitor.page.get_by_role("heading", name="委机关总览")).to_be_visible()
    expect(visitor.page.locator("#chart-comparison canvas")).to_have_count(1)  # ECharts drew from data-chart
    assert int(visitor.page.locator("#figure-total").inner_text().replace(",", "")) > 0
    visitor.check("hq-dashboard")
    visitor.page.get_by_role("link", name="政治生态报告").click()
    visitor.page.get_by_role("link", name="unit-mee").click()
    expect(visitor.page.locator("#chart-types canvas")).to_have_count(1)
    visitor.check("ecology-report")
    with visitor.page.expect_download() as download:
        visitor.page.get_by_role("link", name="下载 PDF").click()
    assert open(download.value.path(), "rb").read().startswith(b"%PDF")
    visitor.go("/hq")
    visitor.page.get_by_label("纪检监察组").select_option("group-mee")
    visitor.page.get_by_role("button", name="查看").click()
    expect(visitor.page.get_by_role("heading", name=re.compile("的部署事项$"))).to_be_visible()
    visitor.check("hq-drill-down")


def test_group_registers_a_directive_and_records_its_first_stage(visitor: Visitor) -> None:
    visitor.sign_in("zhang.wei")
    visitor.check("group-workbench")
    visitor.page.get_by_role("link", name="登记部署事项").click()
    page = visitor.page
    page.get_by_label("文号").fill("中发〔2025〕31号")
    page.get_by_role("button", name="保存").click()  # the rest missing: the server says so next to each field
    expect(page.locator("#title-error")).to_contain_text("必填")
    visitor.check("group-register-errors")
    page.get_by_label("印发机关").fill("中共中央办公厅")
    page.get_by_label("标题").fill("关于加强生态环境分区管控的意见（浏览器测试）")
    page.get_by_label("印发日期").fill("2025-03-01")
    page.get_by_label("收文日期").fill("2025-03-03")
    page.get_by_label("牵头部门").fill("环境影响评价司")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="关于加强生态环境分区管控的意见（浏览器测试）")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("部署事项已登记。")
    page.get_by_text("记录环节").first.click()
    page.get_by_label("完成日期").fill("2025-03-05")
    page.get_by_label("内容摘要").fill("部党组会议传达学习")
    page.get_by_label("完成主体").fill("部党组")
    page.locator("#stage-form").get_by_role("button", name="记录环节").click()
    expect(page.get_by_role("status")).to_have_text("环节已记录。")
    expect(page.locator('#timeline li[data-stage="relay_study"]')).to_have_class("done")
    visitor.check("group-directive")
    page.get_by_role("tab", name=re.compile("问题清单")).click()  # htmx swaps the list in
    expect(page.get_by_role("tab", name=re.compile("问题清单"))).to_have_attribute("aria-selected", "true")
    page.get_by_role("link", name="查看案卷历史").click()
    expect(page.locator("#history li")).to_have_count(2)  # received, relay and study
    page.get_by_label("理由").fill("核对登记与环节记录")
    page.get_by_role("button", name="取证回放").click()
    expect(page.locator("#case-history li")).to_have_count(2)  # registered, stage recorded: the case across the services
    visitor.check("case-history")


def test_the_group_leader_records_a_clues_disposition(visitor: Visitor) -> None:
    visitor.sign_in("li.na")
    visitor.go("/group/clues")
    visitor.check("clue-queue")
    row = visitor.page.locator("tr", has_text="待决定").first
    row.get_by_role("link").click()
    visitor.check("clue")
    visitor.page.get_by_role("button", name="作出处置决定").click()
    expect(visitor.page.get_by_role("status")).to_have_text("处置决定已记录。")
    expect(visitor.page.locator("#clue-status")).not_to_have_text("待决定")
    expect(visitor.page.locator("#clue-disposition")).to_have_text("谈话函询")
    visitor.page.get_by_label("查阅理由").fill("研判处置方式")
    visitor.page.get_by_role("button", name="查阅内容").click()
    expect(visitor.page.locator("#clue-content")).to_contain_text("反映对象")
    visitor.check("clue-content")
    visitor.page.goto(visitor.page.url.split("?")[0].removesuffix("/read"))
    expect(visitor.page.locator("table", has_text="查阅人").locator("tbody tr").first).to_contain_text("李娜")


def test_the_unit_submits_a_report_with_an_attachment_and_sees_its_receipt(visitor: Visitor, tmp_path: Any) -> None:
    visitor.sign_in("zhao.unit")
    visitor.check("unit-portal")
    visitor.page.get_by_role("link", name="报送进展情况").click()
    page = visitor.page
    page.get_by_label("标题").fill("2025年第一季度贯彻落实进展情况")
    page.get_by_label("所报事项").fill("中发〔2025〕9号")
    page.get_by_label("报告期").fill("2025年第一季度")
    page.get_by_label("内容摘要").fill("已完成部署，正在推进整改。")
    attachment = tmp_path / "进展说明.txt"
    attachment.write_text("第一季度进展说明\n", encoding="utf-8")
    page.get_by_label("附件").set_input_files(str(attachment))
    visitor.check("unit-report-form")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_have_text("报告已提交，回执如下。")
    number = page.locator("#receipt-number").inner_text()
    assert number
    expect(page.get_by_role("link", name="进展说明.txt")).to_be_visible()
    visitor.check("unit-receipt")
    with page.expect_download() as download:
        page.get_by_role("link", name="进展说明.txt").click()
    assert download.value.suggested_filename.endswith(".txt")
    page.locator("#back-to-portal").click()  # carries the submission's position: the list reflects it
    expect(page.get_by_role("link", name="进展报告 2025年第一季度")).to_be_visible()  # as the portal lists it


def test_a_unit_typing_another_units_record_gets_the_page_of_a_missing_one(visitor: Visitor, server: str) -> None:
    headers = api_token(server, "zhao.unit")
    submissions = httpx.get(f"{server}/api/units/portal/submissions", headers=headers).json()["items"]
    assert submissions
    their_id, missing_id = submissions[0]["submission_id"], str(uuid.uuid4())
    theirs = f"/unit/submissions/{their_id}"
    visitor.sign_in("qian.unit2")
    missing = visitor.go(f"/unit/submissions/{missing_id}")
    missing_bytes = missing.body()
    missing_body = visitor.page.locator("main").inner_html()
    visitor.check("unit-not-found")
    probed = visitor.go(theirs)
    assert (probed.status, missing.status) == (404, 404)
    # byte for byte, but for the address typed (the language switch links back to it)
    assert probed.body().replace(their_id.encode(), b"ID") == missing_bytes.replace(missing_id.encode(), b"ID")
    assert visitor.page.locator("main").inner_html() == missing_body


def test_the_team_opens_a_briefing_package_and_downloads_its_pdf(visitor: Visitor, server: str) -> None:
    visitor.sign_in("zhou.other")  # the group resident in the unit freezes the package for the team
    visitor.go("/inspection")
    visitor.page.get_by_role("link", name=re.compile("水利部党组")).click()
    visitor.page.get_by_role("button", name="形成简报包").click()
    expect(visitor.page.locator("#package-verified")).to_contain_text("哈希一致")
    visitor.page.get_by_role("button", name="退出登录").click()
    visitor.sign_in("liu.team")
    visitor.check("inspection-rounds")
    visitor.page.get_by_role("link", name=re.compile("水利部党组")).click()
    visitor.check("inspection-round")
    visitor.page.locator("#package-list a").first.click()
    expect(visitor.page.locator("#package-verified")).to_contain_text("哈希一致")
    visitor.check("briefing-package")
    with visitor.page.expect_download() as download:
        visitor.page.get_by_role("link", name="下载 PDF").click()
    content = open(download.value.path(), "rb").read()
    assert content.startswith(b"%PDF") and b"STSong-Light" in content


def test_switching_the_language_to_english_and_back(visitor: Visitor) -> None:
    visitor.sign_in("zhang.wei")
    visitor.page.get_by_role("link", name="English").click()
    expect(visitor.page.get_by_role("heading", name="Group workbench")).to_be_visible()
    assert visitor.page.locator("html").get_attribute("lang") == "en"
    visitor.check("group-workbench-en")
    visitor.go("/group/clues")
    expect(visitor.page.get_by_role("heading", name="Clues")).to_be_visible()
    visitor.page.get_by_role("link", name="中文").click()
    expect(visitor.page.get_by_role("heading", name="问题线索")).to_be_visible()


def test_the_api_documentation_works_without_internet(visitor: Visitor) -> None:
    visitor.go("/docs")
    # the first /openapi.json is generated on demand (seconds for the whole API)
    expect(visitor.page.locator(".swagger-ui .info .title")).to_contain_text("Paizhu", timeout=60_000)
    assert not visitor.offsite
    visitor.page.screenshot(path=str(visitor_artifact("api-docs")), full_page=False)


def visitor_artifact(name: str) -> Any:
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
