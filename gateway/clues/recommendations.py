"""Supervision recommendation routes (纪检监察建议): drafted by the group, issued to and seen by the unit."""

from __future__ import annotations

from typing import Any

import authz
from authz import Principal
from gateway.clues import schemas as s
from gateway.clues.router import Result, call, guarded, router
from gateway.deps import CurrentPrincipal, Services


def distribution_of(recommendation: Result) -> str:
    return "group" if recommendation["status"] == "drafted" else "unit"


def readable(services: Services, principal: Principal, recommendation_id: str, action: str | None = None) -> Result:
    """Load a recommendation the principal may see (404 otherwise), then check the action (403)."""
    recommendation: Result = services.query("clues", "get_recommendation", principal,
                                            recommendation_id=recommendation_id)
    scope = {"group_id": recommendation["group_id"], "unit_id": recommendation["unit_id"]}
    authz.require(principal, "clues.read_recommendation", hide=True, **scope)
    authz.require_read(principal, distribution=distribution_of(recommendation), **scope)
    if action is not None:
        authz.require(principal, action, **scope)
    return recommendation


@router.post("/recommendations", status_code=201)
def draft_recommendation(body: s.RecommendationCreate, principal: CurrentPrincipal, services: Services) -> Result:
    authz.require(principal, "clues.draft_recommendation", unit_id=body.unit_id)
    for clue_id in body.source_clue_ids:
        guarded(services, principal, clue_id, "clues.work")
    return call(services, principal, "draft_recommendation", group_id=principal.group_id,
                **body.model_dump(mode="json"))


@router.get("/recommendations")
def list_recommendations(principal: CurrentPrincipal, services: Services) -> list[Result]:
    """Recommendations I may see: the group its own (drafts too), the unit those issued to it, HQ all issued."""
    authz.require(principal, "clues.list_recommendations")
    filters: dict[str, Any] = {}
    if principal.org_kind == "group":
        filters["group_id"] = principal.group_id
    elif principal.org_kind == "unit":
        filters["unit_id"] = principal.unit_id
    rows: list[Result] = services.query("clues", "list_recommendations", principal, **filters)
    return [
        r for r in rows
        if authz.can_read(principal, group_id=r["group_id"], unit_id=r["unit_id"], distribution=distribution_of(r))
    ]


@router.get("/recommendations/{recommendation_id}")
def get_recommendation(recommendation_id: str, principal: CurrentPrincipal, services: Services) -> Result:
    return readable(services, principal, recommendation_id)


@router.post("/recommendations/{recommendation_id}/issue")
def issue_recommendation(recommendation_id: str, body: s.RecommendationIssue, principal: CurrentPrincipal,
                         services: Services) -> Result:
    readable(services, principal, recommendation_id, "clues.issue_recommendation")
    return call(services, principal, "issue_recommendation", recommendation_id=recommendation_id,
                **body.model_dump(mode="json"))


@router.post("/recommendations/{recommendation_id}/responses")
def record_response(recommendation_id: str, body: s.RecommendationResponse, principal: CurrentPrincipal,
                    services: Services) -> Result:
    readable(services, principal, recommendation_id, "clues.record_recommendation_response")
    return call(services, principal, "record_recommendation_response", recommendation_id=recommendation_id,
                **body.model_dump(mode="json"))


@router.post("/recommendations/{recommendation_id}/close")
def close_recommendation(recommendation_id: str, body: s.RecommendationClose, principal: CurrentPrincipal,
                         services: Services) -> Result:
    readable(services, principal, recommendation_id, "clues.close_recommendation")
    return call(services, principal, "close_recommendation", recommendation_id=recommendation_id,
                **body.model_dump(mode="json"))
