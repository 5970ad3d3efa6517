"""Ledgers routes for spreadsheets: import a master ledger from .xlsx (preview, confirm), export ledger views."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, HTTPException, UploadFile
from fastapi.responses import JSONResponse, Response

import authz
from gateway.deps import CurrentPrincipal, Services
from gateway.ledgers.access import group_filter, own_scope, readable_directive

router = APIRouter()
"""Included by gateway.ledgers.router under /api/ledgers."""

MAX_IMPORT_BYTES = 5 * 1024 * 1024
XLSX_SUFFIX = ".xlsx"


def _download(file: dict[str, Any]) -> Response:
    """A service's exported file as a download (RFC 6266 / 5987 filename for the Chinese name)."""
    name = str(file["filename"])
    disposition = f"attachment; filename=\"ledger{XLSX_SUFFIX}\"; filename*=UTF-8''{quote(name)}"
    return Response(base64.b64decode(file["content_base64"]), media_type=file["media_type"],
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


def _require_import(principal: authz.Principal, group_id: str, unit_id: str) -> None:
    """Group staff import into their own group's ledger of a unit the group is resident in."""
    authz.require(principal, "ledgers.import_directives", group_id=group_id)
    authz.require(principal, "ledgers.import_directives", unit_id=unit_id)


# -- import ------------------------------------------------------------------------------------------
@router.get("/imports/template.xlsx")
def import_template(principal: CurrentPrincipal, services: Services) -> Response:
    """The import template (文号、印发机关、标题、印发日期、收文日期、牵头部门、细账类别、是否与职责密切相关)."""
    authz.require(principal, "ledgers.import_directives", group_id=principal.group_id)
    return _download(services.query("ledgers", "import_template", principal))


@router.post("/imports/preview")
def preview_import(
    principal: CurrentPrincipal, services: Services,
    file: UploadFile = File(...),  # noqa: B008
    group_id: str = Form(..., min_length=1, max_length=64),  # noqa: B008
    unit_id: str = Form(..., min_length=1, max_length=64),  # noqa: B008
) -> dict[str, Any]:
    """Check every row of an uploaded master ledger; nothing is recorded until it is confirmed."""
    _require_import(principal, group_id, unit_id)
    result: dict[str, Any] = services.query("ledgers", "preview_import", principal, group_id=group_id,
                                            unit_id=unit_id, content_base64=_upload(file),
                                            filename=file.filename or "")
    return result


@router.post("/imports", status_code=201)
def confirm_import(
    principal: CurrentPrincipal, services: Services,
    file: UploadFile = File(...),  # noqa: B008
    group_id: str = Form(..., min_length=1, max_length=64),  # noqa: B008
    unit_id: str = Form(..., min_length=1, max_length=64),  # noqa: B008
) -> Any:
    """Record the file's valid rows in one batch; the same file again records nothing (200, already_imported)."""
    _require_import(principal, group_id, unit_id)
    result: dict[str, Any] = services.call("ledgers", "confirm_import", principal, group_id=group_id,
                                           unit_id=unit_id, content_base64=_upload(file),
                                           filename=file.filename or "")
    return JSONResponse(result, status_code=200) if result.get("already_imported") else result


@router.get("/imports")
def list_imports(principal: CurrentPrincipal, services: Services) -> list[dict[str, Any]]:
    authz.require(principal, "ledgers.read_import", **own_scope(principal))
    rows: list[dict[str, Any]] = services.query("ledgers", "list_imports", principal, **group_filter(principal))
    return [r for r in rows if authz.can_read(principal, group_id=r["group_id"], unit_id=r["unit_id"],
                                              distribution=r["distribution"])]


@router.get("/imports/{import_id}")
def get_import(import_id: str, principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    batch: dict[str, Any] = services.query("ledgers", "get_import", principal, import_id=import_id)
    authz.require(principal, "ledgers.read_import", hide=True, group_id=batch["group_id"], unit_id=batch["unit_id"])
    authz.require_read(principal, group_id=batch["group_id"], unit_id=batch["unit_id"],
                       distribution=batch["distribution"])
    return batch


# -- export (a read: the same guards as the routes that show these views) -----------------------------
def _require_export_listing(principal: authz.Principal) -> dict[str, Any]:
    authz.require(principal, "ledgers.read_directive", **own_scope(principal))
    authz.require(principal, "ledgers.export_ledger", **own_scope(principal))
    # Directives are distributed to group + HQ, so the listing's group filter is the whole read rule.
    return group_filter(principal)


@router.get("/exports/master-ledger.xlsx")
def export_master_ledger(principal: CurrentPrincipal, services: Services, unit_id: str | None = None,
                         include_withdrawn: bool = False) -> Response:
    """The master ledger (总账) as .xlsx."""
    scope = _require_export_listing(principal)
    return _download(services.query("ledgers", "export_directives", principal, unit_id=unit_id,
                                    include_withdrawn=include_withdrawn, **scope))


@router.get("/exports/detail-ledger.xlsx")
def export_detail_ledger(principal: CurrentPrincipal, services: Services, category: str,
                         unit_id: str | None = None) -> Response:
    """The detail ledger (细账) of one category, with its stage records, as .xlsx."""
    scope = _require_export_listing(principal)
    return _download(services.query("ledgers", "export_directives", principal, unit_id=unit_id,
                                    category=category, **scope))


@router.get("/directives/{directive_id}/lists.xlsx")
def export_combined_view(directive_id: str, principal: CurrentPrincipal, services: Services) -> Response:
    """四单合一 of one directive as .xlsx."""
    directive = readable_directive(services, principal, directive_id)
    authz.require(principal, "ledgers.export_ledger", group_id=directive["group_id"], unit_id=directive["unit_id"])
    return _download(services.query("ledgers", "export_combined_view", principal, directive_id=directive_id))
