"""HQ: inspection rectification progress and the units' responsiveness to feedback, per group and unit.

Numbers only, counted in the query over the rows the caller may read (`authz.filters.read_filter`): HQ and
audit every group, a group its own units; a figure never includes a record the caller may not read.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from authz import Permission
from authz.filters import Columns, read_filter
from gateway.deps import ReadModels
from gateway.errors import API_ERRORS
from gateway.permissions import require
from gateway.reads import After, Answer, Freshness, answer
from projections.common.db import Tx
from projections.inspection_handoff.lists import rectification_figures
from projections.unit_channel.view import feedback_figures

router = APIRouter(prefix="/api/hq", tags=["hq"], responses=API_ERRORS)


class RectificationFigures(BaseModel):
    group_id: str
    unit_id: str
    items: int = Field(description="移交的整改事项 (rectification items handed over)")
    completed: int
    completed_in_time: int = Field(description="按期完成 (completed on or before the deadline)")
    open: int
    overdue: int = Field(description="逾期未完成 (open and marked overdue)")


class FeedbackFigures(BaseModel):
    group_id: str
    unit_id: str
    issued: int = Field(description="印发的反馈意见 (feedback issued to the unit, not withdrawn)")
    answered_in_time: int
    answered_late: int
    open: int = Field(description="尚未答复 (not answered yet)")
    open_overdue: int = Field(description="逾期未答复 (not answered and marked overdue)")


class RectificationOverview(BaseModel):
    rectification: list[RectificationFigures]
    feedback: list[FeedbackFigures]


def _merged(first: Freshness, second: Freshness) -> Freshness:
    services = set(first.positions) | set(second.positions)
    return Freshness(positions={s: min(first.positions.get(s, 0), second.positions.get(s, 0)) for s in services},
                     stale=first.stale or second.stale)


@router.get("/rectification")
async def rectification(read_models: ReadModels, response: Response, after: After,
                        permission: Permission = require("hq_dashboard.read", listing=True),
                        ) -> Answer[RectificationOverview]:
    """巡视整改进展与反馈意见答复情况 (inspection rectification progress and feedback responsiveness) per
    group and unit."""
    principal = permission.principal
    items_readable = read_filter(principal, Columns(alias="i"))
    feedback_readable = read_filter(principal, Columns(alias="r"))

    def items(tx: Tx) -> list[RectificationFigures]:
        return [RectificationFigures.model_validate(row) for row in rectification_figures(tx, items_readable)]

    def feedback(tx: Tx) -> list[FeedbackFigures]:
        return [FeedbackFigures.model_validate(row) for row in feedback_figures(tx, feedback_readable)]

    rectified, fresh_items = await answer(read_models, response, "inspection_handoff", after, items)
    answered, fresh_feedback = await answer(read_models, response, "unit_channel", after, feedback)
    freshness = _merged(fresh_items, fresh_feedback)
    response.headers["X-Paizhu-Positions"] = ", ".join(f"{s}={p}" for s, p in sorted(freshness.positions.items()))
    response.headers["X-Paizhu-Stale"] = "true" if freshness.stale else "false"
    return Answer[RectificationOverview](item=RectificationOverview(rectification=rectified, feedback=answered),
                                         freshness=freshness)
