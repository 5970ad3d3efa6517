"""The group workbench's forms in a real browser: an item closed with an uploaded evidence file, the
department's evaluation, the Excel import with its preview and row errors, an export, the reconciliation, and a
session signed out when idle. Every page is checked by axe-core and saved as a screenshot (conftest.Visitor)."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

from openpyxl import Workbook
from playwright.sync_api import expect

from gateway.web.session import seen_stamp
from services.ledgers.spreadsheet import IMPORT_COLUMNS
from tests.browser.conftest import TOKEN_KEY, Visitor


def open_a_directive(visitor: Visitor) -> None:
    visitor.go("/group")
    visitor.page.locator('table.list a[href^="/group/directives/"]').first.click()
    visitor.page.wait_for_load_state("load")


def test_the_leader_closes_an_item_with_an_uploaded_file_and_evaluates_the_department(
        visitor: Visitor, tmp_path: Path) -> None:
    visitor.sign_in("li.na")
    open_a_directive(visitor)
    page = visitor.page
    title = f"浏览器表单测试事项 {int(time.time())}"
    page.get_by_text(re.compile("^新增.*事项$")).first.click()
    page.get_by_label("标题").last.fill(title)
    page.get_by_label("责任人或责任部门").last.fill("综合司")
    page.locator('#list-panel form[action$="/items"] button[type="submit"]').click()
    expect(page.get_by_role("status")).to_have_text("事项已新增。")
    row = page.locator("tr", has_text=title)
    row.locator("summary", has_text="销号").click()
    row.get_by_role("button", name="销号").click()  # no summary: said next to the field
    row = page.locator("tr", has_text=title)
    expect(row.locator('[id$="-summary-error"]')).to_be_visible()
    visitor.check("group-item-close-errors")
    evidence = tmp_path / "现场验收记录.txt"
    evidence.write_text("现场验收记录：整改到位。", encoding="utf-8")
    row.get_by_label("销号说明").fill("已整改并经组务会审定")
    row.get_by_label("上传佐证文件").set_input_files(str(evidence))
    row.get_by_role("button", name="销号").click()
    expect(page.get_by_role("status")).to_have_text("事项已销号。")
    row = page.locator("tr", has_text=title)
    expect(row).to_contain_text("已销号")
    expect(row).to_contain_text("佐证材料 1 份")
    row.locator("summary", has_text="回头看").click()
    visitor.check("group-item-look-back")

    page.locator("summary", has_text="记录评价").click()
    form = page.locator("#evaluation-form")
    form.get_by_label("评价理由").fill("传达及时，责任分解到岗到人")
    for dimension, score in (("思想认识", "4 较好"), ("目标定位", "5 好"), ("责任落实", "3 一般"), ("精神状态", "4 较好")):
        form.get_by_label(dimension).select_option(label=score)
    form.get_by_role("button", name="记录评价").click()
    expect(page.get_by_role("status")).to_have_text("评价已记录。")
    expect(page.locator("#evaluations")).to_contain_text("传达及时，责任分解到岗到人")
    visitor.check("group-directive-evaluated")


def test_an_excel_import_is_previewed_with_its_row_errors_then_confirmed(visitor: Visitor, tmp_path: Path) -> None:
    stamp = int(time.time())
    book = Workbook()
    book.active.append([c.header for c in IMPORT_COLUMNS])
    book.active.append([f"环办〔2025〕{stamp}号", "生态环境部", "浏览器导入测试", "2025-02-01", "2025-02-03", "办公厅",
                        None, "是"])
    book.active.append([f"环办〔2025〕{stamp + 1}号", "生态环境部", "", "2025-02-01", "2025-02-03", "办公厅", None, "否"])
    buffer = io.BytesIO()
    book.save(buffer)
    ledger = tmp_path / "总账.xlsx"
    ledger.write_bytes(buffer.getvalue())

    visitor.sign_in("zhang.wei")
    page = visitor.page
    page.get_by_role("link", name="导入总账（Excel）").click()
    page.get_by_role("button", name="上传并检查").click()  # no file: said next to the field
    expect(page.locator("#import-file-error")).to_be_visible()
    visitor.check("group-import-errors")
    page.get_by_label("总账工作簿（.xlsx）").set_input_files(str(ledger))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.locator("#import-summary")).to_contain_text("1 行可导入，1 行有问题")
    expect(page.locator('#preview tr[data-row="3"] .error')).to_contain_text("标题")
    visitor.check("group-import-preview")
    page.get_by_role("button", name="确认导入 1 行").click()
    expect(page.get_by_role("status")).to_have_text("已导入 1 项部署事项。")
    page.get_by_role("link", name=f"环办〔2025〕{stamp}号").click()
    expect(page.get_by_role("heading", name="浏览器导入测试")).to_be_visible()


def test_the_master_ledger_downloads_and_a_report_is_reconciled(visitor: Visitor) -> None:
    visitor.sign_in("zhang.wei")
    page = visitor.page
    page.get_by_role("link", name="导出台账").click()
    visitor.check("group-exports")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载总账（xlsx）").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert open(download.value.path(), "rb").read().startswith(b"PK")  # a zip: the xlsx workbook

    visitor.go("/group")
    page.get_by_role("link", name="对账").click()
    page.get_by_label("报告编号").fill(f"browser-report-{int(time.time())}")
    page.get_by_label("报告期").fill("2025年第一季度")
    page.get_by_role("button", name="比对").click()
    expect(page.locator("#reconcile-items-error")).to_be_visible()
    visitor.check("group-reconcile-errors")
    page.get_by_label("报告事项").fill("未登记〔2025〕1号 | 总账没有的事项 | 推进中")
    page.get_by_role("button", name="比对").click()
    expect(page.get_by_role("status")).to_have_text("对账已完成。")
    finding = page.locator("#findings tr", has_text="总账未登记")
    finding.get_by_label("处理说明").fill("单位误报，已核实")
    finding.get_by_role("button", name="记录处理").click()
    expect(page.get_by_role("status")).to_have_text("处理情况已记录。")
    expect(page.locator("#findings")).to_contain_text("单位误报，已核实")
    visitor.check("group-reconciliation")


def test_an_idle_session_is_signed_out_with_a_message(visitor: Visitor) -> None:
    visitor.sign_in("zhang.wei")
    context = visitor.page.context
    token = next(c["value"] for c in context.cookies() if c["name"] == "paizhu_token")
    long_ago = int(time.time()) - 31 * 60  # the default idle limit is 30 minutes
    context.add_cookies([{"name": "paizhu_seen", "value": seen_stamp(TOKEN_KEY, token, long_ago),
                          "url": visitor.base}])
    visitor.go("/group")
    expect(visitor.page.locator("#signin-notice")).to_have_text("因长时间未操作，您已自动退出登录，请重新登录。")
    visitor.check("signin-idle")
    visitor.sign_in("zhang.wei", navigate=False)
    assert visitor.page.url.endswith("/group")  # back where the session was left
