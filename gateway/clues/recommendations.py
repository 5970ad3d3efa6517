"""Supervision recommendation routes (纪检监察建议): drafted by the group, issued to and seen by the unit.

The service checks each recommendation with the call (`Recommendation.access_scope`): whoever may not see
it gets 404, whoever may see it but not act on it 403. The source clues of a draft are checked on their
compartments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import Query, Response

from authz import Permission
from gateway.clues.router import ID_PATTERN, router
from gateway.deps import ReadModels, Services
from gateway.permissions import require
from gateway.reads import After, ListPage, Paging, answer
from gateway.routes import operation_route
from projections.clue_queue import view as clue_view
from projections.common.query import sort_named
from services.clues.interface import (
    CloseRecommendation,
    DraftRecommendation,
    GetRecommendation,
    IssueRecommendation,
    RecommendationBody,
    RecommendationCloseBody,
    RecommendationIssueBody,
    RecommendationRecorded,
    RecommendationResponseBody,
    RecommendationView,
    RecordRecommendationResponse,
)
from services.clues.recommendation import RECOMMENDATION_STATUS_LABELS
from services.common.interface import vocabulary

if TYPE_CHECKING:
    RecommendationStatus = str
else:
    RecommendationStatus = vocabulary(RECOMMENDATION_STATUS_LABELS)


@router.post("/recommendations", status_code=201)
def draft_recommendation(body: RecommendationBody, services: Services,
                         permission: Permission = require("clues.draft_recommendation")) -> RecommendationRecorded:
    """Draft a recommendation for a unit the group supervises; its source clues must be in my compartments."""
    return services.run(DraftRecommendation(group_id=permission.principal.group_id or "", **body.fields()),
                        permission)


@router.get("/recommendations")
async def list_recommendations(
    read_models: ReadModels, response: Response, page: Paging, after: After,
    status: Annotated[RecommendationStatus | None, Query(description="按状态 (by status)")] = None,
    unit_id: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
    sort: Annotated[str, Query(description=f"排序 (sort): {', '.join(clue_view.REC_SORTS)}")] = "deadline",
    permission: Permission = require("clues.list_recommendations", listing=True),
) -> ListPage[RecommendationView]:
    """Recommendations I may see: the group its own (drafts too), the unit those issued to it, HQ all issued."""
    chosen = sort_named(clue_view.REC_SORTS, sort, "deadline")
    found, freshness = await answer(read_models, response, "clue_queue", after, lambda tx: clue_view.list_recommendations(
        tx, permission.principal, status, unit_id, chosen, page))
    return ListPage[RecommendationView](items=[RecommendationView.model_validate(r) for r in found.rows],
                                        next_cursor=found.next_cursor, freshness=freshness)


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
