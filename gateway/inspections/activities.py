"""Supervision-activity routes (嵌入式, 跟踪式, 点穴式, 联合监督, 定期会商, 专项督促检查)."""

from __future__ import annotations

from fastapi import APIRouter

from authz import Permission
from gateway import references
from gateway.deps import Runtime, Services
from gateway.permissions import require
from gateway.routes import operation_route
from services.common.interface import Id
from services.inspections.interface import (
    ActivityConclusion,
    ActivityFindingBody,
    ActivityHandOverBody,
    ActivityStart,
    ClueContent,
    CompleteActivity,
    GetActivity,
    HandOverActivityFinding,
    PlanActivity,
    RecordActivityFinding,
    RecordActivityWork,
    ReferActivityFinding,
    StartActivity,
    WorkBody,
)
from services.inspections.results import ActivityItemRecorded, ActivityRecorded, ActivityReferralRecorded

router = APIRouter(prefix="/activities")


@router.post("", status_code=201)
def plan_activity(body: PlanActivity, services: Services, gateway: Runtime,
                  permission: Permission = require("inspections.plan_activity")) -> ActivityRecorded:
    """Plan a supervision activity: kind, plan, participants, methods, dates; the directive it supervises, if
    any, is one of the group's (checked on the group workbench read model)."""
    references.linked_directive(body, permission, gateway)
    return services.run(body, permission)


operation_route(router, "GET", "/{activity_id}", GetActivity, "inspections.read_activity")


operation_route(router, "POST", "/{activity_id}/start", StartActivity,
                "inspections.carry_out_activity", body=ActivityStart)


operation_route(router, "POST", "/{activity_id}/work", RecordActivityWork,
                "inspections.carry_out_activity", body=WorkBody, status_code=201)


operation_route(router, "POST", "/{activity_id}/findings", RecordActivityFinding,
                "inspections.carry_out_activity", body=ActivityFindingBody, status_code=201)


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


operation_route(router, "POST", "/{activity_id}/complete", CompleteActivity,
                "inspections.carry_out_activity", body=ActivityConclusion)
