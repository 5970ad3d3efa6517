"""The group workbench's pages for the facts of issue #15 in a real browser: a talk recorded through the meeting
supervision form (errors next to the fields first, then the record with what was observed), and the network,
accountability and evaluation pages. Every page is checked by axe-core and saved as a screenshot
(conftest.Visitor)."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from tests.browser.conftest import Visitor


def test_a_talk_is_recorded_through_the_meeting_form_and_the_other_pages_pass_axe(visitor: Visitor) -> None:
    visitor.sign_in("zhang.wei")
    page = visitor.page
    page.get_by_role("navigation").get_by_role("link", name="会议监督与谈话").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=1)).to_have_text("会议监督与谈心谈话")
    visitor.check("group-meetings")
    form = page.locator("#contact-form")
    form.locator("#contact-kind").select_option(label="谈心谈话")
    form.get_by_role("button", name="记录会议监督或谈话").click()
    page.wait_for_load_state("load")
    expect(page.locator("#contact-title-error")).to_be_visible()
    expect(page.locator("#contact-person_ids-error")).to_be_visible()
    expect(page.locator("#contact-kind")).to_have_value("talk")  # what was typed stays
    visitor.check("group-meetings-errors")

    title = f"与分管司长谈心谈话 {int(time.time())}"
    form = page.locator("#contact-form")
    form.get_by_label("日期").fill("2025-10-20")
    form.get_by_label("标题").fill(title)
    form.locator("#contact-person_ids").get_by_label("吴海峰").check()
    form.locator("#contact-attended_by").get_by_label("张伟").check()
    form.get_by_label("观察到的情况").fill("对执法领域廉政风险认识到位")
    form.get_by_label("发现问题").check()
    form.get_by_label("观察到的情况").press("Tab")  # keyboard reachable: the next control takes the focus
    form.get_by_role("button", name="记录会议监督或谈话").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("status")).to_have_text("已记录会议监督或谈话。")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("#contact-persons")).to_contain_text("吴海峰")
    expect(page.locator("#observation-list")).to_contain_text("对执法领域廉政风险认识到位")
    visitor.check("group-meeting")

    for path, name in (("/group/network", "group-network"), ("/group/accountability", "group-accountability")):
        visitor.go(path)
        visitor.check(name)
    page.locator('#accountability-list a[href^="/group/accountability/"]').first.click()
    page.wait_for_load_state("load")
    expect(page.locator("#accountability-facts")).to_be_visible()
    visitor.check("group-accountability-one")
    page.locator("#accountability-person").click()
    page.wait_for_load_state("load")
    expect(page.locator("#evaluation-form")).to_be_visible()
    visitor.check("group-person-evaluations")
    visitor.go("/group/accountability/new")
    page.locator("#choose-directive").select_option(index=0)
    page.get_by_role("button", name="选择").click()
    page.wait_for_load_state("load")
    expect(page.locator("#propose-form")).to_be_visible()
    visitor.check("group-accountability-new")
    visitor.go("/lang/en?next=/group/meetings")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Meeting supervision"))


def test_the_leaders_clue_forms_and_the_withdrawal_page_pass_axe(visitor: Visitor) -> None:
    visitor.sign_in("li.na")
    page = visitor.page
    visitor.go("/group/clues")
    page.locator('table.list a[href^="/group/clues/"]').first.click()
    page.wait_for_load_state("load")
    expect(page.locator("#member-add-form")).to_be_visible()
    page.locator("#member-add-form").get_by_role("button", name="增加知悉人员").click()
    page.wait_for_load_state("load")
    expect(page.locator("#member-add-reason-error")).to_be_visible()  # said next to the field
    visitor.check("group-clue-compartment")
    visitor.go("/group/channel")
    page.locator('a[href$="/withdraw"]').first.click()
    page.wait_for_load_state("load")
    page.get_by_role("button", name="撤回该事项").click()
    page.wait_for_load_state("load")
    expect(page.locator("#withdraw-reason-error")).to_be_visible()
    visitor.check("group-item-withdraw")
