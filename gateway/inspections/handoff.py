"""Inspection lists and the handoff, from the inspection-handoff read model, paged and authorised in the query.

Rounds: the group its own, HQ and audit all, a team its open rounds. The handoff (`authz.handoff`): a team
reads its round's frozen package from the moment it is frozen (also before the round opens) until the round
closes, and after the round closes follows the rectification of its own findings until each is closed.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field, field_validator

import authz
from authz import Permission
from authz.filters import Columns, read_filter
from gateway.deps import ReadModels
from gateway.permissions import require
from gateway.reads import After, Answer, ListPage, Paging, answer
from projections.common.db import Tx
from projections.common.query import Page, sort_named
from projections.inspection_handoff import lists
from projections.inspection_handoff.view import InspectionHandoffView
from services.common.errors import NotFoundError
from services.common.interface import Id
from services.inspections.fields import ActivityKind, ProblemType, Stage
from services.inspections.views import RoundSummary

router = APIRouter()
PROJECTION = "inspection_handoff"


class RoundSort(StrEnum):
    newest = "-recorded_at"
    during_start = "during_start"


class ItemSort(StrEnum):
    deadline = "deadline"
    newest = "-handed_over_on"


class ActivitySort(StrEnum):
    newest = "-start_on"
    oldest = "start_on"


class ActivityStatus(StrEnum):
    planned = "planned"
    under_way = "under_way"
    completed = "completed"


class RectificationItem(BaseModel):
    """A rectification item (巡后整改 or from a supervision activity) and its progress, in figures."""

    item_id: str
    round_id: str | None
    activity_id: str | None
    group_id: str
    unit_id: str
    distribution: str
    title: str
    description: str
    problem_type: ProblemType
    responsible_department: str
    deadline: date
    handed_over_on: date
    completed: bool
    completed_on: date | None
    overdue: bool
    progress_count: int = Field(description="记录的整改进展次数 (progress records)")
    last_progress_on: date | None


class ActivityRow(BaseModel):
    activity_id: str
    group_id: str
    unit_id: str
    distribution: str
    kind: ActivityKind
    title: str
    methods: list[str]
    start_on: date
    end_on: date
    leader_id: str | None
    status: ActivityStatus
    started_on: date | None
    completed_on: date | None
    work_count: int = Field(description="记录的工作次数 (pieces of work recorded)")
    last_work_on: date | None
    finding_count: int
    directive_id: str | None = Field(default=None, description="所监督的指示批示 (the directive it supervised)")
    stage: Stage | None = Field(default=None, description="所监督的环节 (the stage it supervised)")

    @field_validator("methods", mode="before")
    @classmethod
    def _stored_as_json(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value


class PackageRow(BaseModel):
    package_id: str
    round_id: str
    group_id: str
    unit_id: str
    title: str = Field(description="巡视轮次名称 (the round's title)")
    status: str = Field(description="轮次状态 (the round's status: planned, open)")
    positions: dict[str, int]
    content_hash: str
    frozen_at: datetime

    @field_validator("positions", mode="before")
    @classmethod
    def _stored_as_json(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value


class DossierEntry(BaseModel):
    occurred_at: datetime
    type: str
    facts: dict[str, Any] = Field(description="事件所载事实 (the facts the event published)")


class DossierSection(BaseModel):
    section: str
    entries: list[DossierEntry]


class Dossier(BaseModel):
    """A frozen briefing package, readable: the ledger's directives with their stages, the sections of the
    unit's record, clue statistics (numbers only), and whether the package rebuilt from its positions still
    has the hash frozen on the round."""

    package: PackageRow
    verified: bool
    rebuilt_hash: str
    directives: list[dict[str, Any]]
    sections: list[DossierSection]
    clue_statistics: dict[str, int]
    handed_over_clue_ids: list[str]


def _round_summary(row: dict[str, Any]) -> RoundSummary:
    phases = {name: {"start": row[f"{name}_start"], "end": row[f"{name}_end"]} for name in ("before", "during",
                                                                                             "after")}
    return RoundSummary.model_validate({
        "round_id": row["round_id"], "group_id": row["group_id"], "unit_id": row["unit_id"], "title": row["title"],
        "team_id": row["team_id"], "member_ids": row["member_ids"], "status": row["status"],
        "is_open": row["status"] == "open", "distribution": row["distribution"], "phases": phases,
    })


@router.get("/rounds")
async def rounds(read_models: ReadModels, response: Response, page: Paging, after: After,
                 unit_id: Id | None = None, sort: RoundSort = RoundSort.newest,
                 permission: Permission = require("inspections.list_rounds", listing=True),
                 ) -> ListPage[RoundSummary]:
    """The rounds the principal may see: the team its open rounds, the group its own, HQ all."""
    readable = lists.rounds_readable(permission.principal)
    chosen = sort_named(lists.ROUND_SORTS, sort.value, RoundSort.newest.value)

    def query(tx: Tx) -> Page:
        return lists.rounds_page(tx, readable, page, chosen, {"unit_id": unit_id})

    found, freshness = await answer(read_models, response, PROJECTION, after, query)
    return ListPage[RoundSummary](items=[_round_summary(r) for r in found.rows], next_cursor=found.next_cursor,
                                  freshness=freshness)


@router.get("/activities")
async def activities(read_models: ReadModels, response: Response, page: Paging, after: After,
                     kind: ActivityKind | None = None, unit_id: Id | None = None,
                     directive_id: Id | None = None, stage: Stage | None = None,
                     sort: ActivitySort = ActivitySort.newest,
                     permission: Permission = require("inspections.list_activities", listing=True),
                     ) -> ListPage[ActivityRow]:
    """The supervision activities the principal may see, optionally of one kind or unit, or those that supervised
    one directive (and one of its stages)."""
    readable = read_filter(permission.principal, Columns(alias="a"))
    chosen = sort_named(lists.ACTIVITY_SORTS, sort.value, ActivitySort.newest.value)

    def query(tx: Tx) -> Page:
        return lists.activities_page(tx, readable, page, chosen, {"kind": kind, "unit_id": unit_id,
                                                                  "directive_id": directive_id, "stage": stage})

    found, freshness = await answer(read_models, response, PROJECTION, after, query)
    return ListPage[ActivityRow](items=[ActivityRow.model_validate(r) for r in found.rows],
                                 next_cursor=found.next_cursor, freshness=freshness)


@router.get("/units/{unit_id}/rectification-items")
async def unit_items(unit_id: Id, read_models: ReadModels, response: Response, page: Paging, after: After,
                     sort: ItemSort = ItemSort.deadline,
                     permission: Permission = require("inspections.read_unit_items"),
                     ) -> ListPage[RectificationItem]:
    """The rectification items addressed to a unit (from rounds and activities), as the caller may read them."""
    if not authz.in_scope(permission.principal, authz.Scope(unit_id=unit_id)):
        raise NotFoundError("记录不存在 (not found)")
    return await _items(read_models, response, page, after, sort, permission, {"unit_id": unit_id})


@router.get("/rectification-items")
async def rectification_items(read_models: ReadModels, response: Response, page: Paging, after: After,
                              unit_id: Id | None = None, round_id: Id | None = None,
                              sort: ItemSort = ItemSort.deadline,
                              permission: Permission = require("inspections.follow_rectification", listing=True),
                              ) -> ListPage[RectificationItem]:
    """Rectification items the caller may read: the unit its own, the group its units', HQ all, and an
    inspection team, after its round closed, its own findings until each is closed (read-only)."""
    return await _items(read_models, response, page, after, sort, permission,
                        {"unit_id": unit_id, "round_id": round_id})


async def _items(read_models: ReadModels, response: Response, page: Any, after: dict[str, int], sort: ItemSort,
                 permission: Permission, filters: dict[str, str | None]) -> ListPage[RectificationItem]:
    readable = lists.items_readable(permission.principal)
    chosen = sort_named(lists.ITEM_SORTS, sort.value, ItemSort.deadline.value)

    def query(tx: Tx) -> Page:
        return lists.items_page(tx, readable, page, chosen, filters)

    found, freshness = await answer(read_models, response, PROJECTION, after, query)
    return ListPage[RectificationItem](items=[RectificationItem.model_validate(r) for r in found.rows],
                                       next_cursor=found.next_cursor, freshness=freshness)


@router.get("/handoff/packages")
async def handoff_packages(read_models: ReadModels, response: Response, page: Paging, after: After,
                           round_id: Id | None = None,
                           permission: Permission = require("inspections.read_handoff", listing=True),
                           ) -> ListPage[PackageRow]:
    """Frozen briefing packages: the team sees its round's from the moment they are frozen until the round
    closes; the group its rounds', HQ and audit all."""
    readable = lists.packages_readable(permission.principal)
    chosen = lists.PACKAGE_SORTS["-frozen_at"]

    def query(tx: Tx) -> Page:
        return lists.packages_page(tx, readable, page, chosen, {"round_id": round_id})

    found, freshness = await answer(read_models, response, PROJECTION, after, query)
    return ListPage[PackageRow](items=[PackageRow.model_validate(r) for r in found.rows],
                                next_cursor=found.next_cursor, freshness=freshness)


