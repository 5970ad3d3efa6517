"""Group workbench, a clue's page: who is in its compartment (the leader adds and removes members, with the
reason) and joint screening with the unit's discipline committee (the leader shares some parts, then records
the conclusion). The same commands as `POST /api/clues/clues/{id}/members`, `.../members/remove`,
`.../joint-screening` and `.../joint-screening/conclusion`, under their permissions; the clue's page itself is
its compartment's only (`clues.read`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from authz import Permission
from gateway.clues.router import directory
from gateway.deps import Services, membership
from gateway.permissions import require
from gateway.web.group import _clue_command
from services.clues.interface import (
    AddMember,
    CompartmentMemberBody,
    ConcludeJointScreening,
    JointConclusionBody,
    JointShareBody,
    RemoveMember,
    ShareForJointScreening,
)
from services.common.interface import Id

router = APIRouter(include_in_schema=False)


@router.post("/group/clues/{clue_id}/members", response_class=HTMLResponse)
async def add_member(request: Request, clue_id: Id, services: Services,
                     permission: Permission = require("clues.manage_compartment")) -> Response:
    def command(**fields: Any) -> AddMember:
        people = directory([fields["user"]], membership(request), permission.principal.group_id)
        return AddMember(directory=people, **fields)

    return await _clue_command(request, services, permission, clue_id, "member_added", CompartmentMemberBody,
                               command)


@router.post("/group/clues/{clue_id}/members/remove", response_class=HTMLResponse)
async def remove_member(request: Request, clue_id: Id, services: Services,
                        permission: Permission = require("clues.manage_compartment")) -> Response:
    return await _clue_command(request, services, permission, clue_id, "member_removed", CompartmentMemberBody,
                               RemoveMember)


@router.post("/group/clues/{clue_id}/joint-screening", response_class=HTMLResponse)
async def share(request: Request, clue_id: Id, services: Services,
                permission: Permission = require("clues.joint_screening")) -> Response:
    def command(**fields: Any) -> ShareForJointScreening:
        return ShareForJointScreening(directory=directory(fields["unit_users"], membership(request), None), **fields)

    return await _clue_command(request, services, permission, clue_id, "joint_shared", JointShareBody, command,
                               lists=("unit_users", "parts"))


@router.post("/group/clues/{clue_id}/joint-screening/conclusion", response_class=HTMLResponse)
async def conclude(request: Request, clue_id: Id, services: Services,
                   permission: Permission = require("clues.joint_screening")) -> Response:
    return await _clue_command(request, services, permission, clue_id, "joint_concluded", JointConclusionBody,
                               ConcludeJointScreening)
