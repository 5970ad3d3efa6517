"""Importing a master ledger from .xlsx: the template round trip, each row-level error, once per file."""

from __future__ import annotations

import base64
import io
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from services.common.errors import InvalidInputError
from services.ledgers.application import LedgersApplication
from services.ledgers.spreadsheet import IMPORT_COLUMNS, template_workbook
from tests.unit.ledgers import read_model as read
from tests.unit.ledgers.conftest import GROUP, UNIT, configure_categories, register

HEADER = [c.header for c in IMPORT_COLUMNS]
GOOD = [
    ["环办〔2025〕11号", "中共中央办公厅", "关于加强核安全监管的重要批示", date(2025, 1, 2), date(2025, 1, 6),
     "核电安全监管司", "核安全监管工作", "是"],
    ["环办〔2025〕12号", "国务院办公厅", "关于长江保护修复的通知", "2025-01-10", "2025年1月13日", "水生态环境司",
     "river_basins", "是"],
    ["环办〔2025〕13号", "生态环境部", "关于做好年度统计工作的通知", datetime(2025, 2, 1), "2025/2/3", "办公厅",
     None, "否"],
]


def workbook(rows: list[list[Any]], header: list[str] | None = None) -> str:
    book = Workbook()
    sheet = book.active
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def preview(app: LedgersApplication, content: str) -> dict[str, Any]:
    return app.preview_import(group_id=GROUP, unit_id=UNIT, content_base64=content, filename="总账.xlsx")


def errors_of(result: dict[str, Any], row: int) -> list[str]:
    found = next(r for r in result["rows"] if r["row"] == row)
    return [e["code"] for e in found["errors"]]


def test_template_round_trip_previews_confirms_and_records_nothing_twice(app: LedgersApplication) -> None:
    configure_categories(app)
    content = workbook(GOOD)
    before = app.max_position()
    shown = preview(app, content)
    assert app.max_position() == before  # the preview records nothing
    assert (shown["valid"], shown["invalid"], shown["already_imported"]) == (3, 0, False)
    assert shown["rows"][1]["values"]["category"] == "river_basins"
    assert shown["rows"][0]["values"]["category"] == "nuclear_safety"  # the category's name resolves to its code
    assert shown["rows"][2]["values"]["issued_on"] == "2025-02-01"

    first = app.confirm_import(group_id=GROUP, unit_id=UNIT, content_base64=content, filename="总账.xlsx")
    assert first["already_imported"] is False and first["position"] > 0
    assert [r["row"] for r in first["imported"]] == [2, 3, 4]
    ledger = read.directives(app, group_id=GROUP, unit_id=UNIT)
    assert sorted(d["reference_number"] for d in ledger) == ["环办〔2025〕11号", "环办〔2025〕12号", "环办〔2025〕13号"]
    by_ref = {d["reference_number"]: d for d in ledger}
    assert by_ref["环办〔2025〕13号"]["tied_to_duties"] is False and by_ref["环办〔2025〕13号"]["category"] is None
    assert by_ref["环办〔2025〕12号"]["received_on"] == date(2025, 1, 13).isoformat()
    assert {r["directive_id"] for r in first["imported"]} == {d["directive_id"] for d in ledger}

    position = app.max_position()
    again = app.confirm_import(group_id=GROUP, unit_id=UNIT, content_base64=content, filename="copy.xlsx")
    assert again["already_imported"] is True and again["import_id"] == first["import_id"]
    assert app.max_position() == position
    assert len(read.directives(app, group_id=GROUP)) == 3
    assert preview(app, content)["already_imported"] is True
    assert app.get_import(first["import_id"])["filename"] == "总账.xlsx"
    assert [b["import_id"] for b in read.imports(app, group_id=GROUP)] == [first["import_id"]]


def test_the_downloadable_template_reads_back_as_one_valid_row(app: LedgersApplication) -> None:
    configure_categories(app)
    shown = preview(app, base64.b64encode(template_workbook()).decode())
    assert (shown["valid"], shown["invalid"]) == (1, 0)


