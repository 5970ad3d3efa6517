"""Group workbench: the master ledger imported from Excel (upload, see every parsed row with its problems,
then confirm), the ledger exports, and the reconciliation (对账) of a unit's report with the ledger.

Each handler calls the function or operation of the API route of the same job, under its permission:
`POST /api/ledgers/imports/preview` and `POST /api/ledgers/imports` (the same upload checks), the exports of
`gateway.ledgers.spreadsheets`, `POST /api/ledgers/reconciliations` and its findings' resolution.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from authz import Permission
from gateway.deps import Services
from gateway.ledgers import spreadsheets as spreadsheets_api
from gateway.permissions import grant, require
from gateway.web.forms import checked_form, validate, values
from gateway.web.group import attempt, done, localized, may
from gateway.web.render import page
from services.common.errors import DomainError
from services.common.interface import Count, Id
from services.ledgers.interface import (
    ConfirmImport,
    GetCategoryConfig,
    GetReconciliation,
    NoteBody,
    PreviewImport,
    Reconcile,
    ResolveFinding,
)
from services.ledgers.interface.spreadsheets import ImportUpload
from services.ledgers.vocab import REPORTED_STATUS_LABELS

router = APIRouter(include_in_schema=False)
FINDING_KINDS = {
    "missing_in_report": "单位报告未列出 (in the ledger, missing in the report)",
    "missing_in_ledger": "总账未登记 (in the report, missing in the ledger)",
    "status_differs": "状态不一致 (the statuses differ)",
}
"""The kinds of a reconciliation finding (services/ledgers/domain/loop.py `compare`), labelled."""
ROW_SEPARATOR = re.compile(r"\s*[|｜\t]\s*")


def _units(permission: Permission) -> list[str]:
    return sorted(permission.principal.supervised_unit_ids)


# -- Excel import --------------------------------------------------------------------------------------
def _import_page(request: Request, permission: Permission, *, form: dict[str, Any] | None = None,
                 errors: dict[str, str] | None = None, preview: Any = None, content: str = "",
                 confirmed: Any = None, status_code: int = 200) -> HTMLResponse:
    return page(request, "directive_import.html", principal=permission.principal, active="group", form=form or {},
                errors=localized(request, errors or {}), units=_units(permission), preview=preview, content=content, confirmed=confirmed,
                status_code=status_code)


@router.get("/group/imports/new", response_class=HTMLResponse)
def import_form(request: Request, permission: Permission = require("ledgers.import_directives")) -> HTMLResponse:
    """Upload a master ledger (.xlsx): the template to fill in, the unit it belongs to."""
    return _import_page(request, permission)


def _workbook(upload: Any) -> tuple[str, str]:
    """The uploaded workbook as base64 with its name, checked as the API checks it (.xlsx, at most 5 MB)."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise HTTPException(422, "请选择要导入的 .xlsx 文件 (choose the .xlsx file to import)")
    return spreadsheets_api._upload(upload), upload.filename  # type: ignore[arg-type]  # Starlette's UploadFile


@router.post("/group/imports/preview", response_class=HTMLResponse)
async def preview(request: Request, services: Services,
                  permission: Permission = require("ledgers.import_directives")) -> Response:
    """Every parsed row with its problems, before anything is recorded."""
    posted = await checked_form(request)
    form = values(posted)
    form.pop("file", None)
    try:
        content, filename = _workbook(posted.get("file"))
    except HTTPException as refused:
        return _import_page(request, permission, form=form, errors={"file": str(refused.detail)},
                            status_code=refused.status_code)
    data = {"group_id": permission.principal.group_id or "", "unit_id": form.get("unit_id", ""),
            "content_base64": content, "filename": filename}
    upload, errors = validate(ImportUpload, data)
    if upload is None:
        return _import_page(request, permission, form=form, errors=errors, status_code=422)
    try:
        shown = services.run(PreviewImport(**upload.fields()), permission)
    except DomainError as error:
        return _import_page(request, permission, form=form, errors={"file": error.message}, status_code=error.status)
    return _import_page(request, permission, form=form, preview=shown, content=content)


@router.post("/group/imports", response_class=HTMLResponse)
async def confirm(request: Request, services: Services,
                  permission: Permission = require("ledgers.import_directives")) -> Response:
    """Record the previewed file's valid rows (the file travels back with the confirmation, checked against the
    hash that was previewed)."""
    form = values(await checked_form(request))
    content = str(form.get("content_base64", ""))
    try:
        digest = hashlib.sha256(base64.b64decode(content, validate=True)).hexdigest()
    except (binascii.Error, ValueError):
        digest = ""
    if not content or digest != form.get("sha256"):
        return _import_page(request, permission, errors={"file": "文件已变更，请重新上传预览 (the file changed: upload "
                                                                  "it again to preview)"}, status_code=422)
    upload, errors = validate(ImportUpload, {"group_id": permission.principal.group_id or "",
                                             "unit_id": form.get("unit_id", ""), "content_base64": content,
                                             "filename": form.get("filename", "")})
    if upload is None:
        return _import_page(request, permission, form=form, errors=errors, status_code=422)
    try:
        confirmed = services.run(ConfirmImport(**upload.fields()), permission)
    except DomainError as error:
        return _import_page(request, permission, form=form, errors={"file": error.message}, status_code=error.status)
    return _import_page(request, permission, form=form, confirmed=confirmed)


