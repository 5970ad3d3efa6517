"""Annual political-ecology report of a unit (政治生态分析报告; by default of the year before): what the
ledgers say of the unit in a year — the directives and how far they got, the problems found by type, their root
causes, whether they were judged an individual's conduct or a polluted political ecology — as a page with
charts, and as a PDF.

The rows are the API's lists (`GET /api/ledgers/directives`, `GET /api/ledgers/items` filtered by the unit,
authorised in their queries); the unit itself is read as `GET /api/units/units/{unit_id}` reads it, so a unit
one may not see is the page of a missing one. The unit's own users do not get the report: the group's
judgements of its items are not theirs to read.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from authz import Permission, Principal
from gateway.accounts import MembershipSource
from gateway.deps import Membership, ReadModels, Services, Today
from gateway.hq import router as hq_api
from gateway.ledgers import lists as lists_api
from gateway.permissions import grant, require
from gateway.security import content_disposition
from gateway.web.paging import every_page
from gateway.web.pdf import report_pdf
from gateway.web.render import page, translator
from services.common.interface import Id
from services.ledgers.vocab import ECOLOGY_JUDGEMENTS, ITEM_STATUSES, PROBLEM_TYPES, ROOT_CAUSES, STAGE_LABELS
from services.units.interface import GetUnit

router = APIRouter(include_in_schema=False)


async def report(read_models: ReadModels, services: Services, permission: Permission, unit_id: str,
                 year: int) -> dict[str, Any]:
    principal = permission.principal
    unit = services.run(GetUnit(unit_id=unit_id), grant(principal, "units.read"))
    directives = [d for d in await every_page(
        lists_api.list_directives, read_models=read_models, category=None, unit_id=unit_id, status=None,
        overdue=None, include_withdrawn=False, q=None, sort="-received_on",
        permission=grant(principal, "ledgers.read_directive", listing=True)) if d.received_on.year == year]
    items = [i for i in await every_page(
        lists_api.list_items, read_models=read_models, status=None, overdue=None, source=None, list_kind=None,
        directive_id=None, unit_id=unit_id, follower=None, q=None, sort="due_on",
        permission=grant(principal, "ledgers.read_item", listing=True)) if i.opened_at[:4] == str(year)]
    problems = [i for i in items if i.list_kind == "problem"]
    return {
        "unit": unit, "year": year, "directives": directives, "items": items, "problems": problems,
        "stages": Counter(d.stages_done for d in directives),
        "problem_types": Counter(i.problem_type for i in problems if i.problem_type),
        "root_causes": Counter(c for i in problems for c in getattr(i, "root_causes", [])),
        "ecology": Counter(i.ecology for i in problems if getattr(i, "ecology", None)),
        "overdue": sum(1 for i in items if i.overdue), "closed": sum(1 for i in items if i.status == "closed"),
        "completed": sum(1 for d in directives if d.closed_on),
    }


def charts(found: dict[str, Any], tr: Any) -> dict[str, Any]:
    def bar(counter: Counter[str], labels: dict[str, str], name: str) -> dict[str, Any]:
        codes = [c for c in labels if counter.get(c)]
        return {"kind": "bar", "labels": [tr.label(labels[c]) for c in codes],
                "series": [{"name": name, "data": [counter[c] for c in codes]}]}

    return {
        "types": bar(found["problem_types"], PROBLEM_TYPES, tr.t("ecology.problems")),
        "causes": bar(found["root_causes"], ROOT_CAUSES, tr.t("ecology.problems")),
        "judgements": {"kind": "pie", "labels": [tr.label(ECOLOGY_JUDGEMENTS.get(k, k)) for k in found["ecology"]],
                       "series": [{"name": tr.t("ecology.problems"), "data": list(found["ecology"].values())}]},
        "stages": {"kind": "bar", "labels": [tr.t("ecology.stages_done", n=n) for n in range(len(STAGE_LABELS) + 1)],
                   "series": [{"name": tr.t("hq.directives"),
                               "data": [found["stages"].get(n, 0) for n in range(len(STAGE_LABELS) + 1)]}]},
    }


def units_of(principal: Principal, membership: MembershipSource, group_ids: list[str]) -> list[str]:
    """The units whose report the user may open: those their group supervises, or those of the groups the HQ
    dashboard shows them."""
    if principal.supervised_unit_ids:
        return sorted(principal.supervised_unit_ids)
    return sorted({unit for org in membership.organisations(group_ids).values() for unit in org.supervises})


@router.get("/ecology", response_class=HTMLResponse)
async def index(request: Request, read_models: ReadModels, membership: Membership, today: Today,
                permission: Permission = require("hq_dashboard.read", listing=True)) -> HTMLResponse:
    figures = await hq_api.dashboard(read_models=read_models, response=Response(), after={}, permission=permission,
                                     after_ledgers=None, since=None, until=None)
    return page(request, "ecology_index.html", principal=permission.principal, active="ecology",
                units=units_of(permission.principal, membership, list(figures.groups)), year=today.year - 1)


@router.get("/ecology/{unit_id}", response_class=HTMLResponse)
async def unit_report(request: Request, unit_id: Id, read_models: ReadModels, services: Services, today: Today,
                      year: int | None = Query(None, ge=2000, le=2099),
                      permission: Permission = require("hq_dashboard.read", listing=True)) -> HTMLResponse:
    found = await report(read_models, services, permission, unit_id, year or today.year - 1)
    return page(request, "ecology.html", principal=permission.principal, active="ecology", r=found,
                charts=charts(found, translator(request)), years=list(range(today.year, today.year - 4, -1)),
                problem_types=PROBLEM_TYPES, root_causes=ROOT_CAUSES, judgements=ECOLOGY_JUDGEMENTS,
                item_statuses=ITEM_STATUSES)


@router.get("/ecology/{unit_id}/pdf")
async def unit_report_pdf(request: Request, unit_id: Id, read_models: ReadModels, services: Services, today: Today,
                          year: int | None = Query(None, ge=2000, le=2099),
                          permission: Permission = require("hq_dashboard.read", listing=True)) -> Response:
    found = await report(read_models, services, permission, unit_id, year or today.year - 1)
    content = report_pdf(found, translator(request))
    return Response(content, media_type="application/pdf", headers={
        "content-disposition": content_disposition(f"政治生态分析报告-{unit_id}-{found['year']}.pdf"),
        "cache-control": "no-store"})
