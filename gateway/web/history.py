"""Case history: for a directive the user may see, what the record already tells of its history (its
registration, stages and corrections), in time order. The cross-service replay is the forensic-replay
issue's; this page links to it once it exists."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from authz import Permission
from gateway.deps import Services
from gateway.permissions import require
from gateway.web.render import page
from services.common.interface import Id
from services.ledgers.interface import DirectiveCorrections, GetDirective
from services.ledgers.vocab import STAGE_LABELS

router = APIRouter(include_in_schema=False)


@router.get("/history/directives/{directive_id}", response_class=HTMLResponse)
def directive_history(request: Request, directive_id: Id, services: Services,
                      permission: Permission = require("ledgers.read_directive")) -> HTMLResponse:
    directive = services.run(GetDirective(directive_id=directive_id), permission)
    corrections = services.run(DirectiveCorrections(directive_id=directive_id), permission)
    events: list[dict[str, Any]] = [{"when": str(directive.received_on), "kind": "history.received",
                                     "text": f"{directive.reference_number} {directive.title}"}]
    for stage, record in directive.stages.items():
        events.append({"when": str(record.get("done_on", "")), "kind": "history.stage",
                       "label": STAGE_LABELS.get(stage, stage), "text": str(record.get("summary", ""))})
    for correction in corrections:
        events.append({"when": correction.at, "kind": f"history.{correction.kind}", "text": correction.reason,
                       "by": correction.by.get("user", "")})
    events.sort(key=lambda e: e["when"])
    return page(request, "history.html", principal=permission.principal, active="group", directive=directive,
                events=events)
