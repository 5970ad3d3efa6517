"""Units routes: roster, routing matrix, attachments and the unit liaison portal (inbound)."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

from fastapi import File, Form, UploadFile
from fastapi.responses import Response

import authz
from gateway.deps import CurrentPrincipal, Services
from gateway.units import schemas as s
from gateway.units.common import (
    Result,
    call,
    on_record,
    readable,
    require_on_unit,
    require_unit_read,
    router,
)
from services.common.errors import NotFoundError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


# -- roster and routing matrix ----------------------------------------------------------------------
@router.post("/units", status_code=201)
def register_unit(body: s.UnitCreate, principal: CurrentPrincipal, services: Services) -> Result:
    """Register a supervised unit (with its party leadership group)."""
    authz.require(principal, "units.register_unit", group_id=body.group_id, unit_id=body.unit_id)
    return call(services, principal, "register_unit", **body.model_dump())


@router.get("/units/{unit_id}")
def get_unit(unit_id: str, principal: CurrentPrincipal, services: Services, history: bool = False) -> Result:
    """The roster: departments, people in post, the three-level network (with history on request)."""
    require_unit_read(services, principal, unit_id, "unit")
    result: Result = services.query("units", "get_unit", principal, unit_id=unit_id, include_history=history)
    return result


@router.post("/units/{unit_id}/departments", status_code=201)
def add_department(unit_id: str, body: s.DepartmentCreate, principal: CurrentPrincipal,
                   services: Services) -> Result:
    require_on_unit(services, principal, "units.manage_roster", unit_id)
    return call(services, principal, "add_department", unit_id=unit_id, **body.model_dump())


@router.post("/units/{unit_id}/departments/{department_id}/rename")
def rename_department(unit_id: str, department_id: str, body: s.DepartmentRename, principal: CurrentPrincipal,
                      services: Services) -> Result:
    require_on_unit(services, principal, "units.manage_roster", unit_id)
    return call(services, principal, "rename_department", unit_id=unit_id, department_id=department_id,
                **body.model_dump())


@router.post("/units/{unit_id}/departments/{department_id}/dissolve")
def dissolve_department(unit_id: str, department_id: str, body: s.DepartmentDissolve, principal: CurrentPrincipal,
                        services: Services) -> Result:
    require_on_unit(services, principal, "units.manage_roster", unit_id)
    return call(services, principal, "dissolve_department", unit_id=unit_id, department_id=department_id,
                **body.model_dump())


@router.post("/units/{unit_id}/posts", status_code=201)
def appoint_person(unit_id: str, body: s.PostCreate, principal: CurrentPrincipal, services: Services) -> Result:
    """A person takes up a post (head, leadership, department head, network member)."""
    require_on_unit(services, principal, "units.manage_roster", unit_id)
    return call(services, principal, "appoint_person", unit_id=unit_id, **body.model_dump())


@router.post("/units/{unit_id}/posts/{post_id}/leave")
def record_leaving(unit_id: str, post_id: str, body: s.PostLeave, principal: CurrentPrincipal,
                   services: Services) -> Result:
    require_on_unit(services, principal, "units.manage_roster", unit_id)
    return call(services, principal, "record_leaving", unit_id=unit_id, post_id=post_id, **body.model_dump())


@router.get("/units/{unit_id}/routing")
def get_routing(unit_id: str, principal: CurrentPrincipal, services: Services) -> Result:
    """The routing matrix (沟通协调机制)."""
    require_unit_read(services, principal, unit_id, "hq")
    result: Result = services.query("units", "get_routing", principal, unit_id=unit_id)
    return result


@router.post("/units/{unit_id}/routing", status_code=201)
def assign_counterpart(unit_id: str, body: s.CounterpartAssign, principal: CurrentPrincipal,
                       services: Services) -> Result:
    require_on_unit(services, principal, "units.assign_counterpart", unit_id)
    return call(services, principal, "assign_counterpart", unit_id=unit_id, **body.model_dump())


# -- attachments ------------------------------------------------------------------------------------
@router.post("/attachments", status_code=201)
def upload_attachment(
    principal: CurrentPrincipal, services: Services, file: UploadFile = File(...),  # noqa: B008
    declared_sha256: str | None = Form(default=None),  # noqa: B008
) -> Result:
    """Upload an attachment (pdf, docx, xlsx, png, jpg, txt; at most 20 MB); cite it by its SHA-256."""
    authz.require(principal, "units.upload_attachment")
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    return call(services, principal, "upload_attachment", filename=file.filename or "",
                content_base64=base64.b64encode(data).decode(), declared_sha256=declared_sha256)


@router.get("/submissions/{submission_id}/attachments/{sha256}")
def download_attachment(submission_id: str, sha256: str, principal: CurrentPrincipal,
                        services: Services) -> Response:
    """An attachment, to whoever may read the submission that cites it."""
    submission = readable(services, principal, "get_submission", submission_id=submission_id)
    cited = next((a for a in submission["attachments"] if a["sha256"] == sha256.lower()), None)
    if cited is None:
        raise NotFoundError("附件不存在 (attachment not found)", code="attachment_not_found")
    blob = services.query("units", "get_attachment", principal, sha256=sha256)
    return Response(base64.b64decode(blob["content_base64"]), media_type=cited["media_type"],
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{_quoted(cited['filename'])}"})


def _quoted(name: str) -> str:
    return quote(name)


# -- inbound: the unit liaison portal ---------------------------------------------------------------
INBOUND_ROUTES = {
    "directive-notifications": ("notify_directive", s.DirectiveNotification),
    "progress-reports": ("submit_progress_report", s.ProgressReport),
    "supervision-reports": ("submit_supervision_report", s.SupervisionReport),
    "rectification-reports": ("submit_rectification_report", s.RectificationReport),
    "situation-notices": ("submit_situation_notice", s.SituationNotice),
    "democratic-evaluations": ("submit_democratic_evaluation", s.DemocraticEvaluation),
    "duty-integrity-reports": ("submit_duty_integrity_report", s.DutyIntegrityReport),
    "integrity-opinion-replies": ("reply_integrity_opinion", s.IntegrityOpinionReply),
    "power-matters": ("report_power_matter", s.PowerMatterReport),
}


def _inbound_route(path: str, command: str, model: type[Any]) -> None:
    def submit(unit_id: str, body: Any, principal: CurrentPrincipal, services: Services) -> Result:
        require_on_unit(services, principal, "units.submit_inbound", unit_id)
        return call(services, principal, command, unit_id=unit_id, **body.model_dump())

    # The request model differs per route; FastAPI reads it from the annotation.
    submit.__annotations__["body"] = model
    submit.__name__ = command
    submit.__doc__ = f"Unit liaison portal: {command.replace('_', ' ')} (returns the receipt 回执)."
    router.add_api_route(f"/units/{{unit_id}}/inbound/{path}", submit, methods=["POST"], status_code=201,
                         name=f"units.{command}")


for _path, (_command, _model) in INBOUND_ROUTES.items():
    _inbound_route(_path, _command, _model)


@router.get("/units/{unit_id}/submissions")
def list_submissions(unit_id: str, principal: CurrentPrincipal, services: Services,
                     kind: str | None = None) -> list[Result]:
    require_unit_read(services, principal, unit_id, "unit")
    result: list[Result] = services.query("units", "list_submissions", principal, unit_id=unit_id, kind=kind)
    return result


@router.get("/submissions/{submission_id}")
def get_submission(submission_id: str, principal: CurrentPrincipal, services: Services) -> Result:
    return readable(services, principal, "get_submission", submission_id=submission_id)


@router.post("/submissions/{submission_id}/review")
def review_submission(submission_id: str, body: s.SubmissionReview, principal: CurrentPrincipal,
                      services: Services) -> Result:
    on_record(services, principal, "units.review_submission", "get_submission", submission_id=submission_id)
    return call(services, principal, "review_submission", submission_id=submission_id, **body.model_dump())
