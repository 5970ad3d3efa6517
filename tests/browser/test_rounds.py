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


def test_the_units_progress_report_answers_a_directive_of_its_round(visitor: Visitor) -> None:
    visitor.sign_in("zhao.unit")
    page = visitor.page
    page.get_by_role("link", name="报送进展情况").click()
    page.get_by_label("标题").fill("2025年一季度调度答复")
    page.get_by_label("所报事项").fill("定期调度")
    page.get_by_label("报告期").fill("2025年第一季度")
    page.get_by_label("内容摘要").fill("按调度要求逐件报送进展。")
    option = page.locator("#round_id option", has_text="2025年一季度重要指示批示落实进展调度")
    round_id = option.get_attribute("value")
    page.get_by_label("所答复的调度").select_option(round_id)  # the round's directives come in (htmx)
    asked = page.locator("#round-directives fieldset").first
    expect(asked).to_be_visible()
    heading = asked.locator("legend").inner_text()
    asked.get_by_label("进展情况").fill("以报告答复：方案推进中。")
    page.get_by_role("button", name="提交").click()  # no status: the problem shows next to the field
    asked = page.locator("#round-directives fieldset", has_text=heading)
    expect(asked.locator(".field.has-error .error")).to_be_visible()
    visitor.check("unit-report-round-refused")
    asked.get_by_label("进展状态").select_option(label="推进中")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_have_text("报告已提交，回执如下。")
    answered = page.locator("section", has=page.get_by_role("heading", name=heading))
    for _ in range(20):  # the ledgers' policy records the report's answer on the round
        visitor.go(f"/unit/rounds/{round_id}")
        if "以报告答复：方案推进中。" in answered.inner_text():
            break
        page.wait_for_timeout(250)
    expect(answered.locator(".answered-by")).to_contain_text("来自进展情况报告")
    expect(answered).to_contain_text("以报告答复：方案推进中。")
    visitor.check("unit-round-via-report")
