"""Case history: any directive, item, clue, round, activity or unit record the user may see, replayed across
its history by the forensic replay (`POST /api/forensics/{kind}/{record_id}/replay`, the same function): every
event in order with who and when, and the record as of a chosen version. Every replay is recorded with its
reason, so the page asks for one. A directive's page also shows what its ledger already tells (stages and
corrections) without a replay."""

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
          result: Any = None, form: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
          status_code: int = 200) -> HTMLResponse:
    known = (_known(services, grant(permission.principal, "ledgers.read_directive"), kind, record_id)
             if kind == Kind.directive else [])
    return page(request, "history.html", principal=permission.principal, active="", kind=kind.value,
                record_id=record_id, events=known, result=result, form=form or {}, errors=errors or {},
                status_code=status_code)


@router.get("/history/{kind}/{record_id}", response_class=HTMLResponse)
def history(request: Request, kind: Kind, record_id: Id, services: Services,
            permission: Permission = require("forensics.replay")) -> HTMLResponse:
    """The replay form (and, for a directive, what its ledger already tells)."""
    return _page(request, services, permission, kind, record_id)


@router.post("/history/{kind}/{record_id}", response_class=HTMLResponse)
async def replay(request: Request, kind: Kind, record_id: Id, services: Services,
                 permission: Permission = require("forensics.replay")) -> Response:
    form = values(await checked_form(request))
    body, errors = validate(ReplayBody, form)
    if body is None:
        return page(request, "history.html", principal=permission.principal, kind=kind.value, record_id=record_id,
                    events=[], result=None, form=form, errors=errors, status_code=422)
    try:
        result = forensics_api.replay(kind=kind, record_id=record_id, body=body, services=services,
                                      permission=permission)
    except DomainError as error:
        if error.status == 404:
            raise
        return page(request, "history.html", principal=permission.principal, kind=kind.value, record_id=record_id,
                    events=[], result=None, form=form, errors={"_form": error.message}, status_code=error.status)
    return page(request, "history.html", principal=permission.principal, kind=kind.value, record_id=record_id,
                events=[], result=result, form=form, errors={})
