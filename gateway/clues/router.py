"""Clues routes: the service decides every action on a clue by its compartment; outside it, the clue does not exist.

Each route declares its permission and hands the operation to the service, which loads the clue and checks
the caller against it (`Clue.access_scope`): an outsider gets the 404 a missing clue gets, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from fastapi import APIRouter, Query

from authz import Permission
from authz.rules_clues import group_leader_of
from gateway.accounts import ACCOUNTS, ORGS
from gateway.deps import Services
from gateway.errors import API_ERRORS
from gateway.permissions import require
from gateway.routes import operation_route
from services.clues.interface import (
    AcceptReferral,
    AcceptReferralBody,
    AddDocument,
    AddMember,
    ClueAssessmentBody,
    ClueBody,
    ClueConclusionBody,
    ClueDocumentBody,
    ClueFacts,
    ClueInquiryBody,
    ClueReadBody,
    ClueReasonBody,
    ClueRecorded,
    ClueScreeningBody,
    ClueStatistics,
    ClueVerificationBody,
    CompartmentMemberBody,
    ConcludeClue,
    ConcludeJointScreening,
    DecideDisposition,
    DirectoryEntry,
    DisclosedClue,
    DisclosureEntry,
    DispositionDecisionBody,
    DispositionProposalBody,
    GetClueFacts,
    GetStatistics,
    InquiryReplyBody,
    IntakeEntry,
    IntakeQueue,
    JointConclusionBody,
    JointScreeningContent,
    JointShareBody,
    ListClues,
    ListDisclosures,
    NoteAssessment,
    OverdueChecked,
    ProposeDisposition,
    ReadClue,
    ReadJointScreening,
    RecordInquiry,
    RecordInquiryReply,
    RecordOverdue,
    RecordScreening,
    RecordVerification,
    RegisterClue,
    RemoveMember,
    ReopenClue,
    ShareForJointScreening,
)
from services.common.errors import InvalidInputError

ID_PATTERN = r"^[A-Za-z0-9_.:\-]+$"
"""The pattern of `services.common.interface.Id`, for a query parameter."""

router = APIRouter(prefix="/api/clues", tags=["clues"], responses=API_ERRORS)


def directory(users: Iterable[str]) -> list[DirectoryEntry]:
    """What the accounts say about the people a command names (the clue decides who may know it)."""
    people = []
    for user in dict.fromkeys(users):
        account = ACCOUNTS.get(user)
        org = ORGS.get(account.org_id) if account is not None else None
        people.append(DirectoryEntry(user_id=user) if account is None or org is None else
                      DirectoryEntry(user_id=user, org_id=org.org_id, org_kind=org.kind, roles=list(account.roles)))
    return people


# -- intake -------------------------------------------------------------------------------------
@router.post("/clues", status_code=201)
def register_clue(body: ClueBody, services: Services,
                  permission: Permission = require("clues.register")) -> ClueRecorded:
    """Register a clue (信访举报, 审计移交, 监督发现, 上级交办) for a unit the group supervises."""
    principal = permission.principal
    group_id = principal.group_id or ""
    leader = principal.user_id if "group_leader" in principal.roles else group_leader_of(group_id)
    if leader is None:
        raise InvalidInputError("本组没有组长账号 (the group has no leader account)", code="leader_missing")
    return services.run(RegisterClue(group_id=group_id, leader=leader, directory=directory(body.assigned),
                                     **body.fields()), permission)


@router.get("/intake")
def intake_queue(services: Services, permission: Permission = require("clues.intake_queue")) -> list[IntakeEntry]:
    """Referred clues awaiting the group leader (no content)."""
    return services.run(IntakeQueue(group_id=permission.principal.group_id or ""), permission)


@router.post("/clues/{clue_id}/accept")
def accept_referral(clue_id: str, body: AcceptReferralBody, services: Services,
                    permission: Permission = require("clues.accept_referral")) -> ClueRecorded:
    """The group leader takes a referred clue in and assigns staff."""
    return services.run(AcceptReferral(clue_id=clue_id, leader=permission.principal.user_id,
                                       directory=directory(body.assigned), **body.fields()), permission)


# -- reads --------------------------------------------------------------------------------------
@router.get("/clues")
def list_clues(services: Services, permission: Permission = require("clues.list")) -> list[ClueFacts]:
    """The clues whose compartment includes me: facts only (open one to read its content)."""
    principal = permission.principal
    return services.run(ListClues(group_id=principal.group_id or "", reader=principal.user_id), permission)


operation_route(router, "GET", "/clues/{clue_id}", GetClueFacts, "clues.read")


@router.post("/clues/{clue_id}/read")
def read_clue(clue_id: str, body: ClueReadBody, services: Services,
              permission: Permission = require("clues.read")) -> DisclosedClue:
    """Read a clue's content; the read (who, when, which parts, why) is recorded in the same call."""
    return services.run(ReadClue(clue_id=clue_id, reader=permission.principal.user_id, **body.fields()),
                        permission)


@router.get("/clues/{clue_id}/disclosures")
def list_disclosures(clue_id: str, services: Services,
                     permission: Permission = require("clues.list_disclosures")) -> list[DisclosureEntry]:
    """Who read what and when: the group leader (in the compartment) and the auditor."""
    return services.run(ListDisclosures(clue_id=clue_id), permission)


