"""HQ dashboard reads (HQ sees every group; a group sees its own rows)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from authz import Permission
from gateway.deps import ReadModels, Today
from gateway.permissions import require
from gateway.reads import After, Freshness, ListPage, Paging, answer
from projections.hq_dashboard import view
from projections.hq_dashboard.projection import STALLED_DIRECTIVE_WORKING_DAYS, STALLED_ITEM_DAYS
from services.common.errors import InvalidInputError
from services.common.interface import vocabulary
from services.ledgers.vocab import STAGE_LABELS

if TYPE_CHECKING:
    StageName = str
else:
    StageName = vocabulary(STAGE_LABELS)

router = APIRouter(prefix="/api/hq", tags=["hq"])


class GroupCounts(BaseModel):
    directives: int = Field(description="期内收到的部署，撤销的不计 (directives received in the period, withdrawn "
                                        "ones not counted)")
    stages: int = Field(description="记录的环节 (stages recorded)")
    relayed: int = Field(description="已完成第一环节的部署 (directives whose first stage is done)")
    closed: int = Field(description="已完成结果评估 (directives whose result was evaluated)")
    overdue: int = Field(description="有环节逾期的部署 (directives with a stage overdue)")
    closure_rate: float | None = Field(description="办结率 closed / directives (none without directives)")
    median_days_to_close: float | None = Field(description="收文至办结天数的中位数 (median days from receipt to "
                                                           "closure)")
    open_mismatches: int = Field(description="对账中未处理的不一致 (reconciliation findings not resolved)")


class MonthFigures(BaseModel):
    received: int = Field(description="当月收到 (received that month)")
    closed: int = Field(description="当月办结 (closed that month)")


class Dashboard(BaseModel):
    groups: dict[str, GroupCounts] = Field(description="按纪检监察组 (per group id)")
    months: dict[str, MonthFigures] = Field(description="按月趋势，YYYY-MM (monthly trends)")
    total_directives: int
    position: int | None = Field(description="读模型已反映的总账位置 (the ledgers position the read model "
                                             "reflects)")
    freshness: Freshness


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


@router.get("/dashboard")
async def dashboard(
    read_models: ReadModels, response: Response, after: After,
    permission: Permission = require("hq_dashboard.read", listing=True),
    after_ledgers: int | None = Query(default=None, ge=0, le=2**63 - 1,
                                      description="先等读模型反映到此总账位置 (wait until the read model "
                                                  "reflects this ledgers position, at most 3 s)"),
    since: date | None = Query(default=None, alias="from", description="收文日期起 (received on or after)"),
    until: date | None = Query(default=None, alias="to", description="收文日期止 (received on or before)"),
) -> Dashboard:
    """Every group side by side, from the HQ dashboard read model (any period by `from`/`to`)."""
    if since and until and since > until:
        raise InvalidInputError("起始日期晚于截止日期 (from is after to)", code="invalid_period")
    principal = permission.principal
    wanted = dict(after)
    if after_ledgers:
        wanted["ledgers"] = max(wanted.get("ledgers", 0), after_ledgers)
    found, freshness = await answer(read_models, response, "hq_dashboard", wanted,
                                    lambda tx: view.figures(tx, principal, since, until))
    return Dashboard(groups=found["groups"], months=found["months"], total_directives=found["total_directives"],
                     position=freshness.positions.get("ledgers", 0), freshness=freshness)


class AlertKind(StrEnum):
    stage_overdue = "stage_overdue"
    item_overdue = "item_overdue"
    round_overdue = "round_overdue"
    directive_stalled = "directive_stalled"
    item_stalled = "item_stalled"


class Alert(BaseModel):
    kind: AlertKind = Field(description=(
        "`stage_overdue` 环节逾期, `item_overdue` 事项逾期, `round_overdue` 调度逾期未复, `directive_stalled` 部署停滞"
        f"（{STALLED_DIRECTIVE_WORKING_DAYS}个工作日无环节进展 no stage for {STALLED_DIRECTIVE_WORKING_DAYS} "
        f"working days）, `item_stalled` 事项停滞（{STALLED_ITEM_DAYS}天无进展 no progress for {STALLED_ITEM_DAYS} "
        "days）"))
    record_id: str
    group_id: str
    unit_id: str | None
    title: str
    due_on: date = Field(description="期限；停滞的：应有进展之日 (the deadline; for a stalled record, the day "
                                     "progress was due by)")
    detected_on: date = Field(description="发现之日 (when it was found overdue, or stalled)")
    occurred_at: str
    last_activity_on: date | None = Field(description="停滞的：最近一次进展之日 (stalled: the last progress)")


@router.get("/alerts")
async def alert_list(
    read_models: ReadModels, response: Response, page: Paging, after: After, today: Today,
    permission: Permission = require("hq_dashboard.read", listing=True),
) -> ListPage[Alert]:
    """What went overdue or stalled, newest first (withdrawn directives and closed records leave the list)."""
    principal = permission.principal
    found, freshness = await answer(read_models, response, "hq_dashboard", after,
                                    lambda tx: view.alerts(tx, principal, today, page))
    return ListPage(items=[Alert.model_validate(r) for r in found.rows], next_cursor=found.next_cursor,
                    freshness=freshness)


@router.get("/directives")
async def directives(
    read_models: ReadModels, response: Response, page: Paging, after: After,
    permission: Permission = require("hq_dashboard.read", listing=True),
) -> ListPage[HqDirective]:
    """Every directive the principal may read, with its stage progress, in order of receipt."""
    principal = permission.principal
    found, freshness = await answer(read_models, response, "hq_dashboard", after,
                                    lambda tx: view.directives(tx, principal, page))
    return ListPage(items=[HqDirective.model_validate(r) for r in found.rows], next_cursor=found.next_cursor,
                    freshness=freshness)
