"""Clues routes: the service decides every action on a clue by its compartment; outside it, the clue does not exist.

Each route declares its permission and hands the operation to the service, which loads the clue and checks
the caller against it (`Clue.access_scope`): an outsider gets the 404 a missing clue gets, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from authz import Permission
from authz.rules_clues import group_leader_of
from gateway.deps import Membership, ReadModels, Services
from gateway.errors import API_ERRORS
from gateway.permissions import require
from gateway.reads import After, Answer, ListPage, Paging, answer
from gateway.routes import operation_route
from projections.clue_queue import view as clue_view
from projections.common.query import sort_named
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
    InquiryReplyBody,
    IntakeEntry,
    JointConclusionBody,
    JointScreeningContent,
    JointShareBody,
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
    Status,
)
from services.common.errors import InvalidInputError

ID_PATTERN = r"^[A-Za-z0-9_.:\-]+$"
"""The pattern of `services.common.interface.Id`, for a query parameter."""

router = APIRouter(prefix="/api/clues", tags=["clues"], responses=API_ERRORS)


def directory(users: Iterable[str], membership: Membership, group_id: str | None) -> list[DirectoryEntry]:
    """What the membership says about the people a command names (the clue decides who may know it).

    Someone who belongs to several organisations is described by their membership of the clue's group if any."""
    named = list(dict.fromkeys(users))
    known = membership.people(named, prefer_org=group_id)
    people = []
    for user in named:
        found = known.get(user)
        people.append(DirectoryEntry(user_id=user) if found is None else DirectoryEntry(
            user_id=user, org_id=found[1].org_id, org_kind=found[1].kind, roles=list(found[0].roles)))
    return people


# -- intake -------------------------------------------------------------------------------------
@router.post("/clues", status_code=201)
def register_clue(body: ClueBody, services: Services, membership: Membership,
                  permission: Permission = require("clues.register")) -> ClueRecorded:
    """Register a clue (信访举报, 审计移交, 监督发现, 上级交办) for a unit the group supervises."""
    principal = permission.principal
    group_id = principal.group_id or ""
    leader = (principal.user_id if "group_leader" in principal.roles
              else group_leader_of(group_id, membership.members_of(group_id)))
    if leader is None:
        raise InvalidInputError("本组没有组长账号 (the group has no leader account)", code="leader_missing")
    return services.run(RegisterClue(group_id=group_id, leader=leader, directory=directory(body.assigned, membership, group_id),
                                     **body.fields()), permission)


@router.get("/intake")
async def intake_queue(read_models: ReadModels, response: Response, page: Paging, after: After,
                       permission: Permission = require("clues.intake_queue", listing=True),
                       ) -> ListPage[IntakeEntry]:
    """Referred clues awaiting the group leader (no content), oldest first, from the clue queue."""
    found, freshness = await answer(read_models, response, "clue_queue", after,
                                    lambda tx: clue_view.intake_queue(tx, permission.principal, page))
    return ListPage[IntakeEntry](items=[IntakeEntry.model_validate(r) for r in found.rows],
                                 next_cursor=found.next_cursor, freshness=freshness)


@router.post("/clues/{clue_id}/accept")
def accept_referral(clue_id: str, body: AcceptReferralBody, services: Services, membership: Membership,
                    permission: Permission = require("clues.accept_referral")) -> ClueRecorded:
    """The group leader takes a referred clue in and assigns staff."""
    return services.run(AcceptReferral(clue_id=clue_id, leader=permission.principal.user_id,
                                       directory=directory(body.assigned, membership, permission.principal.group_id),
                                       **body.fields()), permission)


# -- reads --------------------------------------------------------------------------------------
@router.get("/clues")
async def list_clues(
    read_models: ReadModels, response: Response, page: Paging, after: After,
    status: Annotated[Status | None, Query(description="按状态 (by status)")] = None,
    unit_id: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
    sort: Annotated[str, Query(description=f"排序 (sort): {', '.join(clue_view.CLUE_SORTS)}")] = "-received_on",
    permission: Permission = require("clues.list", listing=True),
) -> ListPage[ClueFacts]:
    """The clues whose compartment includes me: facts only (open one to read its content), from the clue queue."""
    chosen = sort_named(clue_view.CLUE_SORTS, sort, "-received_on")
    filters = clue_view.ClueFilters(status=status, unit_id=unit_id)
    found, freshness = await answer(read_models, response, "clue_queue", after,
                                    lambda tx: clue_view.list_clues(tx, permission.principal, filters, chosen, page))
    return ListPage[ClueFacts](items=[ClueFacts.model_validate(r) for r in found.rows],
                               next_cursor=found.next_cursor, freshness=freshness)


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
async def statistics(read_models: ReadModels, response: Response, after: After,
                     group_id: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
                     permission: Permission = require("clues.statistics", listing=True)) -> Answer[ClueStatistics]:
    """Counts by status, category, disposition and four forms (`none`: not yet decided or concluded).

    A group member counts only the clues whose compartment includes them (no count reveals one they may not
    read); HQ and the auditor count every group's; never a unit."""
    principal = permission.principal
    if principal.org_kind == "group":
        group_id = principal.group_id
    figures, freshness = await answer(read_models, response, "clue_queue", after,
                                      lambda tx: clue_view.clue_figures(tx, principal, group_id=group_id))
    return Answer[ClueStatistics](item=statistics_of(group_id, figures), freshness=freshness)


def statistics_of(group_id: str | None, figures: dict[str, dict[str, Any]]) -> ClueStatistics:
    """The figures of one group, or the sum over every group."""
    total = clue_view.sum_figures(figures)
    return ClueStatistics(group_id=group_id, total=total["total"], status=total["status"],
                          category=total["category"], disposition=total["disposition"],
                          four_forms=total["four_forms"])


# -- compartment and content ----------------------------------------------------------------------
@router.post("/clues/{clue_id}/members")
def add_member(clue_id: str, body: CompartmentMemberBody, services: Services, membership: Membership,
               permission: Permission = require("clues.manage_compartment")) -> ClueRecorded:
    """Add someone to the compartment (the group's members, HQ or auditors only), with the reason."""
    people = directory([body.user], membership, permission.principal.group_id)
    return services.run(AddMember(clue_id=clue_id, directory=people, **body.fields()), permission)


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
def share_joint(clue_id: str, body: JointShareBody, services: Services, membership: Membership,
                permission: Permission = require("clues.joint_screening")) -> ClueRecorded:
    """Share parts of a clue with the unit's discipline committee (never about the unit's leadership)."""
    return services.run(ShareForJointScreening(clue_id=clue_id, directory=directory(body.unit_users, membership, None),
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
