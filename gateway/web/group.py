"""Group workbench: the directives (master ledger), a directive's page (the seven stages as a timeline, the
four lists as tabs) with the forms of its ledger commands, and the clue queue and a clue's page for the
members of its compartment.

Every handler runs the same operation under the same permission as the API route of the same command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

import authz
from authz import Permission
from gateway import references
from gateway.clues import router as clues_api
from gateway.deps import ReadModels, Services, Today, membership, runtime
from gateway.ledgers import items as items_api
from gateway.ledgers import lists as lists_api
from gateway.permissions import grant, require
from gateway.reads import After, Paging
from gateway.web.directive_activities import supervising_activities
from gateway.web.forms import checked_form, validate, values
from gateway.web.owners import owner_choices, with_owner_name
from gateway.web.render import page, translator
from gateway.web.unit import _uploaded as uploaded_attachments
from projections.group_workbench.view import QUEUES
from services.clues.domainmodel import DISPOSITION_LABELS, JOINT_PART_LABELS, STATUS_LABELS
from services.clues.interface import (
    ClueReadBody,
    DecideDisposition,
    DispositionDecisionBody,
    DispositionProposalBody,
    GetClueFacts,
    ProposeDisposition,
    ReadClue,
)
from services.common.errors import DomainError
from services.common.interface import Id
from services.ledgers.interface import (
    AddItem,
    CloseItem,
    ClosureBody,
    GetCombinedView,
    GetDirective,
    ItemBody,
    RecordStage,
    RegisterDirective,
    StageBody,
)
from services.ledgers.interface.fields import ReportedStatus
from services.ledgers.vocab import (
    EVALUATION_DIMENSIONS,
    ITEM_STATUSES,
    LIST_KINDS,
    LOOK_BACK_CHECKS,
    LOOK_BACK_FINDINGS,
    PROBLEM_TYPES,
    REPORTED_STATUS_LABELS,
    SCORE_MAX,
    SCORE_MIN,
    STAGE_LABELS,
)

router = APIRouter(include_in_schema=False)
ITEM_FORM_VOCABULARY: dict[str, Any] = {
    "look_back_checks": LOOK_BACK_CHECKS, "look_back_findings": LOOK_BACK_FINDINGS,
    "dimensions": EVALUATION_DIMENSIONS, "scores": list(range(SCORE_MIN, SCORE_MAX + 1)),
}
"""What the forms of the directive page and its lists offer to choose from (the service's vocabularies)."""


def may(action: str, principal: authz.Principal) -> bool:
    """Whether the principal holds a role of the action's rule (to offer its button; the route decides)."""
    rule = authz.rule_of(action)
    return rule is not None and principal.has_any(rule.roles)


FORM_ACTIONS = {"export": "ledgers.export_ledger", "evaluate": "ledgers.evaluate_department",
                "record_item": "ledgers.record_item", "close": "ledgers.close_item",
                "look_back": "ledgers.record_look_back", "reconcile": "ledgers.reconcile"}
"""The directive page's forms and buttons, by the action each runs."""


def abilities(principal: authz.Principal) -> dict[str, bool]:
    """Which of the directive page's forms the user is offered (the routes decide all the same)."""
    return {name: may(action, principal) for name, action in FORM_ACTIONS.items()}


def localized(request: Request, problems: dict[str, str]) -> dict[str, str]:
    """The services' bilingual messages ("中文 (English)") in the user's language, by field."""
    tr = translator(request)
    return {field: tr.label(message) for field, message in problems.items()}


def attempt(services: Services, command: Any, permission: Permission,
            fields: dict[str, str] | None = None, check: Callable[[], None] | None = None) -> tuple[dict[str, str], int]:
    """Run a form's command (after `check`, the gateway's check of the ids it names): no problem, or the refusal
    by the field it is shown next to (a refused reference's own field; `fields`: error code → field; else the
    form's own message). A record one may not know stays the page of a missing one."""
    try:
        if check is not None:
            check()
        services.run(command, permission)
    except DomainError as error:
        if error.status == 404:
            raise
        field = getattr(error, "field", None) or (fields or {}).get(error.code, "_form")
        return {field: error.message}, error.status
    return {}, 200


def done(target: str) -> RedirectResponse:
    """After a command: the page that shows its result (post/redirect/get)."""
    return RedirectResponse(target, status_code=303)


# -- directives --------------------------------------------------------------------------------------------
@router.get("/group", response_class=HTMLResponse)
async def workbench(request: Request, read_models: ReadModels, today: Today, page_request: Paging, after: After,
                    status: ReportedStatus | None = None, overdue: bool | None = None,
                    q: str | None = Query(default=None, min_length=1, max_length=100),
                    permission: Permission = require("ledgers.read_directive", listing=True)) -> HTMLResponse:
    """The workbench's queues and the master ledger, paged, from the group workbench read model (the API's
    `GET /api/ledgers/workbench` and `GET /api/ledgers/directives`)."""
    principal = permission.principal
    queues = await lists_api.workbench(read_models=read_models, response=Response(), today=today, after=after,
                                       first=5, permission=grant(principal, "ledgers.read_item", listing=True))
    directives = await lists_api.list_directives(
        read_models=read_models, response=Response(), page=page_request, after=after, category=None, unit_id=None,
        status=status, overdue=overdue, include_withdrawn=False, q=q, sort="-received_on", permission=permission)
    return page(request, "group.html", principal=principal, active="group", directives=directives.items,
                next_cursor=directives.next_cursor, queues=queues, queue_names=QUEUES, stage_labels=STAGE_LABELS,
                status_labels=REPORTED_STATUS_LABELS, filters={"status": status or "", "overdue": overdue, "q": q or ""})


def _register_form(request: Request, permission: Permission, form: dict[str, Any], errors: dict[str, str],
                   status_code: int = 200) -> HTMLResponse:
    units = sorted(permission.principal.supervised_unit_ids)
    return page(request, "directive_new.html", principal=permission.principal, active="group", form=form,
                errors=errors, units=units, status_code=status_code)


@router.get("/group/directives/new", response_class=HTMLResponse)
def register_form(request: Request, permission: Permission = require("ledgers.register_directive")) -> HTMLResponse:
    return _register_form(request, permission, {}, {})


@router.post("/group/directives/new", response_class=HTMLResponse)
async def register(request: Request, services: Services,
                   permission: Permission = require("ledgers.register_directive")) -> Response:
    form = values(await checked_form(request))
    form["group_id"] = permission.principal.group_id or ""
    form["tied_to_duties"] = form.get("tied_to_duties") == "on"
    command, errors = validate(RegisterDirective, form)
    if command is None:
        return _register_form(request, permission, form, errors, 422)
    try:
        recorded = services.run(command, permission)
    except DomainError as error:
        return _register_form(request, permission, form, {"_form": error.message}, error.status)
    return done(f"/group/directives/{recorded.directive_id}?recorded=directive&after=ledgers:{recorded.position}")


def members(request: Request, permission: Permission) -> list[tuple[str, str]]:
    """The group's members, who may follow an item (督办人): (user id, name)."""
    group_id = permission.principal.group_id
    return [(m.user_id, m.name) for m in membership(request).members_of(group_id)] if group_id else []


async def directive_page(request: Request, services: Services, permission: Permission, directive_id: str, *,
                    tab: str = "task", forms: dict[str, dict[str, Any]] | None = None,
                    errors: dict[str, dict[str, str]] | None = None, status_code: int = 200,
                    activities: list[Any] | None = None) -> HTMLResponse:
    combined = services.run(GetCombinedView(directive_id=directive_id), permission)
    followers = members(request, permission)
    owners = await owner_choices(request, permission.principal, combined.directive.unit_id)
    errors = {form: localized(request, problems) for form, problems in (errors or {}).items()}
    return page(request, "directive.html", followers=followers, owners=owners, principal=permission.principal,
                active="group", view=combined,
                directive=combined.directive, lists=combined.lists, tab=tab if tab in LIST_KINDS else "task",
                stage_labels=STAGE_LABELS, list_kinds=LIST_KINDS, item_statuses=ITEM_STATUSES, problem_types=PROBLEM_TYPES,
                status_labels=REPORTED_STATUS_LABELS, forms=forms or {}, errors=errors or {},
                recorded=request.query_params.get("recorded"), status_code=status_code, **ITEM_FORM_VOCABULARY,
                can=abilities(permission.principal), activities=activities)


@router.get("/group/directives/{directive_id}", response_class=HTMLResponse)
async def directive(request: Request, directive_id: Id, services: Services, read_models: ReadModels,
                    tab: str = "task", permission: Permission = require("ledgers.read_directive")) -> HTMLResponse:
    return await directive_page(request, services, permission, directive_id, tab=tab,
                                activities=await supervising_activities(read_models, permission.principal, directive_id))


@router.get("/group/directives/{directive_id}/lists/{kind}", response_class=HTMLResponse)
async def directive_list(request: Request, directive_id: Id, kind: str, services: Services,
                   permission: Permission = require("ledgers.read_directive")) -> HTMLResponse:
    """One of the four lists (the tab htmx swaps in)."""
    combined = services.run(GetCombinedView(directive_id=directive_id), permission)
    kind = kind if kind in LIST_KINDS else "task"
    return page(request, "_list.html", followers=members(request, permission),
                owners=await owner_choices(request, permission.principal, combined.directive.unit_id),
                principal=permission.principal, directive=combined.directive,
                kind=kind, items=combined.lists.get(kind, []), list_kinds=LIST_KINDS, item_statuses=ITEM_STATUSES,
                problem_types=PROBLEM_TYPES,
                forms={}, errors={}, **ITEM_FORM_VOCABULARY, can=abilities(permission.principal))


@router.post("/group/directives/{directive_id}/stages", response_class=HTMLResponse)
async def record_stage(request: Request, directive_id: Id, services: Services,
                       permission: Permission = require("ledgers.record_stage")) -> Response:
    form = values(await checked_form(request))
    body, errors = validate(StageBody, form)
    if body is None:
        return await directive_page(request, services, permission, directive_id, forms={"stage": form},
                                    errors={"stage": errors}, status_code=422)
    try:
        services.run(RecordStage(directive_id=directive_id, **body.fields()), permission)
    except DomainError as error:
        if error.status == 404:
            raise
        return await directive_page(request, services, permission, directive_id, forms={"stage": form},
                                    errors={"stage": {"_form": error.message}}, status_code=error.status)
    return done(f"/group/directives/{directive_id}?recorded=stage")


@router.post("/group/directives/{directive_id}/items", response_class=HTMLResponse)
async def add_item(request: Request, directive_id: Id, services: Services,
                   permission: Permission = require("ledgers.record_item")) -> Response:
    form = values(await checked_form(request))
    tab = str(form.get("list_kind", "task"))
    if form.get("owner_person_id") and not str(form.get("owner") or "").strip():
        unit_id = services.run(GetDirective(directive_id=directive_id), permission).unit_id
        form = with_owner_name(form, await owner_choices(request, permission.principal, unit_id))
    body, errors = validate(ItemBody, {**form, "owner_person_id": form.get("owner_person_id") or None})
    status = 422
    if body is not None:
        command = AddItem(directive_id=directive_id, **body.fields())
        errors, status = attempt(services, command, permission, check=lambda: references.new_item(
            command, permission, runtime(request)))
    if errors:
        return await directive_page(request, services, permission, directive_id, tab=tab, forms={"item": form},
                                    errors={"item": errors}, status_code=status)
    return done(f"/group/directives/{directive_id}?tab={tab}&recorded=item")


@router.post("/group/items/{item_id}/close", response_class=HTMLResponse)
async def close_item(request: Request, item_id: Id, services: Services,
                     permission: Permission = require("ledgers.close_item")) -> Response:
    """Close (销号) with evidence: a unit submission's reference, or a file uploaded here as
    `POST /api/units/attachments` stores it (content-addressed, cited as `sha256:<hash>`)."""
    posted = await checked_form(request)
    form = values(posted, "evidence_refs")
    form.pop("evidence_file", None)
    item = items_api.get_item(item_id, services, permission)
    target = f"/group/directives/{item.directive_id}?tab={item.list_kind}"
    body, errors = validate(ClosureBody, form)
    if body is not None:
        try:
            files = uploaded_attachments(services, permission, posted.get("evidence_file"))
        except DomainError as error:
            errors = {"evidence_file": error.message}
        else:
            body = body.model_copy(update={"evidence_refs": [*body.evidence_refs,
                                                             *(f"sha256:{f.sha256}" for f in files)]})
    if body is not None and not errors:
        try:
            services.run(CloseItem(item_id=item_id, **body.fields()), permission)
        except DomainError as error:
            if error.status == 404:
                raise
            errors = {"_form": error.message}
    if errors and item.directive_id:
        return await directive_page(request, services, permission, item.directive_id, tab=item.list_kind,
                                    forms={f"close-{item_id}": form}, errors={f"close-{item_id}": errors},
                                    status_code=422)
    return done(f"{target}&recorded=closed")


# -- clues -------------------------------------------------------------------------------------------------
@router.get("/group/clues", response_class=HTMLResponse)
async def clue_queue(request: Request, read_models: ReadModels, page_request: Paging, after: After,
                     permission: Permission = require("clues.list", listing=True)) -> HTMLResponse:
    """The clues whose compartment includes the user, facts only (`GET /api/clues/clues`, the clue queue)."""
    clues = await clues_api.list_clues(read_models=read_models, response=Response(), page=page_request, after=after,
                                       status=None, unit_id=None, sort="-received_on", permission=permission)
    return page(request, "clues.html", principal=permission.principal, active="clues", clues=clues.items,
                next_cursor=clues.next_cursor, status_labels=STATUS_LABELS, disposition_labels=DISPOSITION_LABELS)


def _clue_page(request: Request, services: Services, permission: Permission, clue_id: str, *,
               content: Any = None, forms: dict[str, dict[str, Any]] | None = None,
               errors: dict[str, dict[str, str]] | None = None, status_code: int = 200) -> HTMLResponse:
    facts = services.run(GetClueFacts(clue_id=clue_id), permission)
    principal = permission.principal
    disclosures = (clues_api.list_disclosures(clue_id, services, grant(principal, "clues.list_disclosures"))
                   if "group_leader" in principal.roles else None)
    sharing = may("clues.joint_screening", principal)
    return page(request, "clue.html", principal=principal, active="clues", clue=facts, content=content,
                disclosures=disclosures, status_labels=STATUS_LABELS, disposition_labels=DISPOSITION_LABELS,
                forms=forms or {}, errors=errors or {}, recorded=request.query_params.get("recorded"),
                may_decide="group_leader" in principal.roles, status_code=status_code,
                may_manage=may("clues.manage_compartment", principal), may_share=sharing,
                group_members=members(request, permission), joint_parts=JOINT_PART_LABELS,
                unit_users=[(m.user_id, m.name) for m in membership(request).members_of(facts.unit_id)] if sharing
                else [])


@router.get("/group/clues/{clue_id}", response_class=HTMLResponse)
def clue(request: Request, clue_id: Id, services: Services,
         permission: Permission = require("clues.read")) -> HTMLResponse:
    return _clue_page(request, services, permission, clue_id)


@router.post("/group/clues/{clue_id}/read", response_class=HTMLResponse)
async def read_clue(request: Request, clue_id: Id, services: Services,
                    permission: Permission = require("clues.read")) -> Response:
    """Read the content: the read (who, when, why) is recorded by the same call as the API's."""
    form = values(await checked_form(request))
    body, errors = validate(ClueReadBody, form)
    if body is None:
        return _clue_page(request, services, permission, clue_id, forms={"read": form}, errors={"read": errors},
                          status_code=422)
    content = services.run(ReadClue(clue_id=clue_id, reader=permission.principal.user_id, **body.fields()),
                           permission)
    return _clue_page(request, services, permission, clue_id, content=content)


async def _clue_command(request: Request, services: Services, permission: Permission, clue_id: str, name: str,
                        body_model: Any, command: Any, prepare: Any = None, lists: tuple[str, ...] = ()) -> Response:
    form = values(await checked_form(request), *lists)
    data = prepare(form) if prepare else form
    body, errors = validate(body_model, data)
    if body is None:
        return _clue_page(request, services, permission, clue_id, forms={name: form}, errors={name: errors},
                          status_code=422)
    try:
        services.run(command(clue_id=clue_id, **body.fields()), permission)
    except DomainError as error:
        if error.status == 404:
            raise
        return _clue_page(request, services, permission, clue_id, forms={name: form},
                          errors={name: {"_form": error.message}}, status_code=error.status)
    return done(f"/group/clues/{clue_id}?recorded={name}")


@router.post("/group/clues/{clue_id}/proposal", response_class=HTMLResponse)
async def propose(request: Request, clue_id: Id, services: Services,
                  permission: Permission = require("clues.work")) -> Response:
    return await _clue_command(request, services, permission, clue_id, "proposal", DispositionProposalBody,
                               ProposeDisposition)


@router.post("/group/clues/{clue_id}/decision", response_class=HTMLResponse)
async def decide(request: Request, clue_id: Id, services: Services,
                 permission: Permission = require("clues.decide")) -> Response:
    def prepare(form: dict[str, Any]) -> dict[str, Any]:
        return {**form, "approved": form.get("approved") == "yes"}

    return await _clue_command(request, services, permission, clue_id, "decision", DispositionDecisionBody,
                               DecideDisposition, prepare)
