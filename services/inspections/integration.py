"""Inspections domain events -> published integration events (texts of questions and findings stay private)."""

from __future__ import annotations

from typing import Any

from events import inspections as contracts
from services.common.integration import IntegrationMapper, Published
from services.inspections.activities import SupervisionActivity
from services.inspections.domainmodel import InspectionRound

mapper = IntegrationMapper("inspections")


def _round_id(event: Any) -> str:
    return str(event.originator_id)


@mapper.maps(InspectionRound.Recorded, publishes=contracts.RoundRecorded)
def round_recorded(event: Any) -> Published:
    return Published(
        contracts.RoundRecorded(
            round_id=_round_id(event), title=event.title, team_id=event.team_id,
            member_ids=list(event.member_ids),
            before_start=event.before_start, before_end=event.before_end,
            during_start=event.during_start, during_end=event.during_end,
            after_start=event.after_start, after_end=event.after_end,
        )
    )


@mapper.maps(InspectionRound.Opened, publishes=contracts.RoundOpened)
def round_opened(event: Any) -> Published:
    return Published(contracts.RoundOpened(round_id=_round_id(event)))


@mapper.maps(InspectionRound.Closed, publishes=contracts.RoundClosed)
def round_closed(event: Any) -> Published:
    return Published(contracts.RoundClosed(round_id=_round_id(event)))


@mapper.maps(InspectionRound.MembersChanged, publishes=contracts.RoundMembersChanged)
def members_changed(event: Any) -> Published:
    return Published(contracts.RoundMembersChanged(round_id=_round_id(event), member_ids=list(event.member_ids)))


@mapper.maps(InspectionRound.BriefingPackageFrozen, publishes=contracts.BriefingPackageFrozen)
def package_frozen(event: Any) -> Published:
    return Published(
        contracts.BriefingPackageFrozen(
            round_id=_round_id(event), package_id=event.package_id,
            positions=dict(event.positions), content_hash=event.content_hash,
        )
    )


@mapper.maps(InspectionRound.ClueHandedOver, publishes=contracts.ClueHandedOver)
def clue_handed_over(event: Any) -> Published:
    return Published(contracts.ClueHandedOver(round_id=_round_id(event), clue_id=event.clue_id))


@mapper.maps(InspectionRound.ClueReferred, publishes=contracts.ClueReferred)
def clue_referred(event: Any) -> Published:
    # only the sealed token travels; the content hash stays in the store (it could confirm a guess)
    return Published(
        contracts.ClueReferred(
            referral_id=event.referral_id, round_id=_round_id(event), activity_id=None,
            sealed_content=event.sealed_content,
        )
    )


@mapper.maps(InspectionRound.InformationRequested, publishes=contracts.InformationRequested)
def information_requested(event: Any) -> Published:
    return Published(
        contracts.InformationRequested(
            request_id=event.request_id, round_id=_round_id(event), direction=event.direction,
            deadline=event.deadline,
        )
    )


@mapper.maps(InspectionRound.InformationAnswered, publishes=contracts.InformationAnswered)
def information_answered(event: Any) -> Published:
    return Published(contracts.InformationAnswered(request_id=event.request_id, round_id=_round_id(event)))


@mapper.maps(InspectionRound.InformationRequestOverdue, publishes=contracts.InformationRequestOverdue)
def request_overdue(event: Any) -> Published:
    return Published(
        contracts.InformationRequestOverdue(
            request_id=event.request_id, round_id=_round_id(event), deadline=event.deadline
        )
    )


@mapper.maps(InspectionRound.FindingHandedOver, publishes=contracts.RectificationItemHandedOver)
def round_item_handed_over(event: Any) -> Published:
    return Published(
        contracts.RectificationItemHandedOver(
            item_id=event.finding_id, round_id=_round_id(event), activity_id=None,
            title=event.title, description=event.description, problem_type=event.problem_type,
            responsible_department=event.responsible_department, deadline=event.deadline,
        )
    )


