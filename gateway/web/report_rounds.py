"""The scheduling round a unit's progress report answers (定期调度): the unit's open rounds offered in the report
form (from the group workbench read model, as `GET /api/ledgers/scheduling-rounds?open=true` answers), the
directives of the round chosen with a status and progress field each, and those fields read back as the report's
`round_id` and `directive_statuses` (each problem keyed by its own field)."""

from __future__ import annotations

from typing import Any

import authz
from gateway.deps import ReadModels, Services
from gateway.ledgers import lists as rounds_api
from gateway.permissions import grant
from gateway.web.forms import validate
from gateway.web.paging import every_page
from services.common.errors import DomainError
from services.ledgers.interface import GetSchedulingRound, RoundDirective
from services.units.interface import DirectiveStatus

MAX_ROUNDS = 200
"""At most this many open rounds are offered (a unit has a handful at a time)."""
ROUND_FIELD = "round_id"
STATUS_FIELD = "status-"
SUMMARY_FIELD = "summary-"
"""A directive's fields in the form: `status-<directive id>`, `summary-<directive id>`."""


async def open_rounds(read_models: ReadModels, principal: authz.Principal,
                      unit_id: str) -> list[rounds_api.RoundRow]:
    """The rounds addressed to `unit_id` not yet closed, soonest reply date first (none for a user who may not
    read rounds)."""
    try:
        permission = grant(principal, "ledgers.read_round", listing=True)
    except DomainError:
        return []
    return await every_page(rounds_api.list_rounds, keep=lambda row: row.unit_id == unit_id, enough=MAX_ROUNDS,
                            read_models=read_models, open_only=True, sort="respond_by", permission=permission)


def chosen(rounds: list[rounds_api.RoundRow], round_id: str | None) -> rounds_api.RoundRow | None:
    return next((r for r in rounds if r.round_id == round_id), None) if round_id else None


def asked(services: Services, principal: authz.Principal,
          round_row: rounds_api.RoundRow | None) -> list[RoundDirective]:
    """The directives the chosen round asks about, with reference number and title (as the round's page shows
    them)."""
    if round_row is None:
        return []
    found = services.run(GetSchedulingRound(round_id=round_row.round_id), grant(principal, "ledgers.read_round"))
    return found.directives


def answers(form: dict[str, Any], rounds: list[rounds_api.RoundRow]) -> tuple[dict[str, Any], dict[str, str]]:
    """Take the round's fields out of the posted `form`: the report's `round_id` and `directive_statuses` (a
    directive left without status and progress is not answered by this report), or the problems by field."""
    round_id = form.pop(ROUND_FIELD, None)
    typed = {k: form.pop(k) for k in list(form) if k.startswith((STATUS_FIELD, SUMMARY_FIELD))}
    if round_id is None:
        return {}, {}
    round_row = chosen(rounds, round_id)
    if round_row is None:
        return {}, {ROUND_FIELD: "不是本单位未结束的调度 (not an open scheduling round of your unit)"}
    statuses: list[dict[str, Any]] = []
    errors: dict[str, str] = {}
    for directive_id in round_row.directive_ids:
        status, summary = typed.get(STATUS_FIELD + directive_id), typed.get(SUMMARY_FIELD + directive_id)
        if status is None and summary is None:
            continue
        row = {"directive_id": directive_id, "status": status, "summary": summary or ""}
        answer, problems = validate(DirectiveStatus, {k: v for k, v in row.items() if v is not None})
        if answer is None:
            errors.update({f"{name}-{directive_id}": text for name, text in problems.items()})
            continue
        statuses.append(answer.model_dump())
    if not statuses and not errors:
        errors[ROUND_FIELD] = "请至少填报一件批示件的进展状态 (give the status of at least one directive of the round)"
    return {"round_id": round_id, "directive_statuses": statuses}, errors
