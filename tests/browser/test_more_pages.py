"""The workbench pages of issue #12 in a real browser: a group member reaches each page from the navigation and
does its main job; the team sends a request and refers a clue from the round's page. Every page visited is
checked by axe-core and saved as a screenshot (conftest's `Visitor.check`)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import Visitor


def nav(visitor: Visitor, name: str) -> None:
    visitor.page.get_by_role("navigation").get_by_role("link", name=name, exact=True).click()
    visitor.page.wait_for_load_state("load")


def test_feedback_is_drafted_and_deliberated(visitor: Visitor) -> None:
    visitor.sign_in("zhang.wei")
    nav(visitor, "反馈会商")
    expect(visitor.page.get_by_role("heading", name="反馈会商", exact=True)).to_be_visible()
    visitor.check("group-feedback")
    page = visitor.page
    page.get_by_role("button", name="起草反馈意见").click()
    expect(page.locator("#draft-title-error")).to_contain_text("必填")  # the server says so next to the field
    visitor.check("group-feedback-errors")
    page.locator("#draft-title").fill("关于危险废物规范化管理的反馈意见")
    page.locator("#draft-body").fill("日常监督中发现危险废物台账不全，请限期整改。")
    page.locator("#draft-counterpart_id").select_option("zfj-dcc")
    page.locator("#draft-deadline").fill("2027-06-30")
    page.get_by_role("button", name="起草反馈意见").click()
    expect(page.get_by_role("status")).to_have_text("反馈意见稿已起草，待集体研判。")
    page.locator("#opinion-stance").select_option("agree")
    page.get_by_role("button", name="发表意见").click()
    expect(page.locator("#opinion-list tbody tr").first).to_contain_text("张伟")  # the member by name
    visitor.check("group-feedback-draft")


def test_an_activity_records_a_talk(visitor: Visitor) -> None:
    visitor.sign_in("li.na")
    nav(visitor, "监督活动")
    visitor.check("group-activities")
    visitor.page.locator("#activity-list tr", has_text="进行中").first.get_by_role("link").click()
    page = visitor.page
    expect(page.locator("#activity-status")).to_have_text("进行中")
    before = page.locator("#work-list tbody tr").count()
    page.locator("#work-method").select_option(index=0)
    page.locator("#work-held_on").fill("2026-01-10")
    page.locator("#work-summary").fill("与分管负责同志谈心谈话，了解整改进度")
    page.get_by_role("button", name="记录工作（谈话、检查等）").click()
    expect(page.get_by_role("status")).to_have_text("工作记录已添加。")
    expect(page.locator("#work-list")).to_contain_text("与分管负责同志谈心谈话")
    assert page.locator("#work-list tbody tr").count() >= max(before, 1)
    visitor.check("group-activity")


def test_the_unit_channel_sends_a_document_request(visitor: Visitor) -> None:
    visitor.sign_in("zhang.wei")
    nav(visitor, "单位联络")
    visitor.check("group-channel")
    page = visitor.page
    page.locator("#request-kind").select_option("document_request")
    page.locator("#request-title").fill("调阅建设项目环评审批台账")
    page.locator("#request-body").fill("请报送2025年度建设项目环评审批台账。")
    page.locator("#request-counterpart_id").select_option("zfj-dcc")
    page.locator("#request-deadline").fill("2027-07-31")
    page.get_by_role("button", name="发出调阅或调度").click()
    expect(page.get_by_role("status")).to_have_text("已向驻在单位发出。")
    expect(page.locator("table", has_text="对口部门").first).to_contain_text("调阅建设项目环评审批台账")
    row = page.locator("tr", has_text="待阅").first
    row.get_by_role("textbox").fill("已阅")
    row.get_by_role("button", name="已阅").click()
    expect(page.get_by_role("status")).to_have_text("报送材料已阅。")
    visitor.check("group-channel-sent")


def test_an_integrity_file_and_the_matters_of_a_person(visitor: Visitor) -> None:
    visitor.sign_in("zhang.wei")
    nav(visitor, "廉政档案")
    page = visitor.page
    page.get_by_label("干部姓名").fill("高建民")
    page.get_by_role("button", name="查看").click()
    page.locator("#person-list").get_by_role("link", name="高建民").first.click()
    expect(page.get_by_role("heading", name="高建民的廉政档案")).to_be_visible()
    expect(page.locator("#record-list")).to_contain_text("民主测评")
    visitor.check("group-people")


def test_a_clue_is_registered_and_assessed(visitor: Visitor) -> None:
    visitor.sign_in("zhang.wei")
    nav(visitor, "问题线索")
    visitor.page.get_by_role("link", name="受理登记线索").click()
    page = visitor.page
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator("#categories-error")).to_be_visible()
    visitor.check("clue-register-errors")
    page.locator("#source").select_option("petition")
    page.locator("#subject_name").fill("浏览器测试对象")
    page.get_by_label("廉洁纪律").check()
    page.locator("#summary").fill("反映其违规接受宴请。")
    page.get_by_label("周敏").check()
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("线索已受理登记。")
    assert "浏览器测试对象" not in page.content()  # the content only in a recorded read
    page.locator("#assessment-political_analysis").fill("涉及廉洁纪律，须认真研判")
    page.get_by_role("button", name="记录研判").click()
    expect(page.get_by_role("status")).to_have_text("研判已记录。")
    visitor.check("clue-steps")


def test_the_team_sends_a_request_and_refers_a_clue_from_the_round(visitor: Visitor) -> None:
    visitor.sign_in("liu.team")
    visitor.page.get_by_role("link", name=re.compile("水利部党组")).click()
    page = visitor.page
    page.locator("#round-request-question").fill("请提供被巡视单位近三年信访件办理情况")
    page.locator("#round-request-deadline").fill("2027-03-20")
    page.get_by_role("button", name="发出请求").click()
    expect(page.get_by_role("status")).to_have_text("情况请求已发出。")
    expect(page.locator("#request-list")).to_contain_text("请提供被巡视单位近三年信访件办理情况")
    page.locator("#referral-subject_name").fill("浏览器移交对象")
    page.locator("#referral-subject_unit").fill("水利部")
    page.get_by_label("廉洁纪律").check()
    page.locator("#referral-summary").fill("反映其插手工程招投标")
    page.get_by_role("button", name="移交问题线索").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("问题线索已移交纪检监察组"))
    assert "浏览器移交对象" not in page.content()  # sealed for the clues service, never shown again
    visitor.check("inspection-round-handoff")
    page.get_by_role("button", name="退出登录").click()
    visitor.sign_in("he.leader2")  # the leader of the group resident in 水利部 takes the referral in
    nav(visitor, "问题线索")
    page.get_by_role("link", name="待受理的移交线索").click()
    expect(page.locator("#intake-list tbody tr form").first).to_be_visible()
    visitor.check("clue-intake")
    row = page.locator("#intake-list tbody tr").first
    row.get_by_role("checkbox").first.check()
    row.get_by_role("button", name="受理").click()
    expect(page.get_by_role("status")).to_have_text("线索已受理，承办人员已指定。")
