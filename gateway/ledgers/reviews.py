"""Ledgers routes of the group's quarterly review (组务会季度专题研究) and self look-back (自身回头看)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

import authz
from gateway.deps import CurrentPrincipal, Services
from gateway.ledgers import schemas
from gateway.ledgers.access import group_filter, own_scope

router = APIRouter()
"""Included by gateway.ledgers.router under /api/ledgers."""


def readable_review(services: Services, principal: authz.Principal, review_id: str) -> dict[str, Any]:
    """A quarterly review as the principal may see it (404 for another group's)."""
    review: dict[str, Any] = services.query("ledgers", "get_quarterly_review", principal, review_id=review_id)
    authz.require(principal, "ledgers.read_quarterly_review", hide=True, group_id=review["group_id"])
    authz.require_read(principal, group_id=review["group_id"], unit_id=review["unit_id"],
                       distribution=review["distribution"])
    return review


def _review_action(services: Services, principal: authz.Principal, review_id: str, action: str) -> None:
    review = readable_review(services, principal, review_id)
    authz.require(principal, action, group_id=review["group_id"])


@router.post("/groups/{group_id}/quarterly-reviews", status_code=201)
def record_quarterly_review(group_id: str, body: schemas.QuarterlyReviewIn, principal: CurrentPrincipal,
                            services: Services) -> dict[str, Any]:
    """Record the quarter's group meeting on its supervision work: attendees, topics, decisions, follow-ups."""
    authz.require(principal, "ledgers.record_quarterly_review", group_id=group_id)
    result: dict[str, Any] = services.call("ledgers", "record_quarterly_review", principal, group_id=group_id,
                                           **body.model_dump())
    return result


@router.get("/groups/{group_id}/quarterly-reviews")
def list_group_reviews(group_id: str, principal: CurrentPrincipal, services: Services) -> list[dict[str, Any]]:
    authz.require(principal, "ledgers.read_quarterly_review", hide=True, group_id=group_id)
    return _readable(principal, services.query("ledgers", "list_quarterly_reviews", principal, group_id=group_id))


@router.get("/quarterly-reviews")
def list_reviews(principal: CurrentPrincipal, services: Services) -> list[dict[str, Any]]:
    """Quarterly reviews: a group member sees their group's, HQ and audit every group's."""
    authz.require(principal, "ledgers.read_quarterly_review", **own_scope(principal))
    return _readable(principal, services.query("ledgers", "list_quarterly_reviews", principal,
                                               **group_filter(principal)))


def _readable(principal: authz.Principal, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if authz.can_read(principal, group_id=r["group_id"], unit_id=r["unit_id"],
                                              distribution=r["distribution"])]


@router.get("/quarterly-reviews/{review_id}")
def get_review(review_id: str, principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    return readable_review(services, principal, review_id)


@router.post("/quarterly-reviews/{review_id}/self-look-back")
def record_self_look_back(review_id: str, body: schemas.SelfLookBackIn, principal: CurrentPrincipal,
                          services: Services) -> dict[str, Any]:
    """自身回头看: good practices, shortcomings, their causes and the measures taken."""
    _review_action(services, principal, review_id, "ledgers.record_self_look_back")
    result: dict[str, Any] = services.call("ledgers", "record_self_look_back", principal, review_id=review_id,
                                           **body.model_dump())
    return result


@router.post("/quarterly-reviews/{review_id}/follow-ups/{index}/complete")
def complete_follow_up(review_id: str, index: int, body: schemas.FollowUpDone, principal: CurrentPrincipal,
                       services: Services) -> dict[str, Any]:
    _review_action(services, principal, review_id, "ledgers.complete_review_follow_up")
    result: dict[str, Any] = services.call("ledgers", "complete_review_follow_up", principal,
                                           review_id=review_id, index=index, note=body.note)
    return result
