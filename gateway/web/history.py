"""Case history: any directive, item, clue, round, activity or unit record the user may see, with every event of
its case across the four services (`POST /api/forensics/{kind}/{record_id}/history`, the same function): the
record's own events and what they caused or share a correlation with, in recorded order, each with its actor,
both times (recorded, and happened as stated) and a readable description; optionally the record's state as of a
version (the forensic replay). Every use is recorded with its reason, so the page asks for one; whoever may not
see the record (a clue outside its compartment) gets the missing record's 404, and events of records they may
not read are left out. A directive's page also shows what its ledger already tells (stages and corrections)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from authz import Permission
from gateway.deps import Services
from gateway.forensics import router as forensics_api
from gateway.permissions import grant, require
from gateway.web.forms import checked_form, validate, values
from gateway.web.render import page
from services.common.errors import DomainError
from services.common.forensics import ReplayBody
from services.common.interface import Id
from services.ledgers.interface import DirectiveCorrections, GetDirective
from services.ledgers.vocab import STAGE_LABELS

router = APIRouter(include_in_schema=False)
Kind = forensics_api.RecordKind


def _known(services: Services, permission: Permission, kind: Kind, record_id: str) -> list[dict[str, Any]]:
    """What a directive's ledger tells without a replay (other kinds: nothing before the replay)."""
    if kind != Kind.directive:
        return []
    directive = services.run(GetDirective(directive_id=record_id), permission)
    corrections = services.run(DirectiveCorrections(directive_id=record_id), permission)
    events: list[dict[str, Any]] = [{"when": str(directive.received_on), "kind": "history.received",
                                     "text": f"{directive.reference_number} {directive.title}"}]
    for stage, record in directive.stages.items():
        events.append({"when": str(record.get("done_on", "")), "kind": "history.stage",
                       "label": STAGE_LABELS.get(stage, stage), "text": str(record.get("summary", ""))})
    for correction in corrections:
        events.append({"when": correction.at, "kind": f"history.{correction.kind}", "text": correction.reason,
                       "by": correction.by.get("user", "")})
    return sorted(events, key=lambda e: e["when"])


def _page(request: Request, services: Services, permission: Permission, kind: Kind, record_id: str, *,
          case: Any = None, result: Any = None, form: dict[str, Any] | None = None,
          errors: dict[str, str] | None = None, status_code: int = 200) -> HTMLResponse:
    known = (_known(services, grant(permission.principal, "ledgers.read_directive"), kind, record_id)
             if kind == Kind.directive and case is None else [])
    return page(request, "history.html", principal=permission.principal, active="", kind=kind.value,
                record_id=record_id, events=known, case=case, result=result, form=form or {},
                errors=errors or {}, status_code=status_code)


@router.get("/history/{kind}/{record_id}", response_class=HTMLResponse)
def history(request: Request, kind: Kind, record_id: Id, services: Services,
            permission: Permission = require("forensics.history")) -> HTMLResponse:
    """The form that asks for the case history (and, for a directive, what its ledger already tells)."""
    return _page(request, services, permission, kind, record_id)


@router.post("/history/{kind}/{record_id}", response_class=HTMLResponse)
async def case_history(request: Request, kind: Kind, record_id: Id, services: Services,
                       permission: Permission = require("forensics.history")) -> Response:
    """The case history across the four services (`POST /api/forensics/{kind}/{record_id}/history`, the same
    function: the owner decides and records the use, a refusal included; whoever may not see the record gets
    the missing record's 404), and with a version, the record's state then (a replay, recorded too)."""
    form = values(await checked_form(request))
    body, errors = validate(ReplayBody, form)
    if body is None:
        return _page(request, services, permission, kind, record_id, form=form, errors=errors, status_code=422)
    try:
        case = forensics_api.history(kind=kind, record_id=record_id,
                                     body=forensics_api.ReasonBody(reason=body.reason), services=services,
                                     permission=permission)
        result = None
        if body.as_of_version is not None:
            result = forensics_api.replay(kind=kind, record_id=record_id, body=body, services=services,
                                          permission=grant(permission.principal, "forensics.replay"))
    except DomainError as error:
        if error.status == 404:
            raise
        return _page(request, services, permission, kind, record_id, form=form, errors={"_form": error.message},
                     status_code=error.status)
    return _page(request, services, permission, kind, record_id, case=case, result=result, form=form)