@mapper.maps(InspectionRound.RectificationProgressRecorded, publishes=contracts.RectificationProgressRecorded)
def progress_recorded(event: Any) -> Published:
    return Published(
        contracts.RectificationProgressRecorded(
            item_id=event.finding_id, round_id=_round_id(event), completed=event.completed, source=event.source
        )
    )


@mapper.maps(InspectionRound.RectificationItemOverdue, publishes=contracts.RectificationItemOverdue)
def item_overdue(event: Any) -> Published:
    return Published(
        contracts.RectificationItemOverdue(
            item_id=event.finding_id, round_id=_round_id(event), deadline=event.deadline
        )
    )


@mapper.maps(InspectionRound.LookBackScheduled, publishes=contracts.LookBackScheduled)
def look_back_scheduled(event: Any) -> Published:
    return Published(
        contracts.LookBackScheduled(look_back_id=event.look_back_id, round_id=_round_id(event), due_on=event.due_on)
    )


@mapper.maps(InspectionRound.LookBackCompleted, publishes=contracts.LookBackCompleted)
def look_back_completed(event: Any) -> Published:
    return Published(
        contracts.LookBackCompleted(
            look_back_id=event.look_back_id, round_id=_round_id(event), reopened_item_ids=list(event.reopened)
        )
    )


@mapper.maps(SupervisionActivity.Planned, publishes=contracts.SupervisionActivityPlanned)
def activity_planned(event: Any) -> Published:
    return Published(
        contracts.SupervisionActivityPlanned(
            activity_id=str(event.originator_id), kind=event.kind, title=event.title,
            methods=list(event.methods), start_on=event.start_on, end_on=event.end_on,
            leader_id=event.leader_id, hq_offices=list(event.hq_offices),
            directive_id=getattr(event, "directive_id", None), stage=getattr(event, "stage", None),
        )
    )


@mapper.maps(SupervisionActivity.Started, publishes=contracts.SupervisionActivityStarted)
def activity_started(event: Any) -> Published:
    return Published(
        contracts.SupervisionActivityStarted(activity_id=str(event.originator_id), started_on=event.started_on)
    )


@mapper.maps(SupervisionActivity.WorkRecorded, publishes=contracts.SupervisionWorkRecorded)
def activity_work(event: Any) -> Published:
    return Published(contracts.SupervisionWorkRecorded(
        activity_id=str(event.originator_id), method=event.method, held_on=event.held_on,
        participant_count=len(event.participant_ids),
    ))


@mapper.maps(SupervisionActivity.FindingRecorded, publishes=contracts.SupervisionFindingRecorded)
def activity_finding(event: Any) -> Published:
    return Published(
        contracts.SupervisionFindingRecorded(activity_id=str(event.originator_id), finding_id=event.finding_id)
    )


@mapper.maps(SupervisionActivity.FindingHandedOver, publishes=contracts.RectificationItemHandedOver)
def activity_item_handed_over(event: Any) -> Published:
    return Published(
        contracts.RectificationItemHandedOver(
            item_id=event.finding_id, round_id=None, activity_id=str(event.originator_id),
            title=event.title, description=event.description, problem_type=event.problem_type,
            responsible_department=event.responsible_department, deadline=event.deadline,
        )
    )


@mapper.maps(SupervisionActivity.FindingReferredAsClue, publishes=contracts.ClueReferred)
def activity_clue_referred(event: Any) -> Published:
    return Published(
        contracts.ClueReferred(
            referral_id=event.finding_id, round_id=None, activity_id=str(event.originator_id),
            sealed_content=event.sealed_content,
        )
    )


@mapper.maps(SupervisionActivity.Completed, publishes=contracts.SupervisionActivityCompleted)
def activity_completed(event: Any) -> Published:
    return Published(
        contracts.SupervisionActivityCompleted(
            activity_id=str(event.originator_id), completed_on=event.completed_on, findings=event.findings
        )
    )
