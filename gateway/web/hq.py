"""HQ portal: the cross-group dashboard (charts, period selection, group drill-down) and its alert list.

The figures come from the API's own functions: `gateway.hq.router.directives` (the HQ dashboard read model,
filtered by the authoriser) and `gateway.clues.router.statistics` (counts only).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from authz import Permission
from gateway.clues import router as clues_api
from gateway.deps import Membership, ReadModels, Services
from gateway.hq import router as hq_api
from gateway.permissions import require
from gateway.web.render import page, translator
from services.ledgers.vocab import STAGE_LABELS

router = APIRouter(include_in_schema=False)
PERIOD = r"^(all|\d{4}|\d{4}-Q[1-4])$"


def in_period(day: date, period: str) -> bool:
    if period == "all":
        return True
    if "-Q" in period:
        year, quarter = period.split("-Q")
        return day.year == int(year) and (day.month - 1) // 3 + 1 == int(quarter)
    return day.year == int(period)


def periods(days: list[date]) -> list[str]:
    years = sorted({d.year for d in days}, reverse=True)
    return ["all"] + [p for y in years for p in (str(y), *(f"{y}-Q{q}" for q in range(4, 0, -1)))]


@router.get("/hq", response_class=HTMLResponse)
def dashboard(request: Request, read_models: ReadModels, services: Services, membership: Membership,
              period: str = Query("all", pattern=PERIOD), group: str | None = Query(None, max_length=64),
              permission: Permission = require("hq_dashboard.read", listing=True),
              statistics: Permission = require("clues.statistics", listing=True)) -> HTMLResponse:
    tr = translator(request)
    every = hq_api.directives(read_models, permission)
    rows = [d for d in every if in_period(d.received_on, period)]
    group_ids = sorted({d.group_id for d in rows})

    def name(org_id: str) -> str:
        org = membership.organisation(org_id)
        return (org.name_en if tr.language == "en" and org.name_en else org.name) if org else org_id

    per_group = {g: [d for d in rows if d.group_id == g] for g in group_ids}
    comparison = {
        "kind": "bar", "labels": [name(g) for g in group_ids],
        "series": [
            {"name": tr.t("hq.directives"), "data": [len(per_group[g]) for g in group_ids]},
            {"name": tr.t("hq.relayed"), "data": [sum(1 for d in per_group[g] if d.stages_done) for g in group_ids]},
            {"name": tr.t("hq.completed"), "data": [sum(1 for d in per_group[g] if d.stages_done >= len(STAGE_LABELS))
                                                    for g in group_ids]},
        ],
    }
    by_stage = Counter(d.stages_done for d in rows)
    progress = {"kind": "bar", "labels": [tr.t("hq.stages_done", n=n) for n in range(len(STAGE_LABELS) + 1)],
                "series": [{"name": tr.t("hq.directives"), "data": [by_stage.get(n, 0)
                                                                    for n in range(len(STAGE_LABELS) + 1)]}]}
    months = sorted({d.received_on.strftime("%Y-%m") for d in rows})
    trend = {"kind": "line", "labels": months, "series": [
        {"name": tr.t("hq.received"), "data": [sum(1 for d in rows if d.received_on.strftime("%Y-%m") == m)
                                               for m in months]},
        {"name": tr.t("hq.not_relayed"), "data": [sum(1 for d in rows if d.received_on.strftime("%Y-%m") == m
                                                      and not d.stages_done) for m in months]}]}
    clue_figures = clues_api.statistics(services, group if group in group_ids else None, statistics)
    clue_chart = {"kind": "pie", "labels": [tr.label(status_label(s)) for s in clue_figures.status],
                  "series": [{"name": tr.t("hq.clues"), "data": list(clue_figures.status.values())}]}
    alerts = sorted((d for d in rows if not d.stages_done), key=lambda d: d.received_on)[:20]
    drilled = per_group.get(group or "", []) if group else []
    total = len(rows)
    relayed = sum(1 for d in rows if d.stages_done)
    return page(request, "hq.html", principal=permission.principal, active="hq",
                period=period, periods=periods([d.received_on for d in every]), group=group, group_ids=group_ids,
                name=name, total=total, relayed=relayed, charts={"comparison": comparison, "progress": progress,
                                                                 "trend": trend, "clues": clue_chart},
                clue_total=clue_figures.total, alerts=alerts, drilled=drilled, stage_labels=STAGE_LABELS,
                per_group=per_group)


def status_label(status: str) -> str:
    from services.clues.domainmodel import STATUS_LABELS

    return STATUS_LABELS.get(status, status)
