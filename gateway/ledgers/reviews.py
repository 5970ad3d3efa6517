"""Ledgers routes of the group's quarterly review (组务会季度专题研究) and self look-back (自身回头看)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Response

import authz
from authz import Permission, Principal
from gateway.deps import ReadModels
from gateway.ledgers.lists import PROJECTION
from gateway.permissions import require
from gateway.reads import After, ListPage, Paging, answer
from gateway.routes import operation_route
from projections.common.query import PageRequest, sort_named
from projections.group_workbench import view
from services.common.interface import Id
from services.ledgers.interface import (
    CompleteReviewFollowUp,
    FollowUpDoneBody,
    GetQuarterlyReview,
    QuarterlyReviewBody,
    RecordQuarterlyReview,
    RecordSelfLookBack,
    ReviewView,
    SelfLookBackBody,
)

router = APIRouter()
"""Included by gateway.ledgers.router under /api/ledgers."""


operation_route(router, "POST", "/groups/{group_id}/quarterly-reviews", RecordQuarterlyReview,
                "ledgers.record_quarterly_review", body=QuarterlyReviewBody, status_code=201)


class ReviewRow(ReviewView):
    held_at: str
    updated_at: str


def _sort(default: str) -> Any:
    return Query(default=default, max_length=40, description=f"排序 (sort): {', '.join(view.REVIEW_SORTS)}")


OpenOnly = Query(default=False, alias="open", description="仅有未完成后续措施的 (only with follow-ups not done)")


async def _reviews(read_models: ReadModels, response: Response, principal: Principal, group_id: str | None,
                   open_only: bool, sort: str, page: PageRequest, after: dict[str, int]) -> ListPage[ReviewRow]:
    chosen = sort_named(view.REVIEW_SORTS, sort, "quarter")
    found, freshness = await answer(read_models, response, PROJECTION, after,
                                    lambda tx: view.reviews(tx, principal, group_id, open_only, chosen, page))
    return ListPage(items=[ReviewRow.model_validate(r) for r in found.rows], next_cursor=found.next_cursor,
                    freshness=freshness)


@router.get("/groups/{group_id}/quarterly-reviews")
async def list_group_reviews(
    group_id: Id, read_models: ReadModels, response: Response, page: Paging, after: After,
    open_only: bool = OpenOnly, sort: str = _sort("quarter"),
    permission: Permission = require("ledgers.read_quarterly_review"),
) -> ListPage[ReviewRow]:
    """One group's quarterly reviews, by quarter (404 for whoever may not read that group's)."""
    principal = permission.principal
    authz.authorize(principal, "ledgers.read_quarterly_review", authz.Scope(group_id=group_id, distribution="hq"))
    return await _reviews(read_models, response, principal, group_id, open_only, sort, page, after)


@router.get("/quarterly-reviews")
async def list_reviews(
    read_models: ReadModels, response: Response, page: Paging, after: After,
    open_only: bool = OpenOnly, sort: str = _sort("quarter"),
    permission: Permission = require("ledgers.read_quarterly_review", listing=True),
) -> ListPage[ReviewRow]:
    """Quarterly reviews, by group and quarter: a group member sees their group's, HQ and audit every group's."""
    return await _reviews(read_models, response, permission.principal, None, open_only, sort, page, after)


operation_route(router, "GET", "/quarterly-reviews/{review_id}", GetQuarterlyReview,
                "ledgers.read_quarterly_review")


operation_route(router, "POST", "/quarterly-reviews/{review_id}/self-look-back", RecordSelfLookBack,
                "ledgers.record_self_look_back", body=SelfLookBackBody)


operation_route(router, "POST", "/quarterly-reviews/{review_id}/follow-ups/{index}/complete", CompleteReviewFollowUp,
                "ledgers.complete_review_follow_up", body=FollowUpDoneBody)
