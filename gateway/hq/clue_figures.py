"""HQ clue figures: every group's clues by status, category, disposition and four forms (四种形态).

Numbers only: no clue id, no title, no subject. HQ and the auditor only (`hq.clue_figures`); the figures
come from the clue queue read model through `authz.counts.count_filter`, within a period of receipt.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from authz import Permission
from gateway.deps import ReadModels
from gateway.errors import API_ERRORS
from gateway.permissions import require
from gateway.reads import After, Answer, answer
from projections.clue_queue import view as clue_view
from services.common.errors import InvalidInputError

router = APIRouter(prefix="/api/hq", tags=["hq"], responses=API_ERRORS)


class ClueFigures(BaseModel):
    total: int = Field(description="期间内受理的线索数 (clues received in the period)")
    status: dict[str, int] = Field(description="按状态 (by status)")
    category: dict[str, int] = Field(description="按六项纪律等类别；一条线索可计入多个类别 (by category; a clue "
                                                 "counts under each of its categories)")
    disposition: dict[str, int] = Field(description="按处置方式；none 为尚未决定 (by disposition; none: not decided)")
    four_forms: dict[str, int] = Field(description="按四种形态 1-4；none 为尚无结论 (by the four forms; none: no outcome)")


class GroupClueFigures(BaseModel):
    period_from: date | None
    period_to: date | None
    groups: dict[str, ClueFigures] = Field(description="按纪检监察组 (per group id); a group without clues in "
                                                       "the period is absent")
    total: ClueFigures


@router.get("/clue-figures")
async def clue_figures(
    read_models: ReadModels, response: Response, after: After,
    period_from: Annotated[date | None, Query(alias="from", description="受理日期起 (received on or after)")] = None,
    period_to: Annotated[date | None, Query(alias="to", description="受理日期止 (received on or before)")] = None,
    permission: Permission = require("hq.clue_figures", listing=True),
) -> Answer[GroupClueFigures]:
    """Clue figures per group (numbers only), for HQ and the auditor."""
    if period_from and period_to and period_from > period_to:
        raise InvalidInputError("起始日期晚于截止日期 (from is after to)", code="invalid_period")
    figures, freshness = await answer(
        read_models, response, "clue_queue", after,
        lambda tx: clue_view.clue_figures(tx, permission.principal, received_from=period_from,
                                          received_to=period_to))
    total = clue_view.sum_figures(figures)
    return Answer[GroupClueFigures](
        item=GroupClueFigures(period_from=period_from, period_to=period_to,
                              groups={g: ClueFigures.model_validate(f) for g, f in figures.items()},
                              total=ClueFigures.model_validate(total)),
        freshness=freshness)
