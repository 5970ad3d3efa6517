"""Ledgers routes of the group's quarterly review (组务会季度专题研究) and self look-back (自身回头看)."""

from __future__ import annotations

from fastapi import APIRouter

from authz import Permission
from gateway.deps import Services
from gateway.ledgers.access import group_filter, readable
from gateway.permissions import require
from services.common.interface import Count, Id
from services.ledgers.interface import (
    CompleteReviewFollowUp,
    FollowUpDoneBody,
    GetQuarterlyReview,
    ListQuarterlyReviews,
    QuarterlyReviewBody,
    RecordQuarterlyReview,
    RecordSelfLookBack,
    ReviewRecorded,
    ReviewView,
    SelfLookBackBody,
)

router = APIRouter()
"""Included by gateway.ledgers.router under /api/ledgers."""


@router.post("/groups/{group_id}/quarterly-reviews", status_code=201)
def record_quarterly_review(group_id: Id, body: QuarterlyReviewBody, services: Services,
                            permission: Permission = require("ledgers.record_quarterly_review")) -> ReviewRecorded:
    """Record the quarter's group meeting on its supervision work: attendees, topics, decisions, follow-ups."""
    return services.run(RecordQuarterlyReview(group_id=group_id, **body.fields()), permission)


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


@router.get("/quarterly-reviews/{review_id}")
def get_review(review_id: Id, services: Services,
               permission: Permission = require("ledgers.read_quarterly_review")) -> ReviewView:
    """One quarterly review with its follow-ups and self look-back."""
    return services.run(GetQuarterlyReview(review_id=review_id), permission)


@router.post("/quarterly-reviews/{review_id}/self-look-back")
def record_self_look_back(review_id: Id, body: SelfLookBackBody, services: Services,
                          permission: Permission = require("ledgers.record_self_look_back")) -> ReviewRecorded:
    """自身回头看: good practices, shortcomings, their causes and the measures taken."""
    return services.run(RecordSelfLookBack(review_id=review_id, **body.fields()), permission)


@router.post("/quarterly-reviews/{review_id}/follow-ups/{index}/complete")
def complete_follow_up(review_id: Id, index: Count, body: FollowUpDoneBody, services: Services,
                       permission: Permission = require("ledgers.complete_review_follow_up")) -> ReviewRecorded:
    """Mark one follow-up action done, with what was done."""
    return services.run(CompleteReviewFollowUp(review_id=review_id, index=index, **body.fields()), permission)
