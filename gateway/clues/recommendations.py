"""Supervision recommendation routes (纪检监察建议): drafted by the group, issued to and seen by the unit.

The service checks each recommendation with the call (`Recommendation.access_scope`): whoever may not see
it gets 404, whoever may see it but not act on it 403. The source clues of a draft are checked on their
compartments.
"""

from __future__ import annotations

from typing import Any

import authz
from authz import Permission
from gateway.clues.router import router
from gateway.deps import Services
from gateway.permissions import require
from gateway.routes import operation_route
from services.clues.interface import (
    CloseRecommendation,
    DraftRecommendation,
    GetRecommendation,
    IssueRecommendation,
    ListRecommendations,
    RecommendationBody,
    RecommendationCloseBody,
    RecommendationIssueBody,
    RecommendationRecorded,
    RecommendationResponseBody,
    RecommendationView,
    RecordRecommendationResponse,
)


@router.post("/recommendations", status_code=201)
def draft_recommendation(body: RecommendationBody, services: Services,
                         permission: Permission = require("clues.draft_recommendation")) -> RecommendationRecorded:
    """Draft a recommendation for a unit the group supervises; its source clues must be in my compartments."""
    return services.run(DraftRecommendation(group_id=permission.principal.group_id or "", **body.fields()),
                        permission)


@router.get("/recommendations")
def list_recommendations(services: Services, permission: Permission = require("clues.list_recommendations",
                                                                            listing=True)) -> list[RecommendationView]:
    """Recommendations I may see: the group its own (drafts too), the unit those issued to it, HQ all issued."""
    principal = permission.principal
    filters: dict[str, Any] = {}
    if principal.org_kind == "group":
        filters["group_id"] = principal.group_id
    elif principal.org_kind == "unit":
        filters["unit_id"] = principal.unit_id
    rows = services.run(ListRecommendations(**filters), permission)
    return [
        r for r in rows
        if authz.can_read(principal, group_id=r.group_id, unit_id=r.unit_id,
                          distribution="group" if r.status == "drafted" else "unit")
    ]


@router.get("/recommendations/{recommendation_id}")
def get_recommendation(recommendation_id: str, services: Services,
                       permission: Permission = require("clues.read_recommendation")) -> RecommendationView:
    return services.run(GetRecommendation(recommendation_id=recommendation_id), permission)


operation_route(router, "POST", "/recommendations/{recommendation_id}/issue", IssueRecommendation,
                "clues.issue_recommendation", body=RecommendationIssueBody)


@router.post("/recommendations/{recommendation_id}/responses")
def record_response(recommendation_id: str, body: RecommendationResponseBody, services: Services,
                    permission: Permission = require("clues.record_recommendation_response"),
                    ) -> RecommendationRecorded:
    return services.run(RecordRecommendationResponse(recommendation_id=recommendation_id, **body.fields()),
                        permission)


@router.post("/recommendations/{recommendation_id}/close")
def close_recommendation(recommendation_id: str, body: RecommendationCloseBody, services: Services,
                         permission: Permission = require("clues.close_recommendation")) -> RecommendationRecorded:
    return services.run(CloseRecommendation(recommendation_id=recommendation_id, **body.fields()), permission)
