"""Inspections routes: rounds (before / during / after), their requests, findings and look-backs.

Each route declares its permission; the service checks the round with the command (a team sees a round
only while it is open and only its members; a closed round, for its team, no longer exists).
Briefing packages are in packages.py, supervision activities in activities.py.
"""

from __future__ import annotations

from fastapi import APIRouter

import authz
from authz import Permission
from gateway.deps import Services
from gateway.errors import API_ERRORS
from gateway.inspections.activities import router as activities_router
from gateway.inspections.handoff import router as handoff_router
from gateway.inspections.packages import router as packages_router
from gateway.permissions import require
from gateway.routes import operation_route
from services.common.interface import Id, Result
from services.inspections.interface import (
    AnswerBody,
    AnswerInformation,
    ChangeRoundMembers,
    CheckDeadlines,
    CloseBody,
    CloseRound,
    ClueContent,
    ClueHandOverBody,
    CompleteLookBack,
    FindingBody,
    GetRound,
    HandOverClue,
    HandOverFinding,
    InformationRequestBody,
    LookBackBody,
    LookBackConclusion,
    MembersBody,
    OpenRound,
    ProgressBody,
    RecordFinding,
    RecordRectificationProgress,
    RecordRound,
    ReferClue,
    RequestInformation,
    ScheduleLookBack,
)
from services.inspections.results import ItemRecorded, LookBackRecorded, RequestRecorded

router = APIRouter(prefix="/api/inspections", tags=["inspections"], responses=API_ERRORS)
router.include_router(handoff_router)
router.include_router(packages_router)
router.include_router(activities_router)


def side_of(principal: authz.Principal) -> str:
    return "team" if principal.org_kind == "inspection_team" else "group"


# -- rounds ------------------------------------------------------------------------------------
operation_route(router, "POST", "/rounds", RecordRound,
                "inspections.record_round", body=RecordRound, status_code=201)


operation_route(router, "GET", "/rounds/{round_id}", GetRound, "inspections.read_round")


operation_route(router, "POST", "/rounds/{round_id}/open", OpenRound, "inspections.open_round")


operation_route(router, "POST", "/rounds/{round_id}/close", CloseRound,
                "inspections.close_round", body=CloseBody)


operation_route(router, "POST", "/rounds/{round_id}/members", ChangeRoundMembers,
                "inspections.change_round_members", body=MembersBody)


operation_route(router, "POST", "/rounds/{round_id}/handed-over-clues", HandOverClue,
                "inspections.hand_over_clue", body=ClueHandOverBody, status_code=201)


# -- during ------------------------------------------------------------------------------------
operation_route(router, "POST", "/rounds/{round_id}/referrals", ReferClue,
                "inspections.refer_clue", body=ClueContent, status_code=201)


@router.post("/rounds/{round_id}/requests", status_code=201)
def request_information(round_id: Id, body: InformationRequestBody, services: Services,
                        permission: Permission = require("inspections.request_information")) -> RequestRecorded:
    """A request for information to the other side (team -> group or group -> team), with a deadline."""
    direction = "team_to_group" if side_of(permission.principal) == "team" else "group_to_team"
    return services.run(RequestInformation(round_id=round_id, direction=direction, **body.fields()), permission)


@router.post("/rounds/{round_id}/requests/{request_id}/answer")
def answer_information(round_id: Id, request_id: Id, body: AnswerBody, services: Services,
                       permission: Permission = require("inspections.answer_information")) -> RequestRecorded:
    """Answer a request addressed to one's own side."""
    return services.run(AnswerInformation(round_id=round_id, request_id=request_id,
                                          side=side_of(permission.principal), **body.fields()), permission)


# -- after -------------------------------------------------------------------------------------
operation_route(router, "POST", "/rounds/{round_id}/findings", RecordFinding,
                "inspections.record_finding", body=FindingBody, status_code=201)


operation_route(router, "POST", "/rounds/{round_id}/findings/{finding_id}/hand-over", HandOverFinding,
                "inspections.hand_over_finding")


@router.post("/rounds/{round_id}/items/{item_id}/progress", status_code=201)
def record_progress(round_id: Id, item_id: Id, body: ProgressBody, services: Services,
                    permission: Permission = require("inspections.record_rectification_progress")) -> ItemRecorded:
    """The group records progress of a rectification item."""
    return services.run(RecordRectificationProgress(round_id=round_id, item_id=item_id, **body.fields()),
                        permission)


@router.post("/rounds/{round_id}/look-backs", status_code=201)
def schedule_look_back(round_id: Id, body: LookBackBody, services: Services,
                       permission: Permission = require("inspections.schedule_look_back")) -> LookBackRecorded:
    """Schedule a look-back (回头看) of the round's rectification."""
    return services.run(ScheduleLookBack(round_id=round_id, **body.fields()), permission)


@router.post("/rounds/{round_id}/look-backs/{look_back_id}/complete")
def complete_look_back(round_id: Id, look_back_id: Id, body: LookBackConclusion, services: Services,
                       permission: Permission = require("inspections.complete_look_back")) -> LookBackRecorded:
    """Record the look-back's conclusion; items whose rectification was not real are reopened."""
    return services.run(CompleteLookBack(round_id=round_id, look_back_id=look_back_id, **body.fields()),
                        permission)


class OverdueCount(Result):
    overdue: int
    position: int


@router.post("/deadlines/check")
def check_deadlines(services: Services,
                    permission: Permission = require("inspections.check_deadlines")) -> OverdueCount:
    """Run the overdue scheduler now (it also runs periodically): how many were marked overdue."""
    result = services.run(CheckDeadlines(), permission)
    return OverdueCount(overdue=len(result.overdue), position=result.position)

