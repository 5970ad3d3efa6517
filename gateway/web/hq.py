"""HQ portal: the cross-group dashboard (charts, period selection, group drill-down) and its alert list.

The figures are the API's own: `gateway.hq.router.dashboard` (the HQ dashboard read model, authorised in its
query), `gateway.hq.router.alert_list`, `gateway.hq.router.directives` for a group's drill-down and
`gateway.clues.router.statistics` (counts only, from the clue queue read model).
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from authz import Permission
from gateway.clues import router as clues_api
from gateway.deps import Membership, ReadModels, Services, Today
from gateway.hq import router as hq_api
from gateway.permissions import require
from gateway.reads import After, Paging
from gateway.web.paging import every_page
from gateway.web.render import page, translator
from services.clues.domainmodel import STATUS_LABELS
from services.ledgers.vocab import STAGE_LABELS

router = APIRouter(include_in_schema=False)
PERIOD = r"^(all|\d{4}|\d{4}-Q[1-4])$"


def bounds(period: str) -> tuple[date | None, date | None]:
    """The first and last day of a period: `all`, a year `2025` or a quarter `2025-Q2`."""
    if period == "all":
        return None, None
    if "-Q" in period:
        year, quarter = (int(part) for part in period.split("-Q"))
        first = date(year, 3 * quarter - 2, 1)
        last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        return first, date.fromordinal(last.toordinal() - 1)
    return date(int(period), 1, 1), date(int(period), 12, 31)


def periods(today: date) -> list[str]:
    return ["all"] + [p for y in range(today.year, today.year - 3, -1)
                      for p in (str(y), *(f"{y}-Q{q}" for q in range(4, 0, -1)))]


@router.get("/hq", response_class=HTMLResponse)
async def dashboard(request: Request, read_models: ReadModels, services: Services, membership: Membership,
                    today: Today, page_request: Paging, after: After,
                    period: str = Query("all", pattern=PERIOD), group: str | None = Query(None, max_length=64),
                    permission: Permission = require("hq_dashboard.read", listing=True),
                    statistics: Permission = require("clues.statistics", listing=True)) -> HTMLResponse:
    tr = translator(request)
    since, until = bounds(period)
    figures = await hq_api.dashboard(read_models=read_models, response=Response(), after=after, permission=permission,
                                     after_ledgers=None, since=since, until=until)
    alerts = await hq_api.alert_list(read_models=read_models, response=Response(), page=page_request, after=after,
                                     today=today,
                                     permission=permission)
    group_ids = list(figures.groups)
    orgs = membership.organisations([*group_ids, *(a.group_id for a in alerts.items), *([group] if group else [])])

    def name(org_id: str) -> str:
        org = orgs.get(org_id)
        return (org.name_en if tr.language == "en" and org.name_en else org.name) if org else org_id

    counts = figures.groups
    comparison = {"kind": "bar", "labels": [name(g) for g in group_ids], "series": [
        {"name": tr.t("hq.directives"), "data": [counts[g].directives for g in group_ids]},
        {"name": tr.t("hq.relayed"), "data": [counts[g].relayed for g in group_ids]},
        {"name": tr.t("hq.closed"), "data": [counts[g].closed for g in group_ids]},
        {"name": tr.t("hq.overdue"), "data": [counts[g].overdue for g in group_ids]},
    ]}
    rates = {"kind": "bar", "labels": [name(g) for g in group_ids], "series": [
        {"name": tr.t("hq.closure_rate"), "data": [round(100 * (counts[g].closure_rate or 0), 1) for g in group_ids]},
    ]}
    months = list(figures.months)
    trend = {"kind": "line", "labels": months, "series": [
        {"name": tr.t("hq.received"), "data": [figures.months[m].received for m in months]},
        {"name": tr.t("hq.closed"), "data": [figures.months[m].closed for m in months]},
    ]}
    clue_figures = (await clues_api.statistics(read_models=read_models, response=Response(), after=after,
                                               group_id=group if group in group_ids else None,
                                               permission=statistics)).item
    clue_chart = {"kind": "pie", "labels": [tr.label(STATUS_LABELS.get(s, s)) for s in clue_figures.status],
                  "series": [{"name": tr.t("hq.clues"), "data": list(clue_figures.status.values())}]}
    drilled = (await every_page(
        hq_api.directives, read_models=read_models, permission=permission, enough=200,
        keep=lambda d: d.group_id == group and (since is None or d.received_on >= since)
        and (until is None or d.received_on <= until)) if group else [])
    total = figures.total_directives
    closed = sum(g.closed for g in counts.values())
    return page(request, "hq.html", principal=permission.principal, active="hq", period=period,
                periods=periods(today), group=group, group_ids=group_ids, name=name, total=total, closed=closed,
                overdue=sum(g.overdue for g in counts.values()), counts=counts,
                charts={"comparison": comparison, "rates": rates, "trend": trend, "clues": clue_chart},
                clue_total=clue_figures.total, alerts=alerts.items, more_alerts=alerts.next_cursor,
                drilled=drilled, stage_labels=STAGE_LABELS, freshness=figures.freshness)
