"""Units routes (the router object lives in common.py; the route modules attach themselves to it)."""

from __future__ import annotations

from gateway.units import (
    lists_meetings,
    routes_channel,
    routes_meetings,
    routes_portal,
    routes_read,
    routes_work,
)
from gateway.units.common import router

__all__ = ["lists_meetings", "router", "routes_channel", "routes_meetings", "routes_portal", "routes_read", "routes_work"]
