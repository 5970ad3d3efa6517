"""Clues routes: every action on a clue is guarded by its compartment; outside it, the clue does not exist."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

import authz
from authz import AUDIT_ROLES, Principal
from authz.rules_clues import group_leader_of, joint_screening_users_allowed, may_join_compartment
from gateway.clues import schemas as s
from gateway.deps import CurrentPrincipal, Services
from services.common.errors import InvalidInputError

router = APIRouter(prefix="/api/clues", tags=["clues"])

Result = dict[str, Any]


def guarded(services: Services, principal: Principal, clue_id: str, action: str) -> Result:
    """The clue's access facts once the principal passed the compartment check (404 for everyone else)."""
    access: Result = services.query("clues", "clue_access", principal, clue_id=clue_id)
    authz.require(principal, action, hide=True, group_id=access["group_id"], unit_id=access["unit_id"],
                  compartment=access["members"])
    return access


def call(services: Services, principal: Principal, command: str, **kwargs: Any) -> Result:
    result: Result = services.call("clues", command, principal, **kwargs)
    return result


def check_compartment_users(users: list[str], group_id: str) -> None:
    refused = [u for u in users if not may_join_compartment(u, group_id)]
    if refused:
        raise InvalidInputError(
            f"只能由本组人员或委机关人员知悉线索 (only the group's members, HQ or auditors may know a clue): "
            f"{', '.join(refused)}",
            code="not_allowed_in_compartment",
        )


# -- intake -------------------------------------------------------------------------------------
@router.post("/clues", status_code=201)
def register_clue(body: s.ClueCreate, principal: CurrentPrincipal, services: Services) -> Result:
    """Register a clue (信访举报, 审计移交, 监督发现, 上级交办) for a unit the group supervises."""
    authz.require(principal, "clues.register", unit_id=body.unit_id)
    group_id = principal.group_id or ""
    leader = principal.user_id if "group_leader" in principal.roles else group_leader_of(group_id)
    if leader is None:
        raise InvalidInputError("本组没有组长账号 (the group has no leader account)", code="leader_missing")
    check_compartment_users(body.assigned, group_id)
    values = body.model_dump(mode="json")
    return call(services, principal, "register_clue", group_id=group_id, leader=leader, **values)


@router.get("/intake")
def intake_queue(principal: CurrentPrincipal, services: Services) -> list[Result]:
    """Referred clues awaiting the group leader (no content)."""
    authz.require(principal, "clues.intake_queue", group_id=principal.group_id)
    result: list[Result] = services.query("clues", "intake_queue", principal, group_id=principal.group_id)
    return result


@router.post("/clues/{clue_id}/accept")
def accept_referral(clue_id: str, body: s.AcceptReferral, principal: CurrentPrincipal, services: Services) -> Result:
    access: Result = services.query("clues", "clue_access", principal, clue_id=clue_id)
    authz.require(principal, "clues.accept_referral", hide=True, group_id=access["group_id"],
                  unit_id=access["unit_id"])
    check_compartment_users(body.assigned, access["group_id"])
    return call(services, principal, "accept_referral", clue_id=clue_id, leader=principal.user_id,
                assigned=body.assigned)


# -- reads --------------------------------------------------------------------------------------
@router.get("/clues")
def list_clues(principal: CurrentPrincipal, services: Services) -> list[Result]:
    """The clues whose compartment includes me: facts only (open one to read its content)."""
    authz.require(principal, "clues.list", group_id=principal.group_id)
    result: list[Result] = services.query("clues", "list_clues", principal, group_id=principal.group_id,
                                          reader=principal.user_id)
    return result


@router.get("/clues/{clue_id}")
def clue_facts(clue_id: str, principal: CurrentPrincipal, services: Services) -> Result:
    """Status, disposition, deadlines of one clue (no content, so no disclosure)."""
    guarded(services, principal, clue_id, "clues.read")
    result: Result = services.query("clues", "get_clue_facts", principal, clue_id=clue_id)
    return result


