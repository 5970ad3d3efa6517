"""Unit portal: the unit's to-do list (items awaiting its answer, with deadlines), the form to submit a
report with attachments, and receipts. A unit user reaches only its own unit's records: another unit's
submission answers the page of a missing one (the services decide, as for the API)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from authz import Permission
from gateway.deps import ReadModels, Services
from gateway.permissions import grant, require
from gateway.reads import AFTER_PATTERN, After, Paging
from gateway.units import routes_portal as portal_api
from gateway.units import routes_read as read_api
from gateway.web import report_rounds
from gateway.web.forms import checked_form, validate, values
from gateway.web.render import page
from projections.common.query import PageRequest
from services.common.errors import DomainError, NotFoundError
from services.common.interface import Id
from services.ledgers.vocab import REPORTED_STATUS_LABELS
from services.units.inbound import INBOUND_KIND_LABELS
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
TODO_KINDS = {
    "recommendation": "纪检监察建议 (recommendation)", "rectification": "巡视整改 (inspection rectification)",
    "scheduling_round": "调度 (scheduling round)", "task": "任务 (task)", "problem": "问题整改 (problem)",
    "feedback": "反馈意见 (feedback)", "document_request": "调阅材料 (document request)",
    "scheduling_request": "调度请求 (scheduling request)", "directive_relay": "传达部署 (directive to relay)",
    "integrity_opinion_request": "征求廉政意见 (integrity-opinion request)",
}
"""The to-do list's kinds (`gateway.units.routes_read.TodoKind`), labelled."""



def _unit_of(permission: Permission) -> str:
    """The unit portal is the portal of the user's own unit (others have none: the page of a missing one)."""
    if permission.principal.org_kind != "unit" or not permission.principal.unit_id:
        raise NotFoundError("记录不存在 (not found)")
    return permission.principal.unit_id


@router.get("/unit", response_class=HTMLResponse)
async def todo(request: Request, read_models: ReadModels, page_request: Paging, after: After,
               permission: Permission = require("units.read", listing=True)) -> HTMLResponse:
    """The unit's to-do list and its submissions, from the unit portal read model (the API's
    `GET /api/units/portal/todo` and `GET /api/units/portal/submissions`)."""
    unit_id = _unit_of(permission)
    waiting = await read_api.portal_todo(read_models=read_models, response=Response(), page=page_request,
                                         after=after, unit_id=unit_id, state=read_api.TodoState.pending, kind=None,
                                         sort=read_api.TodoSort.due_on, permission=permission)
    submissions = await read_api.portal_submissions(read_models=read_models, response=Response(),
                                                    page=PageRequest(limit=20), after=after, unit_id=unit_id,
                                                    kind=None, status=None, sort=read_api.SubmissionSort.newest,
                                                    permission=permission)
    return page(request, "unit.html", principal=permission.principal, active="unit", waiting=waiting.items,
                next_cursor=waiting.next_cursor, submissions=submissions.items, kind_labels=TODO_KINDS,
                inbound_labels=INBOUND_KIND_LABELS, item_link=item_link)


def item_link(todo_key: str) -> str | None:
    """The page of a to-do row sent through the unit channel (`outbound:<item id>`) or of a scheduling round to
    answer (`scheduling:<round id>`), if it is one."""
    key = todo_key.rpartition("|")[2]
    pages = {"outbound": "/unit/items/", "scheduling": "/unit/rounds/"}
    prefix, _, record_id = key.partition(":")
    return f"{pages[prefix]}{record_id}" if prefix in pages and record_id else None


def _uploaded(services: Services, permission: Permission, upload: Any) -> list[AttachmentRef]:
    """The attachment of a form, stored as `POST /api/units/attachments` stores it (none when no file)."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        return []
    stored = portal_api.upload_attachment(services, upload, None,  # type: ignore[arg-type]  # Starlette's own UploadFile
                                          grant(permission.principal, "units.upload_attachment",
                                                addresses_record=False))
    return [AttachmentRef(sha256=stored.sha256, filename=stored.filename)]


async def _report_form(request: Request, services: Services, read_models: ReadModels, permission: Permission,
                       form: dict[str, Any], errors: dict[str, str], status_code: int = 200) -> HTMLResponse:
    """The report form, with the unit's open rounds to answer and the directives of the round chosen."""
    principal = permission.principal
    rounds = await report_rounds.open_rounds(read_models, principal, _unit_of(permission))
    asked = report_rounds.asked(services, principal, report_rounds.chosen(rounds, form.get("round_id")))
    return page(request, "report_new.html", principal=principal, active="unit", form=form, errors=errors,
                rounds=rounds, asked=asked, statuses=list(REPORTED_STATUS_LABELS.items()), status_code=status_code)


@router.get("/unit/reports/new", response_class=HTMLResponse)
async def report_form(request: Request, services: Services, read_models: ReadModels,
                      round_id: Annotated[str | None, Query()] = None,
                      permission: Permission = require("units.submit_inbound", listing=True)) -> HTMLResponse:
    """The form; `round_id` picks the round the report answers (the round select fetches its directives)."""
    return await _report_form(request, services, read_models, permission,
                              {"round_id": round_id} if round_id else {}, {})


@router.post("/unit/reports/new", response_class=HTMLResponse)
async def submit_report(request: Request, services: Services, read_models: ReadModels,
                        permission: Permission = require("units.submit_inbound", listing=True)) -> Response:
    """Upload the attachment as `POST /api/units/attachments` does, then submit the progress report (with the
    round it answers and a status per directive, if one is chosen)."""
    posted = await checked_form(request)
    form = values(posted)
    form.pop("attachment", None)
    shown = dict(form)
    rounds = await report_rounds.open_rounds(read_models, permission.principal, _unit_of(permission))
    answered, round_errors = report_rounds.answers(form, rounds)
    body, errors = validate(ProgressReportBody, {**form, **answered})
    upload = posted.get("attachment")
    if body is None or round_errors:
        return await _report_form(request, services, read_models, permission, shown, {**errors, **round_errors},
                                  422)
    try:
        attachments = _uploaded(services, permission, upload)
    except DomainError as error:
        return await _report_form(request, services, read_models, permission, shown,
                                  {"attachment": error.message}, error.status)
    try:
        receipted = services.run(SubmitProgressReport(unit_id=_unit_of(permission), attachments=attachments,
                                                      **{k: v for k, v in body.fields().items() if k != "attachments"}),
                                 grant(permission.principal, "units.submit_inbound"))
    except DomainError as error:
        return await _report_form(request, services, read_models, permission, shown, {"_form": error.message},
                                  error.status)
    # read-your-writes: the portal's lists wait for the read model to reflect the submission
    return RedirectResponse(f"/unit/submissions/{receipted.submission_id}?recorded=report"
                            f"&after=units:{receipted.position}", status_code=303)


@router.get("/unit/submissions/{submission_id}", response_class=HTMLResponse)
def submission(request: Request, submission_id: Id, services: Services,
               permission: Permission = require("units.read")) -> HTMLResponse:
    """A submission with its receipt (回执) and attachments."""
    found = services.run(GetSubmission(submission_id=submission_id), permission)
    after = request.query_params.get("after", "")
    return page(request, "submission.html", principal=permission.principal, active="unit", submission=found,
                recorded=request.query_params.get("recorded"),
                back="/unit" + (f"?after={after}" if re.fullmatch(AFTER_PATTERN, after) else ""))


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
    return RedirectResponse(f"/unit/submissions/{answered.submission_id}?recorded=reply"
                            f"&after=units:{answered.position}", status_code=303)
