"""Spreadsheets: a master ledger imported from .xlsx (preview, then one confirmed batch) and ledger exports."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from pydantic import ValidationError

from services.common.application import command, query
from services.common.errors import InvalidInputError
from services.ledgers.deadlines import plain
from services.ledgers.directives import directive_view
from services.ledgers.domain.imports import ImportBatch
from services.ledgers.domain.items import LedgerItem
from services.ledgers.domainmodel import STAGES, Directive
from services.ledgers.interface import (
    ConfirmImport,
    DirectiveView,
    ExportCombinedView,
    ExportDirectives,
    GetImport,
    ImportConfirmed,
    ImportPreview,
    ImportTemplate,
    ImportView,
    PreviewImport,
    RegisterDirective,
    WorkbookFile,
)
from services.ledgers.records import GroupRecords, LedgerRecords
from services.ledgers.spreadsheet import (
    IMPORT_COLUMNS,
    XLSX_MEDIA_TYPE,
    ParsedRow,
    build_workbook,
    check_rows,
    read_rows,
    sha256_of,
    template_workbook,
)
from services.ledgers.vocab import (
    ITEM_STATUSES,
    LIST_KINDS,
    PROBLEM_TYPES,
    REPORTED_STATUS_LABELS,
    STAGE_LABELS,
)

COLUMN_LABELS = {c.key: c.header for c in IMPORT_COLUMNS}
STAGE_HEADINGS = {stage: label.split(" ")[0] for stage, label in STAGE_LABELS.items()}
DIRECTIVE_STATUS = {code: label.split(" ")[0] for code, label in REPORTED_STATUS_LABELS.items()}
ITEM_STATUS = {code: label.split(" ")[0] for code, label in ITEM_STATUSES.items()}
LEDGER_HEADERS = ("序号", "文号", "印发机关", "标题", "印发日期", "收文日期", "牵头部门", "细账类别",
                  "是否与职责密切相关", "状态", "是否撤销", *(STAGE_HEADINGS[stage] for stage in STAGES))
STAGE_HEADERS = ("文号", "标题", "阶段", "完成日期", "工作内容", "会议", "文件", "责任主体", "跳过理由", "期限")
ITEM_HEADERS = ("序号", "清单", "事项", "说明", "责任主体", "督办人", "期限", "状态", "是否逾期", "问题类型",
                "证据", "回头看到期日", "重新打开次数")


def decode_upload(content_base64: str) -> bytes:
    try:
        return base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise InvalidInputError("文件内容编码无效 (content is not valid base64)", code="bad_base64") from error


def check_as_registration(row: ParsedRow, group_id: str, unit_id: str) -> None:
    """Check a row with the API's own model of a registration, so an import accepts what the API accepts
    (the same bounds on dates, lengths and characters), and record each problem on the row."""
    try:
        RegisterDirective.model_validate({"group_id": group_id, "unit_id": unit_id, **row.values})
    except ValidationError as error:
        for problem in error.errors(include_url=False):
            key = str(problem["loc"][0]) if problem["loc"] else ""
            label = COLUMN_LABELS.get(key, key)
            row.fail("invalid_field", key, f"{label}不符合要求 (invalid {key}: {problem['msg']})")


def batch_fields(batch: ImportBatch) -> dict[str, Any]:
    return plain({
        "import_id": str(batch.id), "group_id": batch.group_id, "unit_id": batch.unit_id,
        "sha256": batch.sha256, "filename": batch.filename, "imported": batch.imported,
        "skipped": batch.skipped, "imported_on": batch.imported_on, "distribution": batch.default_distribution,
    })


def _file(filename: str, sheets: list[tuple[str, Any, Any]], rows: int | None = None,
          content: bytes | None = None) -> WorkbookFile:
    content = build_workbook(sheets) if content is None else content
    filename = re.sub(r'[\\/:*?"<>|\s]+', "_", filename)
    return WorkbookFile(filename=filename, media_type=XLSX_MEDIA_TYPE, rows=rows,
                        content_base64=base64.b64encode(content).decode("ascii"))


class SpreadsheetHandlers(LedgerRecords):
    # -- import ---------------------------------------------------------------------------------------
    def _checked_rows(self, group_id: str, unit_id: str, content: bytes) -> list[ParsedRow]:
        config = self.config_for(group_id)
        categories = config.categories if config else {}
        parsed = read_rows(content)
        references = {str(row.values.get("reference_number") or "").strip() for row in parsed}
        taken = [r for r in references if r and self.directive_with_reference(unit_id, r) is not None]
        rows = check_rows(parsed, categories, taken)
        for row in rows:
            if row.valid:
                check_as_registration(row, group_id, unit_id)
        return rows

    def _existing_batch(self, group_id: str, sha256: str) -> ImportBatch | None:
        batch_id = ImportBatch.create_id(group_id, sha256)
        if batch_id not in self.repository:
            return None
        batch: ImportBatch = self.repository.get(batch_id)
        return batch

    @query
    def import_template(self, q: ImportTemplate) -> WorkbookFile:
        """The .xlsx template of a master-ledger import (docs/ledger-import-template.md)."""
        return _file("总账导入模板.xlsx", [], content=template_workbook())

    @query
    def preview_import(self, q: PreviewImport) -> ImportPreview:
        """Parse and check an uploaded master ledger (.xlsx) row by row; records nothing."""
        self.authorize(GroupRecords(q.group_id, q.unit_id), created=True)
        content = decode_upload(q.content_base64)
        sha256 = sha256_of(content)
        rows = self._checked_rows(q.group_id, q.unit_id, content)
        return ImportPreview.model_validate({
            "group_id": q.group_id,
            "unit_id": q.unit_id,
            "filename": q.filename,
            "sha256": sha256,
            "import_id": str(ImportBatch.create_id(q.group_id, sha256)),
            "already_imported": self._existing_batch(q.group_id, sha256) is not None,
            "columns": [{"key": c.key, "header": c.header, "required": c.required} for c in IMPORT_COLUMNS],
            "rows": [row.as_dict() for row in rows],
            "valid": sum(1 for row in rows if row.valid),
            "invalid": sum(1 for row in rows if not row.valid),
        })

    @command
    def confirm_import(self, c: ConfirmImport) -> ImportConfirmed:
        """Record the file's valid rows as directive registrations in one batch (once per file and group).

        The rows are checked again (the ledger may have changed since the preview); rows with errors are
        listed as skipped. A file already imported records nothing and returns the earlier batch.
        """
        self.authorize(GroupRecords(c.group_id, c.unit_id), created=True)
        content = decode_upload(c.content_base64)
        sha256 = sha256_of(content)
        existing = self._existing_batch(c.group_id, sha256)
        if existing is not None:
            return ImportConfirmed.model_validate(batch_fields(existing) | {"already_imported": True, "position": 0})
        rows = self._checked_rows(c.group_id, c.unit_id, content)
        directives: list[Any] = []
        imported: list[dict[str, Any]] = []
        skipped: list[dict[str, Any]] = []
        for row in rows:
            values = row.values
            if not row.valid:
                skipped.append({"row": row.row, "reference_number": values.get("reference_number"),
                                "errors": [e["code"] for e in row.errors]})
                continue
            directive, reservations = self.new_directive(RegisterDirective(
                group_id=c.group_id, unit_id=c.unit_id, reference_number=values["reference_number"],
                issuer=values["issuer"], title=values["title"], issued_on=values["issued_on"],
                received_on=values["received_on"], lead_department=values["lead_department"],
                category=values["category"], tied_to_duties=bool(values["tied_to_duties"]),
            ))
            directives.extend([directive, *reservations])
            imported.append({"row": row.row, "reference_number": directive.reference_number,
                             "directive_id": str(directive.id)})
        batch = ImportBatch.confirm(group_id=c.group_id, unit_id=c.unit_id, sha256=sha256, filename=c.filename,
                                    imported=imported, skipped=skipped, imported_on=self.today())
        position = self.record(*directives, batch)
        return ImportConfirmed.model_validate(batch_fields(batch) | {"already_imported": False, "position": position})

    @query
    def get_import(self, q: GetImport) -> ImportView:
        """One import batch: which row became which directive, which rows were skipped and why."""
        return ImportView.model_validate(batch_fields(self.load(q.import_id, ImportBatch)))

    # -- export ---------------------------------------------------------------------------------------
    def _category_names(self, group_id: str | None) -> dict[str, str]:
        config = self.config_for(group_id) if group_id else None
        return {code: c["name"] for code, c in (config.categories if config else {}).items()}

    @staticmethod
    def _ledger_row(number: int, d: DirectiveView, names: dict[str, str]) -> list[Any]:
        category = d.category
        return [number, d.reference_number, d.issuer, d.title, d.issued_on.isoformat(), d.received_on.isoformat(),
                d.lead_department, names.get(category, category) if category else "", d.tied_to_duties,
                DIRECTIVE_STATUS.get(d.status, d.status), d.withdrawn,
                *[(d.stages.get(stage) or {}).get("done_on") for stage in STAGES]]

    @query
    def export_directives(self, q: ExportDirectives) -> WorkbookFile:
        """The master ledger (总账), or with `category` that detail ledger (细账) and its stage records, as .xlsx."""
        rows = [directive_view(d) for d in self.directives(q.group_id, q.unit_id, q.category, q.include_withdrawn)]
        names: dict[str, str] = {}
        for group in sorted({r.group_id for r in rows} | ({q.group_id} if q.group_id else set())):
            names |= self._category_names(group)
        ledger = [self._ledger_row(n, d, names) for n, d in enumerate(rows, start=1)]
        if q.category is None:
            return _file("总账.xlsx", [("总账", LEDGER_HEADERS, ledger)], len(ledger))
        stages = []
        for d in rows:
            for stage in STAGES:
                done = d.stages.get(stage)
                due = (d.stage_deadlines.get(stage) or {}).get("due_on")
                if done is None and due is None:
                    continue
                done = done or {}
                stages.append([d.reference_number, d.title, STAGE_HEADINGS[stage], done.get("done_on"),
                               done.get("summary"), done.get("meeting"), done.get("document"), done.get("done_by"),
                               done.get("skip_reason"), due])
        name = names.get(q.category, q.category)
        return _file(f"细账-{name}.xlsx", [("细账", LEDGER_HEADERS, ledger), ("阶段记录", STAGE_HEADERS, stages)],
                     len(ledger))

    @query
    def export_combined_view(self, q: ExportCombinedView) -> WorkbookFile:
        """四单合一 of one directive as .xlsx: the directive, then every item of its four lists."""
        d = directive_view(self.load(q.directive_id, Directive))
        names = self._category_names(d.group_id)
        items: list[list[Any]] = []
        loaded = [self.load(i, LedgerItem) for i in self.index.items_by_directive.get(q.directive_id, [])]
        for kind, label in LIST_KINDS.items():
            for item in (i for i in loaded if i.list_kind == kind):
                items.append([len(items) + 1, label.split(" ")[0], item.title, item.description,
                              item.owner, item.follower, plain(item.due_on),
                              ITEM_STATUS.get(item.status, item.status), item.overdue_on is not None,
                              PROBLEM_TYPES.get(item.problem_type or "", ""), item.evidence_refs,
                              plain(item.look_back_due_on), item.reopen_count])
        directive = [self._ledger_row(1, d, names)]
        return _file(f"四单合一-{d.reference_number}.xlsx",
                     [("批示件", LEDGER_HEADERS, directive), ("四单合一", ITEM_HEADERS, items)], len(items))