@router.post("/clues/{clue_id}/read")
def read_clue(clue_id: str, body: s.ReadRequest, principal: CurrentPrincipal, services: Services) -> Result:
    """Read a clue's content; the read (who, when, which parts, why) is recorded in the same call."""
    guarded(services, principal, clue_id, "clues.read")
    return call(services, principal, "read_clue", clue_id=clue_id, reader=principal.user_id,
                reason=body.reason, parts=body.parts)


@router.get("/clues/{clue_id}/disclosures")
def list_disclosures(clue_id: str, principal: CurrentPrincipal, services: Services) -> list[Result]:
    """Who read what and when: the group leader (in the compartment) and the auditor."""
    access: Result = services.query("clues", "clue_access", principal, clue_id=clue_id)
    auditor = principal.has_any(AUDIT_ROLES)
    authz.require(principal, "clues.list_disclosures", hide=True, group_id=access["group_id"],
                  unit_id=access["unit_id"], compartment=None if auditor else access["members"])
    result: list[Result] = services.query("clues", "list_disclosures", principal, clue_id=clue_id)
    return result


@router.get("/statistics")
def statistics(principal: CurrentPrincipal, services: Services, group_id: str | None = None) -> Result:
    """Counts by status, category, disposition and four forms: a group its own, HQ any; never a unit."""
    authz.require(principal, "clues.statistics")
    if principal.org_kind == "group":
        group_id = principal.group_id
    result: Result = services.query("clues", "statistics", principal, group_id=group_id)
    return result


# -- assessment, disposition, execution ---------------------------------------------------------
@router.post("/clues/{clue_id}/members")
def add_member(clue_id: str, body: s.MemberChange, principal: CurrentPrincipal, services: Services) -> Result:
    access = guarded(services, principal, clue_id, "clues.manage_compartment")
    check_compartment_users([body.user], access["group_id"])
    return call(services, principal, "add_member", clue_id=clue_id, **body.model_dump())


@router.post("/clues/{clue_id}/members/remove")
def remove_member(clue_id: str, body: s.MemberChange, principal: CurrentPrincipal, services: Services) -> Result:
    guarded(services, principal, clue_id, "clues.manage_compartment")
    return call(services, principal, "remove_member", clue_id=clue_id, **body.model_dump())


@router.post("/clues/{clue_id}/documents")
def add_document(clue_id: str, body: s.DocumentRef, principal: CurrentPrincipal, services: Services) -> Result:
    guarded(services, principal, clue_id, "clues.work")
    return call(services, principal, "add_document", clue_id=clue_id, **body.model_dump())


@router.post("/clues/{clue_id}/assessments")
def note_assessment(clue_id: str, body: s.Assessment, principal: CurrentPrincipal, services: Services) -> Result:
    guarded(services, principal, clue_id, "clues.work")
    return call(services, principal, "note_assessment", clue_id=clue_id, **body.model_dump())


@router.post("/clues/{clue_id}/screenings")
def record_screening(clue_id: str, body: s.Screening, principal: CurrentPrincipal, services: Services) -> Result:
    guarded(services, principal, clue_id, "clues.work")
    return call(services, principal, "record_screening", clue_id=clue_id, **body.model_dump(mode="json"))


@router.post("/clues/{clue_id}/proposal")
def propose(clue_id: str, body: s.Proposal, principal: CurrentPrincipal, services: Services) -> Result:
    guarded(services, principal, clue_id, "clues.work")
    return call(services, principal, "propose_disposition", clue_id=clue_id, **body.model_dump())


@router.post("/clues/{clue_id}/decision")
def decide(clue_id: str, body: s.Decision, principal: CurrentPrincipal, services: Services) -> Result:
    guarded(services, principal, clue_id, "clues.decide")
    return call(services, principal, "decide_disposition", clue_id=clue_id, **body.model_dump())


