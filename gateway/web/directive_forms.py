"""The directive page's remaining forms (group workbench): the follower of an item (专人督办), the look-back
(回头看) of a closed item, and the evaluation of the responsible department. Closing an item with an uploaded
evidence file is in group.py beside adding one.

Every handler runs the operation of the API route of the same command under the same permission
(`POST /api/ledgers/items/{id}/follower`, `.../look-back`, `POST /api/ledgers/directives/{id}/evaluations`); a
problem is shown next to its field on the directive's page, never as a stack trace.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from authz import Permission
from gateway import references
from gateway.deps import Services, runtime
from gateway.ledgers import items as items_api
from gateway.permissions import require
from gateway.routes import Check
from gateway.web.forms import checked_form, validate, values
from gateway.web.group import attempt, directive_page, done
from services.common.errors import InvalidInputError
from services.common.interface import Body, Command, Id
from services.ledgers.interface import (
    AssignFollower,
    EvaluateDepartment,
    EvaluationBody,
    FollowerBody,
    LookBackBody,
    RecordLookBack,
)
from services.ledgers.vocab import EVALUATION_DIMENSIONS, LOOK_BACK_CHECKS

router = APIRouter(include_in_schema=False)
EVALUATION_PROBLEMS = {"department_required": "department", "dimensions_required": "scores",
                       "score_out_of_range": "scores", "rationale_required": "rationale"}
"""The evaluation's domain refusals (services/ledgers/domainmodel.py) by the field they are shown next to."""


def look_back_fields(form: dict[str, Any]) -> dict[str, Any]:
    """The look-back form as `LookBackBody` takes it: one check per finding chosen, the reopen box."""
    checks = [{"check": code, "finding": form[f"finding_{code}"], "note": form.get(f"note_{code}", "")}
              for code in LOOK_BACK_CHECKS if form.get(f"finding_{code}")]
    return {"findings": form.get("findings", ""), "checks": checks, "reopen": form.get("reopen") == "on",
            **({"deadline": form["deadline"]} if form.get("deadline") else {})}


def evaluation_fields(form: dict[str, Any]) -> dict[str, Any]:
    """The evaluation form as `EvaluationBody` takes it: a whole-number score per dimension chosen."""
    scores = {code: int(form[f"score_{code}"]) if str(form.get(f"score_{code}", "")).isdigit()
              else form.get(f"score_{code}") for code in EVALUATION_DIMENSIONS if form.get(f"score_{code}")}
    return {"department": form.get("department", ""), "scores": scores, "rationale": form.get("rationale", "")}


async def _item_command(request: Request, item_id: str, services: Services, permission: Permission, name: str,
                        body_model: type[Body], command: type[Command[Any]], prepare: Any, recorded: str,
                        check: Check | None = None) -> Response:
    """Validate the form, run the item's command (after `check`), and go back to its list; else the page with the
    problems."""
    form = values(await checked_form(request))
    item = items_api.get_item(item_id, services, permission)
    key = f"{name}-{item_id}"
    body, errors = validate(body_model, prepare(form))
    status = 422
    if body is not None:
        operation = command(item_id=item_id, **body.fields())
        errors, status = attempt(services, operation, permission, check=None if check is None else (
            lambda: check(operation, permission, runtime(request))))
    if errors and not item.directive_id:  # an item of no directive (a clue's, a unit's): the error page
        raise InvalidInputError(next(iter(errors.values())))
    if errors:
        return await directive_page(request, services, permission, item.directive_id, tab=item.list_kind,
                                    forms={key: form}, errors={key: errors}, status_code=status)
    if not item.directive_id:
        return done(f"/group?recorded={recorded}")
    return done(f"/group/directives/{item.directive_id}?tab={item.list_kind}&recorded={recorded}#item-{item_id}")


@router.post("/group/items/{item_id}/follower", response_class=HTMLResponse)
async def assign_follower(request: Request, item_id: Id, services: Services,
                          permission: Permission = require("ledgers.record_item")) -> Response:
    """Name the group member who follows the item (专人督办)."""
    return await _item_command(request, item_id, services, permission, "follower", FollowerBody, AssignFollower,
                               lambda form: form, "follower", check=references.follower)


@router.post("/group/items/{item_id}/look-back", response_class=HTMLResponse)
async def look_back(request: Request, item_id: Id, services: Services,
                    permission: Permission = require("ledgers.record_look_back")) -> Response:
    """Record the look-back of a closed item: its three checks; confirmed, or reopened with a new deadline."""
    return await _item_command(request, item_id, services, permission, "lookback", LookBackBody, RecordLookBack,
                               look_back_fields, "look_back")


@router.post("/group/directives/{directive_id}/evaluations", response_class=HTMLResponse)
async def evaluate(request: Request, directive_id: Id, services: Services,
                   permission: Permission = require("ledgers.evaluate_department")) -> Response:
    """Rate the responsible department on the four dimensions (1 差 … 5 好), with a rationale."""
    form = values(await checked_form(request))
    body, errors = validate(EvaluationBody, evaluation_fields(form))
    status = 422
    if body is not None:
        errors, status = attempt(services, EvaluateDepartment(directive_id=directive_id, **body.fields()),
                                 permission, EVALUATION_PROBLEMS)
    if errors:
        return await directive_page(request, services, permission, directive_id, forms={"evaluation": form},
                                    errors={"evaluation": errors}, status_code=status)
    return done(f"/group/directives/{directive_id}?recorded=evaluation#evaluations-title")
