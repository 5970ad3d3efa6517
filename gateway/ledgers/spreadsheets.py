"""Ledgers routes for spreadsheets: import a master ledger from .xlsx (preview, confirm), export ledger views."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, HTTPException, Query, Response, UploadFile
from pydantic import Field

from authz import Permission
from gateway.deps import ReadModels, Services
from gateway.ledgers.access import group_filter
from gateway.ledgers.lists import PROJECTION
from gateway.permissions import require
from gateway.reads import After, ListPage, Paging, answer
from projections.common.query import sort_named
from projections.group_workbench import view
from services.common.interface import Id, Result
from services.ledgers.interface import (
    CategoryCode,
    ConfirmImport,
    ExportCombinedView,
    ExportDirectives,
    GetImport,
    ImportConfirmed,
    ImportPreview,
    ImportTemplate,
    ImportView,
    PreviewImport,
    WorkbookFile,
)
from services.ledgers.spreadsheet import XLSX_MEDIA_TYPE

router = APIRouter()
"""Included by gateway.ledgers.router under /api/ledgers."""

MAX_IMPORT_BYTES = 5 * 1024 * 1024
XLSX_SUFFIX = ".xlsx"
XLSX_FILE: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
          "description": "the .xlsx workbook (Content-Disposition: attachment)"}}
"""The OpenAPI response of a download: the workbook's real media type, not JSON."""
XLSX_UPLOAD: dict[str, Any] = {
    "requestBody": {"content": {"multipart/form-data": {"encoding": {"file": {"contentType": XLSX_MEDIA_TYPE}}}}}}
"""The OpenAPI request of an upload: the `file` part is an .xlsx workbook."""


def _download(file: WorkbookFile) -> Response:
    """A service's exported file as a download (RFC 6266 / 5987 filename for the Chinese name)."""
    disposition = f"attachment; filename=\"ledger{XLSX_SUFFIX}\"; filename*=UTF-8''{quote(file.filename)}"
    return Response(base64.b64decode(file.content_base64), media_type=file.media_type,
                    headers={"Content-Disposition": disposition})


def _upload(file: UploadFile) -> str:
    """The uploaded workbook as base64, refused when too large (413) or not an .xlsx (422)."""
    if not (file.filename or "").lower().endswith(XLSX_SUFFIX):
        raise HTTPException(422, "请上传 .xlsx 格式的工作簿 (upload an .xlsx workbook)")
    data = file.file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise HTTPException(413, f"文件超过{MAX_IMPORT_BYTES // (1024 * 1024)}MB "
                                 f"(the file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB)")
    return base64.b64encode(data).decode("ascii")


# -- import ------------------------------------------------------------------------------------------
@router.get("/imports/template.xlsx", response_class=Response, responses=XLSX_FILE)
def import_template(services: Services,
                    permission: Permission = require("ledgers.import_directives")) -> Response:
    """The import template (文号、印发机关、标题、印发日期、收文日期、牵头部门、细账类别、是否与职责密切相关)."""
    return _download(services.run(ImportTemplate(), permission))


@router.post("/imports/preview", openapi_extra=XLSX_UPLOAD)
def preview_import(
    services: Services,
    file: UploadFile = File(..., description="the master ledger, .xlsx, at most 5 MB"),  # noqa: B008
    group_id: Id = Form(...),  # noqa: B008
    unit_id: Id = Form(...),  # noqa: B008
    permission: Permission = require("ledgers.import_directives"),
) -> ImportPreview:
    """Check every row of an uploaded master ledger; nothing is recorded until it is confirmed."""
    return services.run(PreviewImport(group_id=group_id, unit_id=unit_id, content_base64=_upload(file),
                                      filename=file.filename or ""), permission)


@router.post("/imports", status_code=201, openapi_extra=XLSX_UPLOAD,
             responses={200: {"model": ImportConfirmed, "description": "this file was imported before"}})
def confirm_import(
    services: Services,
    response: Response,
    file: UploadFile = File(..., description="the master ledger, .xlsx, at most 5 MB"),  # noqa: B008
    group_id: Id = Form(...),  # noqa: B008
    unit_id: Id = Form(...),  # noqa: B008
    permission: Permission = require("ledgers.import_directives"),
) -> ImportConfirmed:
    """Record the file's valid rows in one batch; the same file again records nothing (200, already_imported)."""
    result = services.run(ConfirmImport(group_id=group_id, unit_id=unit_id, content_base64=_upload(file),
                                        filename=file.filename or ""), permission)
    if result.already_imported:
        response.status_code = 200
    return result


class ImportRow(Result):
    """An import batch as the list shows it; why a row was skipped is in the batch itself (`/imports/{id}`)."""

    import_id: str
    group_id: str
    unit_id: str | None
    sha256: str
    filename: str
    imported: list[dict[str, Any]] = Field(description="导入的行：行号、文号、批示件 (row, reference number, "
                                                       "directive id)")
    skipped_rows: list[int] = Field(description="跳过的行号 (rows skipped)")
    imported_on: date
    distribution: str
    recorded_at: str


@router.get("/imports")
async def list_imports(
    read_models: ReadModels, response: Response, page: Paging, after: After,
    sort: str = Query(default="recorded_at", max_length=40,
                      description=f"排序 (sort): {', '.join(view.IMPORT_SORTS)}"),
    permission: Permission = require("ledgers.read_import", listing=True),
) -> ListPage[ImportRow]:
    """Import batches, oldest first: a group member sees their group's, HQ and audit every group's."""
    principal = permission.principal
    chosen = sort_named(view.IMPORT_SORTS, sort, "recorded_at")
    found, freshness = await answer(read_models, response, PROJECTION, after,
                                    lambda tx: view.imports(tx, principal, None, chosen, page))
    return ListPage(items=[ImportRow.model_validate(r) for r in found.rows], next_cursor=found.next_cursor,
                    freshness=freshness)


@router.get("/imports/{import_id}")
def get_import(import_id: Id, services: Services,
               permission: Permission = require("ledgers.read_import")) -> ImportView:
    """One import batch: which row became which directive, which rows were skipped and why."""
    return services.run(GetImport(import_id=import_id), permission)


# -- export (a read: only what the principal may read) -----------------------------------------------
@router.get("/exports/master-ledger.xlsx", response_class=Response, responses=XLSX_FILE)
def export_master_ledger(services: Services, unit_id: Id | None = None, include_withdrawn: bool = False,
                         permission: Permission = require("ledgers.export_ledger", listing=True)) -> Response:
    """The master ledger (总账) as .xlsx."""
    # Directives are distributed to group + HQ, so the listing's group filter is the whole read rule.
    return _download(services.run(ExportDirectives(group_id=group_filter(permission.principal), unit_id=unit_id,
                                                   include_withdrawn=include_withdrawn), permission))


@router.get("/exports/detail-ledger.xlsx", response_class=Response, responses=XLSX_FILE)
def export_detail_ledger(services: Services, category: CategoryCode, unit_id: Id | None = None,
                         permission: Permission = require("ledgers.export_ledger", listing=True)) -> Response:
    """The detail ledger (细账) of one category, with its stage records, as .xlsx."""
    return _download(services.run(ExportDirectives(group_id=group_filter(permission.principal), unit_id=unit_id,
                                                   category=category), permission))


@router.get("/directives/{directive_id}/lists.xlsx", response_class=Response, responses=XLSX_FILE)
def export_combined_view(directive_id: Id, services: Services,
                         permission: Permission = require("ledgers.export_ledger")) -> Response:
    """四单合一 of one directive as .xlsx."""
    return _download(services.run(ExportCombinedView(directive_id=directive_id), permission))