# -- exports -------------------------------------------------------------------------------------------
@router.get("/group/exports", response_class=HTMLResponse)
def exports(request: Request, services: Services,
            permission: Permission = require("ledgers.export_ledger", listing=True)) -> HTMLResponse:
    """The ledger exports the user may download: the master ledger, and a detail ledger per category."""
    principal = permission.principal
    categories = []
    if principal.group_id and may("ledgers.read_category", principal):
        config = services.run(GetCategoryConfig(group_id=principal.group_id),
                              grant(principal, "ledgers.read_category", addresses_record=False))
        categories = [c for c in config.categories if c.active]
    return page(request, "directive_exports.html", principal=principal, active="group", categories=categories,
                units=_units(permission))


# -- reconciliation (对账) ------------------------------------------------------------------------------
def reported_rows(text: str) -> tuple[list[dict[str, str]], str | None]:
    """The report's rows typed one a line, `文号 | 标题 | 状态` (the status as its code or its label);
    or the first line that cannot be read, said in both languages."""
    by_label: dict[str, str] = {}
    for code, labelled in REPORTED_STATUS_LABELS.items():
        chinese, _, english = labelled.partition(" (")
        by_label.update({code: code, chinese: code, english.rstrip(")"): code})
    rows: list[dict[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = ROW_SEPARATOR.split(line.strip())
        if len(parts) != 3 or not parts[0] or not parts[1]:
            return [], f"第{number}行应为“文号 | 标题 | 状态” (line {number}: reference | title | status)"
        status = by_label.get(parts[2])
        if status is None:
            return [], (f"第{number}行的状态应为未启动、推进中或已完成 "
                        f"(line {number}: the status is not started, in progress or completed)")
        rows.append({"reference_number": parts[0], "title": parts[1], "status": status})
    if not rows:
        return [], "请至少填写一行 (enter at least one line)"
    return rows, None


def _reconcile_page(request: Request, permission: Permission, form: dict[str, Any], errors: dict[str, str],
                    status_code: int = 200) -> HTMLResponse:
    return page(request, "directive_reconcile.html", principal=permission.principal, active="group", form=form,
                errors=localized(request, errors), units=_units(permission), status_labels=REPORTED_STATUS_LABELS,
                status_code=status_code)


@router.get("/group/reconciliations/new", response_class=HTMLResponse)
def reconcile_form(request: Request, unit_id: Id | None = None,
                   permission: Permission = require("ledgers.reconcile")) -> HTMLResponse:
    """Enter a unit's supervision report to compare with the ledger."""
    return _reconcile_page(request, permission, {"unit_id": unit_id or ""}, {})


@router.post("/group/reconciliations/new", response_class=HTMLResponse)
async def reconcile(request: Request, services: Services,
                    permission: Permission = require("ledgers.reconcile")) -> Response:
    form = values(await checked_form(request))
    rows, problem = reported_rows(str(form.get("items", "")))
    data = {"group_id": permission.principal.group_id or "", "unit_id": form.get("unit_id", ""),
            "report_id": form.get("report_id", ""), "period": form.get("period", ""), "items": rows}
    command, errors = validate(Reconcile, data)
    if problem is not None:
        errors["items"] = problem
    if command is None or errors:
        return _reconcile_page(request, permission, form, errors, 422)
    try:
        recorded = services.run(command, permission)
    except DomainError as error:
        if error.status == 404:
            raise
        return _reconcile_page(request, permission, form, {"_form": error.message}, error.status)
    return done(f"/group/reconciliations/{recorded.reconciliation_id}?recorded=reconciliation")


def _reconciliation_page(request: Request, services: Services, permission: Permission, reconciliation_id: str,
                         forms: dict[str, dict[str, Any]] | None = None,
                         errors: dict[str, dict[str, str]] | None = None, status_code: int = 200) -> HTMLResponse:
    found = services.run(GetReconciliation(reconciliation_id=reconciliation_id),
                         grant(permission.principal, "ledgers.read_reconciliation"))
    return page(request, "directive_reconciliation.html", principal=permission.principal, active="group",
                reconciliation=found, finding_kinds=FINDING_KINDS, status_labels=REPORTED_STATUS_LABELS,
                forms=forms or {}, errors={k: localized(request, v) for k, v in (errors or {}).items()},
                recorded=request.query_params.get("recorded"), may_resolve=may("ledgers.reconcile", permission.principal), status_code=status_code)


@router.get("/group/reconciliations/{reconciliation_id}", response_class=HTMLResponse)
def reconciliation(request: Request, reconciliation_id: Id, services: Services,
                   permission: Permission = require("ledgers.read_reconciliation")) -> HTMLResponse:
    """The findings of a reconciliation, each with how it was dealt with (or the form to say so)."""
    return _reconciliation_page(request, services, permission, reconciliation_id)


@router.post("/group/reconciliations/{reconciliation_id}/findings/{index}/resolve", response_class=HTMLResponse)
async def resolve(request: Request, reconciliation_id: Id, index: Count, services: Services,
                  permission: Permission = require("ledgers.reconcile")) -> Response:
    form = values(await checked_form(request))
    body, errors = validate(NoteBody, form)
    status = 422
    if body is not None:
        errors, status = attempt(services, ResolveFinding(reconciliation_id=reconciliation_id, index=index,
                                                          **body.fields()), permission, {"note_required": "note"})
    if errors:
        key = f"finding-{index}"
        return _reconciliation_page(request, services, permission, reconciliation_id, forms={key: form},
                                    errors={key: errors}, status_code=status)
    return done(f"/group/reconciliations/{reconciliation_id}?recorded=resolved#finding-{index}")
