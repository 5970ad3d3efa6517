"""Importing a master ledger from an .xlsx workbook: a preview with row-level errors, then one confirmed batch."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from services.common.application import command, query
from services.common.errors import InvalidInputError
from services.ledgers.app_directives import DirectiveCommands
from services.ledgers.deadlines import plain
from services.ledgers.domain.imports import ImportBatch
from services.ledgers.spreadsheet import (
    IMPORT_COLUMNS,
    XLSX_MEDIA_TYPE,
    ParsedRow,
    check_rows,
    read_rows,
    sha256_of,
    template_workbook,
)


def decode_upload(content_base64: str) -> bytes:
    try:
        return base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise InvalidInputError("文件内容编码无效 (content is not valid base64)", code="bad_base64") from error


def batch_view(batch: ImportBatch) -> dict[str, Any]:
    return plain({
        "import_id": str(batch.id), "group_id": batch.group_id, "unit_id": batch.unit_id,
        "sha256": batch.sha256, "filename": batch.filename, "imported": batch.imported,
        "skipped": batch.skipped, "imported_on": batch.imported_on, "distribution": batch.default_distribution,
    })


class ImportCommands(DirectiveCommands):
    def _checked_rows(self, group_id: str, unit_id: str, content: bytes) -> list[ParsedRow]:
        config = self.config_for(group_id)
        categories = config.categories if config else {}
        ledger = self.master_ledger(group_id, unit_id)
        return check_rows(read_rows(content), categories, ledger.entries)

    def _existing_batch(self, group_id: str, sha256: str) -> ImportBatch | None:
        batch_id = ImportBatch.create_id(group_id, sha256)
        if batch_id not in self.repository:
            return None
        batch: ImportBatch = self.repository.get(batch_id)
        return batch

    @query
    def import_template(self) -> dict[str, Any]:
        """The .xlsx template of a master-ledger import (docs/ledger-import-template.md)."""
        return {"filename": "总账导入模板.xlsx", "media_type": XLSX_MEDIA_TYPE,
                "content_base64": base64.b64encode(template_workbook()).decode("ascii")}

    @query
    def preview_import(
        self, group_id: str, unit_id: str, content_base64: str, filename: str = ""
    ) -> dict[str, Any]:
        """Parse and check an uploaded master ledger (.xlsx) row by row; records nothing."""
        content = decode_upload(content_base64)
        sha256 = sha256_of(content)
        rows = self._checked_rows(group_id, unit_id, content)
        existing = self._existing_batch(group_id, sha256)
        return {
            "group_id": group_id,
            "unit_id": unit_id,
            "filename": filename,
            "sha256": sha256,
            "import_id": str(ImportBatch.create_id(group_id, sha256)),
            "already_imported": existing is not None,
            "columns": [{"key": c.key, "header": c.header, "required": c.required} for c in IMPORT_COLUMNS],
            "rows": [row.as_dict() for row in rows],
            "valid": sum(1 for row in rows if row.valid),
            "invalid": sum(1 for row in rows if not row.valid),
        }

    @command
    def confirm_import(
        self, group_id: str, unit_id: str, content_base64: str, filename: str = ""
    ) -> dict[str, Any]:
        """Record the file's valid rows as directive registrations in one batch (once per file and group).

        The rows are checked again (the ledger may have changed since the preview); rows with errors are
        listed as skipped. A file already imported records nothing and returns the earlier batch.
        """
        content = decode_upload(content_base64)
        sha256 = sha256_of(content)
        existing = self._existing_batch(group_id, sha256)
        if existing is not None:
            return batch_view(existing) | {"already_imported": True, "position": 0}
        rows = self._checked_rows(group_id, unit_id, content)
        ledger = self.master_ledger(group_id, unit_id)
        directives: list[Any] = []
        imported: list[dict[str, Any]] = []
        skipped: list[dict[str, Any]] = []
        for row in rows:
            values = row.values
            if not row.valid:
                skipped.append({"row": row.row, "reference_number": values.get("reference_number"),
                                "errors": [e["code"] for e in row.errors]})
                continue
            directive, _ = self.new_directive(
                group_id, unit_id, values["reference_number"], values["issuer"], values["title"],
                values["issued_on"], values["received_on"], values["lead_department"], values["category"],
                bool(values["tied_to_duties"]), ledger=ledger,
            )
            directives.append(directive)
            imported.append({"row": row.row, "reference_number": directive.reference_number,
                             "directive_id": str(directive.id)})
        ImportBatch.check_batch(imported)
        batch = ImportBatch(group_id=group_id, unit_id=unit_id, sha256=sha256, filename=filename.strip(),
                            imported=imported, skipped=skipped, imported_on=self.today())
        position = self.record(*directives, ledger, batch)
        return batch_view(batch) | {"already_imported": False, "position": position}

    @query
    def get_import(self, import_id: str) -> dict[str, Any]:
        """One import batch: which row became which directive, which rows were skipped and why."""
        batch: ImportBatch = self.load(import_id, ImportBatch)
        return batch_view(batch)

    @query
    def list_imports(self, group_id: str | None = None) -> list[dict[str, Any]]:
        """The import batches (of a group), oldest first."""
        batches = [batch_view(self.load(i, ImportBatch)) for i in self.index.ids["import"]]
        return [b for b in batches if not group_id or b["group_id"] == group_id]
