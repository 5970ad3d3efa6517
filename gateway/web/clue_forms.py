"""Clues on the group workbench, for the members of a clue's compartment: registering a clue (线索受理登记), taking in the
clues an inspection team referred (the leader assigns staff), and
the steps on the clue's page — an assessment note (研判), a talk held or a letter of inquiry sent (谈话函询), the answer to the
letter, the preliminary verification report (初核报告), and the leader's conclusion.

Every handler runs the API route's operation under its permission; the clues service decides by the clue's
compartment, so whoever is outside it gets the page of a missing clue. No content is rendered here: the
content is shown only after a recorded read (`ReadClue`, on the clue page).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from authz import Permission
from gateway.clues import router as clues_api
from gateway.deps import ReadModels, Services, membership
from gateway.permissions import grant, require
from gateway.reads import After, Paging
from gateway.web.forms import checked_form, validate, values
from gateway.web.group import _clue_command, members
from gateway.web.render import page
from projections.common.query import PageRequest
from services.clues.domainmodel import CATEGORY_LABELS, SOURCE_LABELS
from services.clues.interface import (
    AcceptReferralBody,
    ClueAssessmentBody,
    ClueBody,
    ClueConclusionBody,
    ClueInquiryBody,
    ClueVerificationBody,
    ConcludeClue,
    InquiryReplyBody,
    NoteAssessment,
    RecordInquiry,
    RecordInquiryReply,
    RecordVerification,
)
from services.common.errors import DomainError
from services.common.interface import Id

router = APIRouter(include_in_schema=False)
REGISTERED_SOURCES = {k: v for k, v in SOURCE_LABELS.items() if k != "inspection_referral"}
"""What a group registers itself; inspection referrals come from the team and are accepted by the leader."""


def _register_page(request: Request, permission: Permission, form: dict[str, Any], errors: dict[str, str],
                   status_code: int = 200) -> HTMLResponse:
    return page(request, "clue_new.html", principal=permission.principal, active="clues", form=form, errors=errors,
                units=sorted(permission.principal.supervised_unit_ids), sources=REGISTERED_SOURCES,
                categories=CATEGORY_LABELS, staff=[m for m in members(request, permission)
                                                   if m[0] != permission.principal.user_id],
                status_code=status_code)


@router.get("/group/clues/new", response_class=HTMLResponse)
def register_form(request: Request, permission: Permission = require("clues.register")) -> HTMLResponse:
    return _register_page(request, permission, {}, {})


@router.post("/group/clues/new", response_class=HTMLResponse)
async def register(request: Request, services: Services,
                   permission: Permission = require("clues.register")) -> Response:
    """Register a clue as `POST /api/clues/clues` does (its compartment: the leader, the staff assigned and the
    registrant)."""
    form = values(await checked_form(request), "categories", "assigned")
    body, errors = validate(ClueBody, {**form, "key_person": form.get("key_person") == "on"})
    if body is None:
        return _register_page(request, permission, form, errors, 422)
    try:
        recorded = clues_api.register_clue(body, services, membership(request), permission)
    except DomainError as error:
        return _register_page(request, permission, form, {"_form": error.message}, error.status)
    return RedirectResponse(f"/group/clues/{recorded.clue_id}?recorded=clue_registered", status_code=303)


def _intake_page(request: Request, permission: Permission, entries: list[Any], next_cursor: str | None, *,
                 form: dict[str, Any] | None = None, errors: dict[str, dict[str, str]] | None = None,
                 status_code: int = 200) -> HTMLResponse:
    return page(request, "clue_intake.html", principal=permission.principal, active="clues", entries=entries,
                next_cursor=next_cursor, sources=SOURCE_LABELS, staff=members(request, permission),
                may_accept="group_leader" in permission.principal.roles, form=form or {}, errors=errors or {},
                recorded=request.query_params.get("recorded"), status_code=status_code)


@router.get("/group/clues/intake", response_class=HTMLResponse)
async def intake(request: Request, read_models: ReadModels, page_request: Paging, after: After,
                 permission: Permission = require("clues.intake_queue", listing=True)) -> HTMLResponse:
    """Referred clues awaiting the group leader, no content (`GET /api/clues/intake`, the clue queue)."""
    found = await clues_api.intake_queue(read_models=read_models, response=Response(), page=page_request,
                                         after=after, permission=permission)
    return _intake_page(request, permission, found.items, found.next_cursor)


@router.post("/group/clues/{clue_id}/accept", response_class=HTMLResponse)
async def accept(request: Request, clue_id: Id, services: Services, read_models: ReadModels,
                 permission: Permission = require("clues.accept_referral")) -> Response:
    """The leader takes a referred clue in and assigns staff (`POST /api/clues/clues/{id}/accept`)."""
    form = values(await checked_form(request), "assigned")
    body, errors = validate(AcceptReferralBody, form)
    problem = errors
    if body is not None:
        try:
            clues_api.accept_referral(clue_id, body, services, membership(request), permission)
        except DomainError as error:
            if error.status == 404:
                raise
            problem = {"_form": error.message}
        else:
            return RedirectResponse(f"/group/clues/{clue_id}?recorded=clue_accepted", status_code=303)
    found = await clues_api.intake_queue(read_models=read_models, response=Response(), page=PageRequest(),
                                         after={}, permission=grant(permission.principal, "clues.intake_queue",
                                                                    listing=True))
    return _intake_page(request, permission, found.items, found.next_cursor, form={clue_id: form},
                        errors={clue_id: problem}, status_code=422)


@router.post("/group/clues/{clue_id}/assessment", response_class=HTMLResponse)
async def assessment(request: Request, clue_id: Id, services: Services,
                     permission: Permission = require("clues.work")) -> Response:
    """An assessment note (研判), the political analysis first (`POST /api/clues/clues/{id}/assessments`)."""
    return await _clue_command(request, services, permission, clue_id, "clue_assessment", ClueAssessmentBody,
                               NoteAssessment)


@router.post("/group/clues/{clue_id}/inquiry", response_class=HTMLResponse)
async def inquiry(request: Request, clue_id: Id, services: Services,
                  permission: Permission = require("clues.work")) -> Response:
    """A talk held or a letter of inquiry sent (`POST /api/clues/clues/{id}/inquiry`)."""
    return await _clue_command(request, services, permission, clue_id, "clue_inquiry", ClueInquiryBody,
                               RecordInquiry)


@router.post("/group/clues/{clue_id}/inquiry-reply", response_class=HTMLResponse)
async def inquiry_reply(request: Request, clue_id: Id, services: Services,
                        permission: Permission = require("clues.work")) -> Response:
    """The answer to the letter of inquiry (`POST /api/clues/clues/{id}/inquiry-reply`)."""
    return await _clue_command(request, services, permission, clue_id, "clue_reply", InquiryReplyBody,
                               RecordInquiryReply)


@router.post("/group/clues/{clue_id}/verification", response_class=HTMLResponse)
async def verification(request: Request, clue_id: Id, services: Services,
                       permission: Permission = require("clues.work")) -> Response:
    """The preliminary verification report (`POST /api/clues/clues/{id}/verification`)."""
    def prepare(form: dict[str, Any]) -> dict[str, Any]:
        return {**form, "substantiated": form.get("substantiated") == "yes"}

    return await _clue_command(request, services, permission, clue_id, "clue_verification", ClueVerificationBody,
                               RecordVerification, prepare)


@router.post("/group/clues/{clue_id}/conclusion", response_class=HTMLResponse)
async def conclusion(request: Request, clue_id: Id, services: Services,
                     permission: Permission = require("clues.decide")) -> Response:
    """Case filing or closure, with the four forms (`POST /api/clues/clues/{id}/conclusion`)."""
    return await _clue_command(request, services, permission, clue_id, "clue_conclusion", ClueConclusionBody,
                               ConcludeClue)
