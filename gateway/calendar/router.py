"""The working-day calendar: HQ records a year's arrangement from the State Council's notice; everyone reads it.

The ledgers service keeps the arrangements (and publishes them to the other services); see
services/ledgers/calendar.py.
"""

from __future__ import annotations

from fastapi import APIRouter

from gateway.errors import API_ERRORS
from gateway.routes import operation_route
from services.ledgers.interface import ListCalendarArrangements, RecordCalendarArrangement

router = APIRouter(prefix="/api/calendar", tags=["calendar"], responses=API_ERRORS)

operation_route(router, "POST", "/arrangements", RecordCalendarArrangement, "calendar.record_arrangement",
                body=RecordCalendarArrangement, status_code=201)
operation_route(router, "GET", "/arrangements", ListCalendarArrangements, "calendar.read_arrangements")