@router.get("/statistics")
def statistics(services: Services, group_id: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
               permission: Permission = require("clues.statistics")) -> ClueStatistics:
    """Counts by status, category, disposition and four forms: a group its own, HQ any; never a unit."""
    principal = permission.principal
    if principal.org_kind == "group":
        group_id = principal.group_id
    return services.run(GetStatistics(group_id=group_id), permission)


# -- compartment and content ----------------------------------------------------------------------
@router.post("/clues/{clue_id}/members")
def add_member(clue_id: str, body: CompartmentMemberBody, services: Services,
               permission: Permission = require("clues.manage_compartment")) -> ClueRecorded:
    """Add someone to the compartment (the group's members, HQ or auditors only), with the reason."""
    return services.run(AddMember(clue_id=clue_id, directory=directory([body.user]), **body.fields()), permission)


@router.post("/clues/{clue_id}/members/remove")
def remove_member(clue_id: str, body: CompartmentMemberBody, services: Services,
                  permission: Permission = require("clues.manage_compartment")) -> ClueRecorded:
    return services.run(RemoveMember(clue_id=clue_id, **body.fields()), permission)


operation_route(router, "POST", "/clues/{clue_id}/documents", AddDocument,
                "clues.work", body=ClueDocumentBody)


# -- assessment, disposition, execution ---------------------------------------------------------
operation_route(router, "POST", "/clues/{clue_id}/assessments", NoteAssessment,
                "clues.work", body=ClueAssessmentBody)


operation_route(router, "POST", "/clues/{clue_id}/screenings", RecordScreening,
                "clues.work", body=ClueScreeningBody)


@router.post("/clues/{clue_id}/proposal")
def propose(clue_id: str, body: DispositionProposalBody, services: Services,
            permission: Permission = require("clues.work")) -> ClueRecorded:
    return services.run(ProposeDisposition(clue_id=clue_id, **body.fields()), permission)


operation_route(router, "POST", "/clues/{clue_id}/decision", DecideDisposition,
                "clues.decide", body=DispositionDecisionBody)


@router.post("/clues/{clue_id}/inquiry")
def record_inquiry(clue_id: str, body: ClueInquiryBody, services: Services,
                   permission: Permission = require("clues.work")) -> ClueRecorded:
    return services.run(RecordInquiry(clue_id=clue_id, **body.fields()), permission)


@router.post("/clues/{clue_id}/inquiry-reply")
def record_reply(clue_id: str, body: InquiryReplyBody, services: Services,
                 permission: Permission = require("clues.work")) -> ClueRecorded:
    return services.run(RecordInquiryReply(clue_id=clue_id, **body.fields()), permission)


@router.post("/clues/{clue_id}/verification")
def record_verification(clue_id: str, body: ClueVerificationBody, services: Services,
                        permission: Permission = require("clues.work")) -> ClueRecorded:
    return services.run(RecordVerification(clue_id=clue_id, **body.fields()), permission)


@router.post("/clues/{clue_id}/conclusion")
def conclude(clue_id: str, body: ClueConclusionBody, services: Services,
             permission: Permission = require("clues.decide")) -> ClueRecorded:
    return services.run(ConcludeClue(clue_id=clue_id, **body.fields()), permission)


@router.post("/clues/{clue_id}/reopen")
def reopen(clue_id: str, body: ClueReasonBody, services: Services,
           permission: Permission = require("clues.decide")) -> ClueRecorded:
    return services.run(ReopenClue(clue_id=clue_id, **body.fields()), permission)


# -- joint screening with the unit --------------------------------------------------------------
@router.post("/clues/{clue_id}/joint-screening")
def share_joint(clue_id: str, body: JointShareBody, services: Services,
                permission: Permission = require("clues.joint_screening")) -> ClueRecorded:
    """Share parts of a clue with the unit's discipline committee (never about the unit's leadership)."""
    return services.run(ShareForJointScreening(clue_id=clue_id, directory=directory(body.unit_users),
                                               **body.fields()), permission)


@router.post("/clues/{clue_id}/joint-screening/conclusion")
def conclude_joint(clue_id: str, body: JointConclusionBody, services: Services,
                   permission: Permission = require("clues.joint_screening")) -> ClueRecorded:
    return services.run(ConcludeJointScreening(clue_id=clue_id, **body.fields()), permission)


@router.post("/clues/{clue_id}/joint-screening/read")
def read_joint(clue_id: str, body: ClueReasonBody, services: Services,
               permission: Permission = require("clues.read_joint_screening")) -> JointScreeningContent:
    """An invited discipline-committee user reads the shared parts (recorded); nobody else learns anything."""
    return services.run(ReadJointScreening(clue_id=clue_id, reader=permission.principal.user_id,
                                           **body.fields()), permission)


@router.post("/overdue-check")
def record_overdue(services: Services, permission: Permission = require("clues.record_overdue")) -> OverdueChecked:
    """Run the overdue scheduler now (it is idempotent: each passed deadline is recorded once)."""
    result = services.run(RecordOverdue(), permission)
    return OverdueChecked(clues=len(result.clues), recommendations=len(result.recommendations),
                          position=result.position)


# The recommendation routes live in their own module and register on this router.
from gateway.clues import recommendations as _recommendations  # noqa: E402,F401
