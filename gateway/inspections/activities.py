"""Supervision-activity routes (嵌入式, 跟踪式, 点穴式, 联合监督, 定期会商, 专项督促检查)."""

from __future__ import annotations

from fastapi import APIRouter

import authz
from authz import Permission
from gateway.deps import Services
from gateway.permissions import require
from services.common.interface import Id
from services.inspections.fields import ActivityKind
from services.inspections.interface import (
    ActivityConclusion,
    ActivityFindingBody,
    ActivityHandOverBody,
    ActivityStart,
    ClueContent,
    CompleteActivity,
    GetActivity,
    HandOverActivityFinding,
    ListActivities,
    PlanActivity,
    RecordActivityFinding,
    RecordActivityWork,
    ReferActivityFinding,
    StartActivity,
    WorkBody,
)
from services.inspections.results import (
    ActivityFindingRecorded,
    ActivityItemRecorded,
    ActivityRecorded,
    ActivityReferralRecorded,
)
from services.inspections.views import ActivityView

router = APIRouter(prefix="/activities")


def visible(principal: authz.Principal, activity: ActivityView) -> bool:
    return authz.can_read(principal, group_id=activity.group_id, unit_id=activity.unit_id,
                          distribution=activity.distribution)


@router.post("", status_code=201)
def plan_activity(body: PlanActivity, services: Services,
                  permission: Permission = require("inspections.plan_activity")) -> ActivityRecorded:
    """Plan a supervision activity: kind, plan, participants, methods, dates."""
    return services.run(body, permission)


@router.get("")
def list_activities(services: Services, kind: ActivityKind | None = None, unit_id: Id | None = None,
                    permission: Permission = require("inspections.list_activities", listing=True),
                    ) -> list[ActivityView]:
    """The activities the principal may see, optionally of one kind or unit."""
    activities = services.run(ListActivities(kind=kind, unit_id=unit_id), permission)
    return [a for a in activities if visible(permission.principal, a)]


@router.get("/{activity_id}")
def get_activity(activity_id: Id, services: Services,
                 permission: Permission = require("inspections.read_activity")) -> ActivityView:
    """One activity with its plan, whole-process record and findings (referrals without content)."""
    return services.run(GetActivity(activity_id=activity_id), permission)


@router.post("/{activity_id}/start")
def start_activity(activity_id: Id, body: ActivityStart, services: Services,
                   permission: Permission = require("inspections.carry_out_activity")) -> ActivityRecorded:
    """Start carrying out a planned activity."""
    return services.run(StartActivity(activity_id=activity_id, **body.fields()), permission)


@router.post("/{activity_id}/work", status_code=201)
def record_work(activity_id: Id, body: WorkBody, services: Services,
                permission: Permission = require("inspections.carry_out_activity")) -> ActivityRecorded:
    """Record work done by one of the planned methods (谈心谈话, 会议监督, 驻点调研, 现场检查, ...)."""
    return services.run(RecordActivityWork(activity_id=activity_id, **body.fields()), permission)


@router.post("/{activity_id}/findings", status_code=201)
def record_finding(activity_id: Id, body: ActivityFindingBody, services: Services,
                   permission: Permission = require("inspections.carry_out_activity")) -> ActivityFindingRecorded:
    """Record a problem the activity found."""
    return services.run(RecordActivityFinding(activity_id=activity_id, **body.fields()), permission)


@router.post("/{activity_id}/findings/{finding_id}/hand-over")
def hand_over_finding(activity_id: Id, finding_id: Id, body: ActivityHandOverBody, services: Services,
                      permission: Permission = require("inspections.hand_over_activity_finding"),
                      ) -> ActivityItemRecorded:
    """The finding becomes a problem-list item (ledgers)."""
    return services.run(HandOverActivityFinding(activity_id=activity_id, finding_id=finding_id, **body.fields()),
                        permission)


@router.post("/{activity_id}/findings/{finding_id}/refer")
def refer_finding(activity_id: Id, finding_id: Id, body: ClueContent, services: Services,
                  permission: Permission = require("inspections.refer_activity_finding"),
                  ) -> ActivityReferralRecorded:
    """The finding becomes a clue (sealed for the clues service)."""
    return services.run(ReferActivityFinding(activity_id=activity_id, finding_id=finding_id, **body.fields()),
                        permission)


@router.post("/{activity_id}/complete")
def complete_activity(activity_id: Id, body: ActivityConclusion, services: Services,
                      permission: Permission = require("inspections.carry_out_activity")) -> ActivityRecorded:
    """Complete the activity with its conclusion."""
    return services.run(CompleteActivity(activity_id=activity_id, **body.fields()), permission)
