"""Excel workbooks of the ledgers: parse and check an imported master ledger, build exported views (openpyxl)."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from services.common.errors import InvalidInputError
from services.ledgers.domain.loop import normalize_reference

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 2000


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = True


IMPORT_COLUMNS = (
    Column("reference_number", "文号"),
    Column("issuer", "印发机关"),
    Column("title", "标题"),
    Column("issued_on", "印发日期"),
    Column("received_on", "收文日期"),
    Column("lead_department", "牵头部门"),
    Column("category", "细账类别", required=False),
    Column("tied_to_duties", "是否与职责密切相关"),
)
"""The import template's columns, in order (docs/ledger-import-template.md)."""

_HEADERS = {c.header: c.key for c in IMPORT_COLUMNS} | {c.key: c.key for c in IMPORT_COLUMNS}
_LABELS = {c.key: c.header for c in IMPORT_COLUMNS}
_YES = {"是", "y", "yes", "true", "1", "√"}
_NO = {"否", "n", "no", "false", "0", "×"}
_CHINESE_DATE = re.compile(r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$")
_EXCEL_EPOCH = date(1899, 12, 30)


WorkbookError = InvalidInputError.kind("WorkbookError", "bad_workbook")


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass
class ParsedRow:
    """One data row of the workbook: its Excel row number, the values read and every problem found."""

    row: int
    values: dict[str, Any]
    errors: list[dict[str, str]] = field(default_factory=list)

    def fail(self, code: str, column: str | None, message: str) -> None:
        self.errors.append({"code": code, "field": column or "", "message": message})

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        values = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.values.items()}
        return {"row": self.row, "values": values, "valid": self.valid, "errors": list(self.errors)}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value: Any) -> date | None:
    """A cell as a date: a date cell, an ISO / 2025/1/3 / 2025年1月3日 text, or an Excel serial number."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 100000:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        return None
    match = _CHINESE_DATE.match(_text(value))
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


def read_rows(content: bytes) -> list[ParsedRow]:
    """The data rows of the workbook's first sheet, under a header row naming the template's columns."""
    if not content:
        raise WorkbookError("文件为空 (the file is empty)")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise WorkbookError("无法读取该文件，请上传 .xlsx 工作簿 (not a readable .xlsx workbook)") from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        columns = {i: _HEADERS.get(_text(cell)) for i, cell in enumerate(header or ())}
        present = {key for key in columns.values() if key}
        missing = [c.header for c in IMPORT_COLUMNS if c.required and c.key not in present]
        if missing:
            raise WorkbookError(
                f"表头缺少列：{'、'.join(missing)} (header row lacks columns; see the import template)",
                code="header_missing",
            )
        parsed: list[ParsedRow] = []
        for number, cells in enumerate(rows, start=2):
            values = {key: cells[i] for i, key in columns.items() if key and i < len(cells)}
            if all(_text(v) == "" for v in values.values()):
                continue  # blank lines between blocks are common in hand-kept ledgers
            if len(parsed) >= MAX_ROWS:
                raise WorkbookError(f"一次最多导入{MAX_ROWS}行 (at most {MAX_ROWS} rows per file)",
                                    code="too_many_rows")
            parsed.append(ParsedRow(number, values))
        return parsed
    finally:
        workbook.close()


def check_rows(
    rows: Sequence[ParsedRow], categories: dict[str, dict[str, Any]], ledger_references: Iterable[str]
) -> list[ParsedRow]:
    """Normalise each row's values and record its problems (row-level errors, Chinese first).

    `categories`: the group's detail-ledger categories by code (a cell may give the code or the name);
    `ledger_references`: the reference numbers already in the unit's master ledger.
    """
    in_ledger = {normalize_reference(r) for r in ledger_references}
    by_name = {c["name"]: code for code, c in categories.items()}
    seen: dict[str, int] = {}
    for row in rows:
        raw = row.values
        values: dict[str, Any] = {}
        for column in IMPORT_COLUMNS:
            text = _text(raw.get(column.key))
            if column.required and text == "":
                row.fail("missing_field", column.key,
                         f"缺少必填项：{column.header} (missing required field: {column.key})")
            values[column.key] = text or None
        for key in ("issued_on", "received_on"):
            if values[key] is not None:
                values[key] = parse_date(raw.get(key))
                if values[key] is None:
                    row.fail("bad_date", key, f"日期无法识别：{_LABELS[key]}“{_text(raw.get(key))}” "
                                              f"(invalid date in {key}, use 2025-01-31)")
        if values["issued_on"] and values["received_on"] and values["received_on"] < values["issued_on"]:
            row.fail("received_before_issued", "received_on",
                     "收文日期不能早于印发日期 (received before issued)")
        if values["tied_to_duties"] is not None:
            values["tied_to_duties"] = parse_yes_no(raw.get("tied_to_duties"))
            if values["tied_to_duties"] is None:
                row.fail("bad_yes_no", "tied_to_duties",
                         "是否与职责密切相关须填“是”或“否” (tied_to_duties must be 是 or 否)")
        category = values["category"]
        if category is not None:
            code = category if category in categories else by_name.get(category)
            if code is None:
                row.fail("unknown_category", "category",
                         f"细账类别不存在：{category} (unknown category)")
            elif not categories[code].get("active", True):
                row.fail("category_retired", "category", f"细账类别已停用：{category} (category retired)")
            values["category"] = code
        reference = values["reference_number"]
        if reference is not None:
            key = normalize_reference(reference)
            if key in seen:
                row.fail("duplicate_in_file", "reference_number",
                         f"文号与第{seen[key]}行重复 (reference number repeats row {seen[key]})")
            else:
                seen[key] = row.row
            if key in in_ledger:
                row.fail("duplicate_in_ledger", "reference_number",
                         f"总账中已有该文号：{reference} (reference number already in the master ledger)")
        row.values = values
    return list(rows)


# -- writing -------------------------------------------------------------------------------------
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def build_workbook(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]]) -> bytes:
    """An .xlsx with one sheet per (title, Chinese header row, data rows); dates stay Excel dates."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([_cell(h) for h in headers])
        for cell in sheet[1]:
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
            cell.alignment = Alignment(horizontal="center")
            _as_text(cell)
        for row in rows:
            sheet.append([_cell(v) for v in row])
            for cell in sheet[sheet.max_row]:
                _as_text(cell)
        for index, header in enumerate(headers, start=1):
            width = max([len(str(header)) * 2] + [len(str(r[index - 1] or "")) * 2 for r in rows[:200]])
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 10), 60)
            for row_cells in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(row_cells[0].value, date):
                    row_cells[0].number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
"""What makes a spreadsheet read a cell's text as a formula (or as one once someone edits the cell)."""


def _cell(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        value = "；".join(str(v) for v in value)
    if isinstance(value, str):
        # characters an .xlsx cannot hold (U+0000...): one stored record must not make every export fail;
        # a lone CR would come back as LF from the XML anyway
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value


def _as_text(cell: Cell) -> None:
    """Exports write text, never formulas: a value that looks like one is a string cell with a quote prefix.

    openpyxl makes any string starting with `=` a formula cell; `+ - @` (and a leading tab or line break)
    become formulas in a spreadsheet as soon as someone edits the cell. The quote prefix keeps them text there.
    """
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"
        cell.quotePrefix = True


def template_workbook() -> bytes:
    """The empty import template with one example row."""
    example = ("环办〔2025〕1号", "中共中央办公厅", "关于……的重要批示", "2025-01-02", "2025-01-06", "水生态环境司",
               "核安全监管工作", True)
    return build_workbook([("总账导入", [c.header for c in IMPORT_COLUMNS], [example])])
