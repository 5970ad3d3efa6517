"""定期调度 in a real browser (issue #15): the unit opens the rounds addressed to it from its portal and answers a
directive with the form of that directive; the page then shows the answer as the unit's."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import Visitor


def test_the_unit_answers_a_directive_of_its_scheduling_round(visitor: Visitor) -> None:
    visitor.sign_in("zhao.unit")
    page = visitor.page
    page.locator("#unit-rounds").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("定期调度")
    visitor.check("unit-rounds")
    page.get_by_role("link", name="2025年一季度重要指示批示落实进展调度").click()
    expect(page.locator("#round-status")).to_contain_text("待答复")
    visitor.check("unit-round")
    waiting = page.locator("section", has_text="尚未答复").first
    heading = waiting.locator("h3").inner_text()
    waiting.get_by_role("button", name="答复").click()  # nothing typed: the problem shows next to the field
    section = page.locator("section", has=page.get_by_role("heading", name=heading))
    expect(section.locator(".field.has-error .error").first).to_be_visible()
    visitor.check("unit-round-refused")
    section.get_by_label("进展状态").select_option(label="已完成")
    section.get_by_label("进展情况").fill("重点区域秋冬季大气污染综合治理方案已全部落实。")
    section.get_by_role("button", name="答复").click()
    expect(page.get_by_role("status")).to_have_text("答复已记录。")
    answered = page.locator("section", has=page.get_by_role("heading", name=heading))
    expect(answered.locator(".answered-by")).to_contain_text("单位答复")
    expect(answered.locator(".answer-status")).to_have_text("已完成")
    expect(page.locator("#round-status")).to_have_text("已全部答复")
    visitor.check("unit-round-answered")
