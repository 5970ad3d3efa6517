"""The units router object (the route modules attach themselves to it)."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.errors import API_ERRORS

router = APIRouter(prefix="/api/units", tags=["units"], responses=API_ERRORS)
