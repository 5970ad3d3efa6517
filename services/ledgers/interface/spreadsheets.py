"""Spreadsheets: a master ledger imported from .xlsx (preview, confirm) and exported ledger views."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from services.common.interface import Body, Command, Id, Query, Result
from services.ledgers.interface.fields import SERVICE, CategoryCode, ShortText, Workbook64


class WorkbookFile(Result):
    """An .xlsx file as the service builds it (the gateway sends it as a download)."""

    filename: str
    media_type: str
    rows: int | None = None
    content_base64: str

class ImportColumn(Result):
    key: str
    header: str
    required: bool

class ImportPreview(Result):
    group_id: str
    unit_id: str
    filename: str
    sha256: str
    import_id: str
    already_imported: bool
    columns: list[ImportColumn]
    rows: list[dict[str, Any]] = Field(description="each row: its number, values, valid, errors")
    valid: int
    invalid: int

class ImportView(Result):
    import_id: str
    group_id: str
    unit_id: str
    sha256: str
    filename: str
    imported: list[dict[str, Any]]
    skipped: list[dict[str, Any]]
    imported_on: date
    distribution: str

class ImportConfirmed(ImportView):
    already_imported: bool
    position: int

class ImportTemplate(Query[WorkbookFile]):
    """The .xlsx template of a master-ledger import (docs/ledger-import-template.md)."""

    service = SERVICE

class ImportUpload(Body):
    group_id: Id
    unit_id: Id
    content_base64: Workbook64
    filename: ShortText = ""

class PreviewImport(Query[ImportPreview], ImportUpload):
    """Parse and check an uploaded master ledger (.xlsx) row by row; records nothing."""

    service = SERVICE

class ConfirmImport(Command[ImportConfirmed], ImportUpload):
    """Record the file's valid rows as directive registrations in one batch (once per file and group)."""

    service = SERVICE

class GetImport(Query[ImportView]):
    """One import batch: which row became which directive, which rows were skipped and why."""

    service = SERVICE

    import_id: Id

class ExportDirectives(Query[WorkbookFile]):
    """The master ledger (总账), or with `category` that detail ledger (细账) and its stage records, as .xlsx."""

    service = SERVICE

    group_id: Id | None = None
    unit_id: Id | None = None
    category: CategoryCode | None = None
    include_withdrawn: bool = False

class ExportCombinedView(Query[WorkbookFile]):
    """四单合一 of one directive as .xlsx: the directive, then every item of its four lists."""

    service = SERVICE

    directive_id: Id
