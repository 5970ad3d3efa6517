"""HQ dashboard reads (HQ sees every group; a group sees its own rows)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

import authz
from authz import Permission
from gateway.deps import ReadModels
from gateway.permissions import require
from projections.hq_dashboard.view import HqDashboardView
from services.common.interface import vocabulary
from services.ledgers.vocab import STAGE_LABELS

if TYPE_CHECKING:
    StageName = str
else:
    StageName = vocabulary(STAGE_LABELS)

router = APIRouter(prefix="/api/hq", tags=["hq"])


class GroupCounts(BaseModel):
    directives: int = Field(description="登记的部署 (directives registered)")
    stages: int = Field(description="记录的环节 (stages recorded)")
    relayed: int = Field(description="已完成第一环节的部署 (directives whose first stage is done)")


class Dashboard(BaseModel):
    groups: dict[str, GroupCounts] = Field(description="按纪检监察组 (per group id)")
    total_directives: int
    position: int | None = Field(description="读模型已反映的总账位置 (the ledgers position the read model "
                                             "reflects; none when the gateway keeps no runner)")


class HqDirective(BaseModel):
    directive_id: str
    group_id: str
    unit_id: str | None
    distribution: str = Field(description="可见范围 (who may read it: `group`, `hq`, `unit`)")
    reference_number: str
    title: str
    category: str | None
    received_on: date
    stages_done: int
    last_stage: StageName | None


def _visible(principal: authz.Principal) -> Any:
    def visible(row: dict[str, Any]) -> bool:
        return authz.can_read(principal, group_id=row["group_id"], unit_id=row["unit_id"],
                              distribution=row["distribution"])

    return visible


@router.get("/dashboard")
def dashboard(
    read_models: ReadModels,
    permission: Permission = require("hq_dashboard.read", listing=True),
    after_ledgers: int | None = Query(default=None, ge=0, le=2**63 - 1,
                                      description="先等读模型反映到此总账位置 (wait until the read model "
                                                  "reflects this ledgers position, at most 5 s)"),
) -> Dashboard:
    """Directives per group, counted from the HQ dashboard read model."""
    read_models.wait("hq_dashboard", "ledgers", after_ledgers)
    summary = HqDashboardView(read_models.db).summary(_visible(permission.principal))
    runner = read_models.runners.get("hq_dashboard")
    return Dashboard(groups=summary["groups"], total_directives=summary["total_directives"],
                     position=runner.positions().get("ledgers", 0) if runner is not None else None)


@router.get("/directives")
def directives(read_models: ReadModels,
               permission: Permission = require("hq_dashboard.read", listing=True)) -> list[HqDirective]:
    """Every directive the principal may read, with its stage progress."""
    rows = HqDashboardView(read_models.db).directives(_visible(permission.principal))
    return [HqDirective.model_validate(row) for row in rows]