@router.post("/clues/{clue_id}/inquiry")
def record_inquiry(clue_id: str, body: s.Inquiry, principal: CurrentPrincipal, services: Services) -> Result:
    guarded(services, principal, clue_id, "clues.work")
    return call(services, principal, "record_inquiry", clue_id=clue_id, **body.model_dump(mode="json"))


@router.post("/clues/{clue_id}/inquiry-reply")
def record_reply(clue_id: str, body: s.InquiryReply, principal: CurrentPrincipal, services: Services) -> Result:
    guarded(services, principal, clue_id, "clues.work")
    return call(services, principal, "record_inquiry_reply", clue_id=clue_id, **body.model_dump(mode="json"))


@router.post("/clues/{clue_id}/verification")
def record_verification(clue_id: str, body: s.Verification, principal: CurrentPrincipal,
                        services: Services) -> Result:
    guarded(services, principal, clue_id, "clues.work")
    return call(services, principal, "record_verification", clue_id=clue_id, **body.model_dump(mode="json"))


@router.post("/clues/{clue_id}/conclusion")
def conclude(clue_id: str, body: s.Conclusion, principal: CurrentPrincipal, services: Services) -> Result:
    guarded(services, principal, clue_id, "clues.decide")
    return call(services, principal, "conclude_clue", clue_id=clue_id, **body.model_dump())


@router.post("/clues/{clue_id}/reopen")
def reopen(clue_id: str, body: s.ReasonBody, principal: CurrentPrincipal, services: Services) -> Result:
    guarded(services, principal, clue_id, "clues.decide")
    return call(services, principal, "reopen_clue", clue_id=clue_id, reason=body.reason)


# -- joint screening with the unit --------------------------------------------------------------
@router.post("/clues/{clue_id}/joint-screening")
def share_joint(clue_id: str, body: s.JointShare, principal: CurrentPrincipal, services: Services) -> Result:
    access = guarded(services, principal, clue_id, "clues.joint_screening")
    if not joint_screening_users_allowed(body.unit_users, access["unit_id"]):
        raise InvalidInputError(
            "联合排查只与驻在单位机关纪委人员进行 (joint screening only with the unit's discipline committee)",
            code="not_discipline_committee",
        )
    return call(services, principal, "share_for_joint_screening", clue_id=clue_id, **body.model_dump())


@router.post("/clues/{clue_id}/joint-screening/conclusion")
def conclude_joint(clue_id: str, body: s.JointConclusion, principal: CurrentPrincipal,
                   services: Services) -> Result:
    guarded(services, principal, clue_id, "clues.joint_screening")
    return call(services, principal, "conclude_joint_screening", clue_id=clue_id, conclusion=body.conclusion)


@router.post("/clues/{clue_id}/joint-screening/read")
def read_joint(clue_id: str, body: s.ReasonBody, principal: CurrentPrincipal, services: Services) -> Result:
    """An invited discipline-committee user reads the shared parts (recorded); nobody else learns anything."""
    access: Result = services.query("clues", "clue_access", principal, clue_id=clue_id)
    authz.require(principal, "clues.read_joint_screening", hide=True, unit_id=access["unit_id"],
                  compartment=access["joint_readers"])
    return call(services, principal, "read_joint_screening", clue_id=clue_id, reader=principal.user_id,
                reason=body.reason)


@router.post("/overdue-check")
def record_overdue(principal: CurrentPrincipal, services: Services) -> Result:
    """Run the overdue scheduler now (it is idempotent: each passed deadline is recorded once)."""
    authz.require(principal, "clues.record_overdue")
    result = call(services, principal, "record_overdue")
    return {"clues": len(result["clues"]), "recommendations": len(result["recommendations"]),
            "position": result["position"]}


# The recommendation routes live in their own module and register on this router.
from gateway.clues import recommendations as _recommendations  # noqa: E402,F401
