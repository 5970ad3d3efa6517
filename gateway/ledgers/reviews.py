"""Ledgers routes of the group's quarterly review (组务会季度专题研究) and self look-back (自身回头看)."""

from __future__ import annotations

from fastapi import APIRouter

from authz import Permission
from gateway.deps import Services
from gateway.ledgers.access import group_filter, readable
from gateway.permissions import require
from gateway.routes import operation_route
from services.common.interface import Id
from services.ledgers.interface import (
    CompleteReviewFollowUp,
    FollowUpDoneBody,
    GetQuarterlyReview,
    ListQuarterlyReviews,
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


@router.get("/groups/{group_id}/quarterly-reviews")
def list_group_reviews(group_id: Id, services: Services,
                       permission: Permission = require("ledgers.read_quarterly_review")) -> list[ReviewView]:
    """One group's quarterly reviews (404 for whoever may not read that group's)."""
    rows = services.run(ListQuarterlyReviews(group_id=group_id), permission)
    return readable(permission.principal, rows)


@router.get("/quarterly-reviews")
def list_reviews(services: Services, permission: Permission = require(
        "ledgers.read_quarterly_review", listing=True)) -> list[ReviewView]:
    """Quarterly reviews: a group member sees their group's, HQ and audit every group's."""
    principal = permission.principal
    rows = services.run(ListQuarterlyReviews(group_id=group_filter(principal)), permission)
    return readable(principal, rows)


operation_route(router, "GET", "/quarterly-reviews/{review_id}", GetQuarterlyReview,
                "ledgers.read_quarterly_review")


operation_route(router, "POST", "/quarterly-reviews/{review_id}/self-look-back", RecordSelfLookBack,
                "ledgers.record_self_look_back", body=SelfLookBackBody)


operation_route(router, "POST", "/quarterly-reviews/{review_id}/follow-ups/{index}/complete", CompleteReviewFollowUp,
                "ledgers.complete_review_follow_up", body=FollowUpDoneBody)
