"""Unit portal: the unit's to-do list (items awaiting its answer, with deadlines), the form to submit a
report with attachments, and receipts. A unit user reaches only its own unit's records: another unit's
submission answers the page of a missing one (the services decide, as for the API)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from authz import Permission
from gateway.deps import Services
from gateway.permissions import grant, require
from gateway.units import routes_portal as portal_api
from gateway.units import routes_work as work_api
from gateway.web.forms import checked_form, validate, values
from gateway.web.render import page
from services.common.errors import DomainError, NotFoundError
from services.common.interface import Id
from services.units.interface import (
    AcknowledgeItem,
    AttachmentRef,
    GetItem,
    GetSubmission,
    ItemReplyBody,
    ProgressReportBody,
    ReplyToOutbound,
    SubmitProgressReport,
)
from services.units.outbound import ITEM_STATUSES

router = APIRouter(include_in_schema=False)


def _unit_of(permission: Permission) -> str:
    """The unit portal is the portal of the user's own unit (others have none: the page of a missing one)."""
    if permission.principal.org_kind != "unit" or not permission.principal.unit_id:
        raise NotFoundError("记录不存在 (not found)")
    return permission.principal.unit_id


@router.get("/unit", response_class=HTMLResponse)
def todo(request: Request, services: Services, permission: Permission = require("units.read",
                                                                                  listing=True)) -> HTMLResponse:
    unit_id = _unit_of(permission)
    items = work_api.list_items(unit_id, services, None, grant(permission.principal, "units.read"))
    submissions = portal_api.list_submissions(unit_id, services, None, grant(permission.principal, "units.read"))
    waiting = sorted((i for i in items if i.status not in ("answered", "completed", "withdrawn")),
                     key=lambda i: i.deadline)
    return page(request, "unit.html", principal=permission.principal, active="unit", items=items,
                waiting=waiting, submissions=submissions[:20], item_statuses=ITEM_STATUSES)


def _uploaded(services: Services, permission: Permission, upload: Any) -> list[AttachmentRef]:
    """The attachment of a form, stored as `POST /api/units/attachments` stores it (none when no file)."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        return []
    stored = portal_api.upload_attachment(services, upload, None,  # type: ignore[arg-type]  # Starlette's own UploadFile
                                          grant(permission.principal, "units.upload_attachment",
                                                addresses_record=False))
    return [AttachmentRef(sha256=stored.sha256, filename=stored.filename)]


def _report_form(request: Request, permission: Permission, form: dict[str, Any], errors: dict[str, str],
                 status_code: int = 200) -> HTMLResponse:
    return page(request, "report_new.html", principal=permission.principal, active="unit", form=form,
                errors=errors, status_code=status_code)


@router.get("/unit/reports/new", response_class=HTMLResponse)
def report_form(request: Request, permission: Permission = require("units.submit_inbound",
                                                                     listing=True)) -> HTMLResponse:
    return _report_form(request, permission, {}, {})


@router.post("/unit/reports/new", response_class=HTMLResponse)
async def submit_report(request: Request, services: Services,
                        permission: Permission = require("units.submit_inbound", listing=True)) -> Response:
    """Upload the attachment as `POST /api/units/attachments` does, then submit the progress report."""
    posted = await checked_form(request)
    form = values(posted)
    form.pop("attachment", None)
    body, errors = validate(ProgressReportBody, form)
    upload = posted.get("attachment")
    if body is None:
        return _report_form(request, permission, form, errors, 422)
    try:
        attachments = _uploaded(services, permission, upload)
    except DomainError as error:
        return _report_form(request, permission, form, {"attachment": error.message}, error.status)
    try:
        receipted = services.run(SubmitProgressReport(unit_id=_unit_of(permission), attachments=attachments,
                                                      **{k: v for k, v in body.fields().items() if k != "attachments"}),
                                 grant(permission.principal, "units.submit_inbound"))
    except DomainError as error:
        return _report_form(request, permission, form, {"_form": error.message}, error.status)
    return RedirectResponse(f"/unit/submissions/{receipted.submission_id}?recorded=report", status_code=303)


@router.get("/unit/submissions/{submission_id}", response_class=HTMLResponse)
def submission(request: Request, submission_id: Id, services: Services,
               permission: Permission = require("units.read")) -> HTMLResponse:
    """A submission with its receipt (回执) and attachments."""
    found = services.run(GetSubmission(submission_id=submission_id), permission)
    return page(request, "submission.html", principal=permission.principal, active="unit", submission=found,
                recorded=request.query_params.get("recorded"))


def _item_page(request: Request, services: Services, permission: Permission, item_id: str, *,
               form: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
               status_code: int = 200) -> HTMLResponse:
    item = services.run(GetItem(item_id=item_id), grant(permission.principal, "units.read"))
    return page(request, "unit_item.html", principal=permission.principal, active="unit", item=item,
                item_statuses=ITEM_STATUSES,
                form=form or {}, errors=errors or {}, recorded=request.query_params.get("recorded"),
                status_code=status_code)


@router.get("/unit/items/{item_id}", response_class=HTMLResponse)
def item(request: Request, item_id: Id, services: Services,
         permission: Permission = require("units.read")) -> HTMLResponse:
    """An item sent to the unit: what is asked, by when, its answers; the forms to sign for it and answer."""
    return _item_page(request, services, permission, item_id)


@router.post("/unit/items/{item_id}/acknowledge")
async def acknowledge(request: Request, item_id: Id, services: Services,
                      permission: Permission = require("units.respond_item")) -> Response:
    await checked_form(request)
    services.run(AcknowledgeItem(item_id=item_id), permission)
    return RedirectResponse(f"/unit/items/{item_id}?recorded=acknowledged", status_code=303)


@router.post("/unit/items/{item_id}/reply", response_class=HTMLResponse)
async def reply(request: Request, item_id: Id, services: Services,
                permission: Permission = require("units.respond_item")) -> Response:
    """Answer the item with an attachment (`POST /api/units/items/{id}/reply`); the receipt follows."""
    posted = await checked_form(request)
    form = values(posted)
    form.pop("attachment", None)
    form["completed"] = form.get("completed") == "on"
    body, errors = validate(ItemReplyBody, form)
    if body is None:
        return _item_page(request, services, permission, item_id, form=form, errors=errors, status_code=422)
    try:
        attachments = _uploaded(services, permission, posted.get("attachment"))
        answered = services.run(ReplyToOutbound(item_id=item_id, attachments=attachments, **{
            k: v for k, v in body.fields().items() if k != "attachments"}), permission)
    except DomainError as error:
        if error.status == 404:
            raise
        return _item_page(request, services, permission, item_id, form=form, errors={"_form": error.message},
                          status_code=error.status)
    return RedirectResponse(f"/unit/submissions/{answered.submission_id}?recorded=reply", status_code=303)
