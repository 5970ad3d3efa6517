"""HQ dashboard reads (HQ sees every group; a group sees its own rows)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

import authz
from gateway.deps import CurrentPrincipal, ReadModels
from projections.hq_dashboard.view import HqDashboardView

router = APIRouter(prefix="/api/hq", tags=["hq"])


@router.get("/dashboard")
def dashboard(
    principal: CurrentPrincipal,
    read_models: ReadModels,
    after_ledgers: int | None = Query(default=None, description="wait until ledgers position is reflected"),
) -> dict[str, Any]:
    """Directives per group, counted from the HQ dashboard read model."""
    authz.require(principal, "hq_dashboard.read")
    read_models.wait("hq_dashboard", "ledgers", after_ledgers)
    view = HqDashboardView(read_models.db)

    def visible(row: dict[str, Any]) -> bool:
        return authz.can_read(principal, group_id=row["group_id"], unit_id=row["unit_id"],
                              distribution=row["distribution"])

    summary = view.summary(visible)
    summary["position"] = read_models.runners["hq_dashboard"].positions().get("ledgers", 0) \
        if "hq_dashboard" in read_models.runners else None
    return summary


@router.get("/directives")
def directives(principal: CurrentPrincipal, read_models: ReadModels) -> list[dict[str, Any]]:
    authz.require(principal, "hq_dashboard.read")
    view = HqDashboardView(read_models.db)
    return view.directives(
        lambda row: authz.can_read(principal, group_id=row["group_id"], unit_id=row["unit_id"],
                                   distribution=row["distribution"])
    )