def test_each_row_level_error_is_reported_with_its_row(app: LedgersApplication) -> None:
    configure_categories(app)
    register(app, "环办〔2025〕1号")
    rows = [
        ["环办〔2025〕20号", "", "标题", "2025-01-02", "2025-01-06", "办公厅", None, "是"],  # row 2: missing issuer
        ["环办〔2025〕21号", "国务院", "标题", "2025-13-40", "2025-01-06", "办公厅", None, "否"],  # 3: bad date
        ["环办〔2025〕22号", "国务院", "标题", "2025-01-06", "2025-01-02", "办公厅", None, "否"],  # 4: before
        ["环办〔2025〕23号", "国务院", "标题", "2025-01-02", "2025-01-06", "办公厅", "不存在的类别", "否"],  # 5
        ["环办〔2025〕24号", "国务院", "标题", "2025-01-02", "2025-01-06", "办公厅", None, "是"],  # 6 fine
        ["环办 [2025] 24号", "国务院", "标题", "2025-01-02", "2025-01-06", "办公厅", None, "是"],  # 7: repeats 6
        ["环办〔2025〕1号", "国务院", "标题", "2025-01-02", "2025-01-06", "办公厅", None, "是"],  # 8: in ledger
        ["环办〔2025〕25号", "国务院", "标题", "2025-01-02", "2025-01-06", "办公厅", None, "也许"],  # 9: yes/no
    ]
    shown = preview(app, workbook(rows))
    assert errors_of(shown, 2) == ["missing_field"]
    assert errors_of(shown, 3) == ["bad_date"]
    assert errors_of(shown, 4) == ["received_before_issued"]
    assert errors_of(shown, 5) == ["unknown_category"]
    assert errors_of(shown, 6) == []
    assert errors_of(shown, 7) == ["duplicate_in_file"]
    assert errors_of(shown, 8) == ["duplicate_in_ledger"]
    assert errors_of(shown, 9) == ["bad_yes_no"]
    message = next(r for r in shown["rows"] if r["row"] == 2)["errors"][0]["message"]
    assert message.startswith("缺少必填项：印发机关") and "(missing required field: issuer)" in message
    assert "第6行" in next(r for r in shown["rows"] if r["row"] == 7)["errors"][0]["message"]

    done = app.confirm_import(group_id=GROUP, unit_id=UNIT, content_base64=workbook(rows))
    assert [r["row"] for r in done["imported"]] == [6]
    assert [r["row"] for r in done["skipped"]] == [2, 3, 4, 5, 7, 8, 9]


def test_a_file_without_any_valid_row_records_nothing(app: LedgersApplication) -> None:
    position = app.max_position()
    bad = workbook([["", "国务院", "标题", "2025-01-02", "2025-01-06", "办公厅", None, "是"]])
    with pytest.raises(InvalidInputError) as refused:
        app.confirm_import(group_id=GROUP, unit_id=UNIT, content_base64=bad)
    assert refused.value.code == "nothing_to_import"
    assert app.max_position() == position


def test_english_headers_and_blank_lines_are_accepted(app: LedgersApplication) -> None:
    header = [c.key for c in IMPORT_COLUMNS]
    shown = preview(app, workbook([GOOD[2], [None] * 8, ["环办〔2025〕30号", *GOOD[2][1:]]], header=header))
    assert [r["row"] for r in shown["rows"]] == [2, 4] and shown["valid"] == 2


@pytest.mark.parametrize(("content", "code"), [
    (base64.b64encode(b"not a workbook").decode(), "bad_workbook"),
    ("***", "bad_base64"),
    ("", "bad_workbook"),
])
def test_unreadable_files_are_refused(app: LedgersApplication, content: str, code: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        preview(app, content)
    assert refused.value.code == code


def test_a_header_without_the_required_columns_is_refused(app: LedgersApplication) -> None:
    with pytest.raises(InvalidInputError) as refused:
        preview(app, workbook([["x"]], header=["文号", "标题"]))
    assert refused.value.code == "header_missing" and "印发机关" in refused.value.message


def test_export_of_the_master_ledger_opens_with_the_expected_rows(app: LedgersApplication) -> None:
    configure_categories(app)
    app.confirm_import(group_id=GROUP, unit_id=UNIT, content_base64=workbook(GOOD))
    exported = app.export_directives(group_id=GROUP)
    book = load_workbook(io.BytesIO(base64.b64decode(exported["content_base64"])))
    sheet = book["总账"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "文号", "印发机关", "标题") and exported["rows"] == 3
    assert [r[1] for r in rows[1:]] == ["环办〔2025〕11号", "环办〔2025〕12号", "环办〔2025〕13号"]
    assert rows[1][4].date() == date(2025, 1, 2) and rows[1][7] == "核安全监管工作" and rows[1][8] == "是"
    assert exported["filename"].endswith(".xlsx")


def test_export_of_a_detail_ledger_and_of_the_four_lists(app: LedgersApplication) -> None:
    from tests.unit.ledgers.conftest import add_item

    configure_categories(app)
    directive_id = register(app, category="river_basins", tied_to_duties=True)
    register(app, "环办〔2025〕2号", category="nuclear_safety", tied_to_duties=True)
    app.record_stage(directive_id, "relay_study", date(2025, 2, 25), "部党组会议传达学习", "部党组", meeting="部党组会议")
    add_item(app, directive_id)
    add_item(app, directive_id, list_kind="problem", title="整改敷衍塞责", problem_type="perfunctory")

    detail = app.export_directives(group_id=GROUP, category="river_basins")
    book = load_workbook(io.BytesIO(base64.b64decode(detail["content_base64"])))
    assert [r[1] for r in book["细账"].iter_rows(min_row=2, values_only=True)] == ["环办〔2025〕1号"]
    stages = list(book["阶段记录"].iter_rows(min_row=2, values_only=True))
    assert stages[0][2] == "学习传达" and stages[0][5] == "部党组会议"
    assert "长江黄河流域生态保护" in detail["filename"]

    lists = app.export_combined_view(directive_id)
    book = load_workbook(io.BytesIO(base64.b64decode(lists["content_base64"])))
    items = list(book["四单合一"].iter_rows(values_only=True))
    assert items[0][:3] == ("序号", "清单", "事项")
    assert [(r[1], r[2]) for r in items[1:]] == [("任务清单", "完成长江沿线废矿物油专项整治"), ("问题清单", "整改敷衍塞责")]
    assert items[2][9] == "敷衍塞责"
