"""Units routes: roster, routing matrix, attachments and the unit liaison portal (inbound).

Each route declares its permission; the service checks every record the call touches against it (a unit's
liaison acts only for its own unit: another unit's records answer 404 like missing ones).
"""

from __future__ import annotations

import base64
from typing import Any

from fastapi import File, Form, UploadFile
from fastapi.responses import Response

from authz import Permission
from gateway.deps import Services
from gateway.permissions import require
from gateway.routes import operation_route
from gateway.security import attachment_response
from gateway.units.common import router
from services.common.interface import Body, Command, Id
from services.units.attachments import MEDIA_TYPES
from services.units.interface import (
    AddDepartment,
    AppointmentBody,
    AppointPerson,
    AssignCounterpart,
    AttachmentStored,
    CounterpartBody,
    DemocraticEvaluationBody,
    DepartmentBody,
    DepartmentRecorded,
    DirectiveNotificationBody,
    DissolveBody,
    DissolveDepartment,
    DutyIntegrityReportBody,
    GetRouting,
    GetSubmission,
    GetSubmissionAttachment,
    GetUnit,
    IntegrityOpinionBody,
    LeavingBody,
    NotifyDirective,
    PostRecorded,
    PowerMatterReportBody,
    ProgressReportBody,
    RecordLeaving,
    RectificationReportBody,
    RegisterUnit,
    RenameBody,
    RenameDepartment,
    ReplyIntegrityOpinion,
    ReportPowerMatter,
    ReviewBody,
    ReviewSubmission,
    Sha256,
    SituationNoticeBody,
    SubmitDemocraticEvaluation,
    SubmitDutyIntegrityReport,
    SubmitProgressReport,
    SubmitRectificationReport,
    SubmitSituationNotice,
    SubmitSupervisionReport,
    SupervisionReportBody,
    UnitView,
    UploadAttachment,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


# -- roster and routing matrix ----------------------------------------------------------------------
operation_route(router, "POST", "/units", RegisterUnit,
                "units.register_unit", body=RegisterUnit, status_code=201)


@router.get("/units/{unit_id}")
def get_unit(unit_id: Id, services: Services, history: bool = False,
             permission: Permission = require("units.read")) -> UnitView:
    """The roster: departments, people in post, the three-level network (with history on request)."""
    return services.run(GetUnit(unit_id=unit_id, include_history=history), permission)


operation_route(router, "POST", "/units/{unit_id}/departments", AddDepartment,
                "units.manage_roster", body=DepartmentBody, status_code=201)


operation_route(router, "POST", "/units/{unit_id}/departments/{department_id}/rename", RenameDepartment,
                "units.manage_roster", body=RenameBody)


@router.post("/units/{unit_id}/departments/{department_id}/dissolve")
def dissolve_department(unit_id: Id, department_id: Id, body: DissolveBody, services: Services,
                        permission: Permission = require("units.manage_roster")) -> DepartmentRecorded:
    """Dissolve a department that has no active divisions and nobody in post."""
    return services.run(DissolveDepartment(unit_id=unit_id, department_id=department_id, **body.fields()),
                        permission)


@router.post("/units/{unit_id}/posts", status_code=201)
def appoint_person(unit_id: Id, body: AppointmentBody, services: Services,
                   permission: Permission = require("units.manage_roster")) -> PostRecorded:
    """A person takes up a post (head, leadership, department head, network member)."""
    return services.run(AppointPerson(unit_id=unit_id, **body.fields()), permission)


operation_route(router, "POST", "/units/{unit_id}/posts/{post_id}/leave", RecordLeaving,
                "units.manage_roster", body=LeavingBody)


operation_route(router, "GET", "/units/{unit_id}/routing", GetRouting, "units.read_routing")


operation_route(router, "POST", "/units/{unit_id}/routing", AssignCounterpart,
                "units.assign_counterpart", body=CounterpartBody, status_code=201)


# -- attachments ------------------------------------------------------------------------------------
@router.post("/attachments", status_code=201)
def upload_attachment(
    services: Services, file: UploadFile = File(...),  # noqa: B008
    declared_sha256: str | None = Form(default=None, pattern=r"^[0-9a-fA-F]{64}$"),  # noqa: B008
    permission: Permission = require("units.upload_attachment"),
) -> AttachmentStored:
    """Upload an attachment (pdf, docx, xlsx, png, jpg, txt; at most 20 MB); cite it by its SHA-256.

    The service checks the size, the type by the file's bytes (not its name) and the declared hash."""
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    operation = UploadAttachment(filename=file.filename or "", content_base64=base64.b64encode(data).decode(),
                                 declared_sha256=declared_sha256)
    return services.run(operation, permission)


@router.get("/submissions/{submission_id}/attachments/{sha256}", response_class=Response,
            responses={200: {"description": "附件内容 (the attachment's bytes, as its detected media type)",
                             "content": {media_type: {} for media_type in MEDIA_TYPES}}})
def download_attachment(submission_id: Id, sha256: Sha256, services: Services,
                        permission: Permission = require("units.read")) -> Response:
    """An attachment, to whoever may read the submission that cites it."""
    cited = services.run(GetSubmissionAttachment(submission_id=submission_id, sha256=sha256), permission)
    return attachment_response(base64.b64decode(cited.content_base64), cited.media_type, cited.filename,
                               allowed=MEDIA_TYPES)


# -- inbound: the unit liaison portal ---------------------------------------------------------------
INBOUND_ROUTES: dict[str, tuple[type[Command[Any]], type[Body]]] = {
    "directive-notifications": (NotifyDirective, DirectiveNotificationBody),
    "progress-reports": (SubmitProgressReport, ProgressReportBody),
    "supervision-reports": (SubmitSupervisionReport, SupervisionReportBody),
    "rectification-reports": (SubmitRectificationReport, RectificationReportBody),
    "situation-notices": (SubmitSituationNotice, SituationNoticeBody),
    "democratic-evaluations": (SubmitDemocraticEvaluation, DemocraticEvaluationBody),
    "duty-integrity-reports": (SubmitDutyIntegrityReport, DutyIntegrityReportBody),
    "integrity-opinion-replies": (ReplyIntegrityOpinion, IntegrityOpinionBody),
    "power-matters": (ReportPowerMatter, PowerMatterReportBody),
}


def _inbound_route(path: str, operation: type[Command[Any]], body_model: type[Body]) -> None:
    def submit(unit_id: Id, body: Any, services: Services,
               permission: Permission = require("units.submit_inbound")) -> Any:
        return services.run(operation(unit_id=unit_id, **body.fields()), permission)

    # The request model differs per route; FastAPI reads it from the annotation.
    submit.__annotations__["body"] = body_model
    name = operation.operation_name()
    submit.__name__ = "".join(f"_{ch.lower()}" if ch.isupper() else ch for ch in name).lstrip("_")
    submit.__doc__ = f"Unit liaison portal: {(operation.__doc__ or name).strip()} Returns the receipt (回执)."
    router.add_api_route(f"/units/{{unit_id}}/inbound/{path}", submit, methods=["POST"], status_code=201,
                         name=f"units.{submit.__name__}", response_model=operation.result_type)


for _path, (_operation, _body) in INBOUND_ROUTES.items():
    _inbound_route(_path, _operation, _body)


operation_route(router, "GET", "/submissions/{submission_id}", GetSubmission, "units.read")


operation_route(router, "POST", "/submissions/{submission_id}/review", ReviewSubmission,
                "units.review_submission", body=ReviewBody)