@router.get("/handoff/packages/{package_id}")
async def handoff_dossier(package_id: Id, read_models: ReadModels, response: Response, after: After,
                          permission: Permission = require("inspections.read_handoff", listing=True),
                          ) -> Answer[Dossier]:
    """A frozen package as a readable dossier of the unit, rebuilt from its positions and verified."""
    readable = lists.packages_readable(permission.principal)

    def query(tx: Tx) -> dict[str, Any] | None:
        return lists.package(tx, readable, package_id)

    found, freshness = await answer(read_models, response, PROJECTION, after, query)
    if found is None:
        raise NotFoundError("记录不存在 (not found)")
    row = PackageRow.model_validate(found)
    built, digest = InspectionHandoffView(read_models.db).build(row.round_id, row.unit_id, row.positions)
    return Answer[Dossier](item=dossier(row, built, digest), freshness=freshness)


def dossier(row: PackageRow, built: dict[str, Any], digest: str) -> Dossier:
    directives = [{"directive_id": directive_id, **facts}
                  for directive_id, facts in sorted(built["ledger"]["directives"].items())]
    sections = [
        DossierSection(section=name, entries=[
            DossierEntry(occurred_at=e["occurred_at"], type=e["type"], facts=e["payload"]) for e in entries])
        for name, entries in sorted(built["sections"].items())
    ]
    return Dossier(package=row, verified=digest == row.content_hash, rebuilt_hash=digest, directives=directives,
                   sections=sections, clue_statistics=dict(built["clue_statistics"]),
                   handed_over_clue_ids=sorted(built["handed_over_clues"]))
