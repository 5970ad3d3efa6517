"""People commands (既监督事也监督人, 廉政意见): the group marks important posts and fields, flags key persons,
evaluates the unit's responsible leaders and asks the unit for integrity opinions. The unit's reply is the
liaison portal's `POST /api/units/{unit_id}/inbound/integrity-opinion-replies` (with the request's `item_id`)."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.errors import API_ERRORS
from gateway.routes import operation_route
from services.units.interface import (
    ClueTieBody,
    EvaluateLeader,
    FlagKeyPerson,
    ImportantFieldsBody,
    IntegrityOpinionRequestBody,
    KeyPersonBody,
    LeaderEvaluationBody,
    RequestIntegrityOpinion,
    SetImportantFields,
    TieClueOutcome,
)

router = APIRouter(prefix="/api", tags=["people"], responses=API_ERRORS)

operation_route(router, "POST", "/units/{unit_id}/important-fields", SetImportantFields, "units.mark_important",
                body=ImportantFieldsBody)
operation_route(router, "POST", "/units/{unit_id}/people/{person_id}/key-person", FlagKeyPerson,
                "units.supervise_people", body=KeyPersonBody)
operation_route(router, "POST", "/units/{unit_id}/people/{person_id}/evaluations", EvaluateLeader,
                "units.supervise_people", body=LeaderEvaluationBody, status_code=201)
operation_route(router, "POST", "/units/{unit_id}/integrity-opinion-requests", RequestIntegrityOpinion,
                "units.request_integrity_opinion", body=IntegrityOpinionRequestBody, status_code=201)
operation_route(router, "POST", "/units/{unit_id}/people/{person_id}/clue-outcomes", TieClueOutcome,
                "units.tie_clue_outcome", body=ClueTieBody, status_code=201)
