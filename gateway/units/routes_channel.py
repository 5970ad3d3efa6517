"""The units lists, from read models (`unit_channel`, and `unit_portal` for submissions), paged and authorised
in the query. A unit the caller may not read such records of answers the 404 of a unit never registered.

Rows are the records' summaries; the full record (body, minutes, observations, replies) is read by id.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Any

from fastapi import Response
from pydantic import BaseModel, Field, field_validator

from authz import Permission, Principal
from authz.filters import read_filter
from gateway.deps import ReadModels
from gateway.permissions import require
from gateway.reads import After, ListPage, Paging, answer
from gateway.units.common import router
from gateway.units.routes_read import PortalSubmission, SubmissionStatus
from projections.common.db import Tx
from projections.common.query import Page, PageRequest, sort_named
from projections.unit_channel import view
from projections.unit_portal import view as portal_view
from services.common.interface import Id
from services.units.interface import (
    ConsultationKind,
    Decision,
    DraftStatus,
    FeedbackForm,
    InboundKind,
    ItemStatus,
    MatterCategory,
    MatterSource,
    OutboundKind,
    UpwardKind,
)
from services.units.interface.fields import DepartmentKind
from services.units.queries import unit_absent

CHANNEL = "unit_channel"


class DraftRow(BaseModel):
    draft_id: str
    group_id: str
    unit_id: str
    distribution: str
    title: str
    form: FeedbackForm
    important: bool
    counterpart_id: str
    drafted_by: str
    deadline: date
    drafted_on: date
    revision: int
    status: DraftStatus
    opinion_count: int = Field(description="本稿已记录意见的组员数 (members with an opinion on this revision)")
    decision: Decision | None
    issued_item_id: str | None


class ItemRow(BaseModel):
    item_id: str
    group_id: str
    unit_id: str
    distribution: str
    kind: OutboundKind
    title: str
    reference_number: str
    counterpart_id: str
    counterpart_name: str
    level: DepartmentKind
    signed_by: str
    deadline: date
    issued_on: date
    source_ref: str | None
    status: ItemStatus
    delivered_on: date | None
    acknowledged_on: date | None
    answer_count: int
    last_answered_on: date | None
    overdue_on: date | None
    withdrawn: str | None = Field(description="撤回理由 (the reason, once withdrawn)")


class MatterRow(BaseModel):
    matter_id: str
    group_id: str
    unit_id: str
    distribution: str
    category: MatterCategory
    title: str
    department_id: str
    department_name: str
    decided_on: date
    source: MatterSource
    amount_yuan: int | None
    observation_count: int
    concern_count: int = Field(description="提出关注的观察数 (observations raising a concern)")


class UpwardRow(BaseModel):
    upward_id: str
    group_id: str
    unit_id: str | None
    distribution: str
    kind: UpwardKind
    title: str
    submitted_on: date
    reply_count: int
    final_reply_on: date | None


class ConsultationRow(BaseModel):
    consultation_id: str
    group_id: str
    unit_id: str
    distribution: str
    kind: ConsultationKind
    held_on: date
    topics: list[str]
    action_count: int
    actions_done: int

    @field_validator("topics", mode="before")
    @classmethod
    def _stored_as_json(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value


class AnnouncementRow(BaseModel):
    announcement_id: str
    group_id: str
    unit_id: str
    distribution: str
    title: str
    published_on: date


class DraftSort(StrEnum):
    newest = "-drafted_on"
    deadline = "deadline"


class ItemSort(StrEnum):
    deadline = "deadline"
    newest = "-issued_on"


class MatterSort(StrEnum):
    decided_on = "decided_on"
    newest = "-decided_on"


class UpwardSort(StrEnum):
    newest = "-submitted_on"
    oldest = "submitted_on"


class ConsultationSort(StrEnum):
    held_on = "held_on"
    newest = "-held_on"


class AnnouncementSort(StrEnum):
    newest = "-published_on"
    oldest = "published_on"


def _in_unit(principal: Principal, unit_id: str, distribution: str, units_table: str = "channel_units",
             ) -> Callable[[Tx], None]:
    def check(tx: Tx) -> None:
        if not view.unit_readable(tx, principal, unit_id, distribution, units_table):
            raise unit_absent()

    return check


async def _list(read_models: ReadModels, response: Response, after: dict[str, int], page: PageRequest,
                permission: Permission, listing: view.Listing, sort: str, filters: dict[str, str | None],
                model: type[BaseModel], check: Callable[[Tx], None] | None = None,
                projection: str = CHANNEL) -> dict[str, Any]:
    readable = read_filter(permission.principal, view.ROWS)
    chosen = sort_named(listing.sorts, sort, listing.default_sort)

    def query(tx: Tx) -> Page:
        if check is not None:
            check(tx)
        return listing.page(tx, readable, page, chosen, filters)

    found, freshness = await answer(read_models, response, projection, after, query)
    return {"items": [model.model_validate(row) for row in found.rows], "next_cursor": found.next_cursor,
            "freshness": freshness}


@router.get("/units/{unit_id}/items")
async def list_items(unit_id: Id, read_models: ReadModels, response: Response, page: Paging, after: After,
                     status: ItemStatus | None = None, sort: ItemSort = ItemSort.deadline,
                     permission: Permission = require("units.read")) -> ListPage[ItemRow]:
    """Items addressed to the unit, by deadline (a unit user sees only its own unit's)."""
    found = await _list(read_models, response, after, page, permission, view.ITEMS, sort.value,
                        {"unit_id": unit_id, "status": status}, ItemRow,
                        _in_unit(permission.principal, unit_id, "unit"))
    return ListPage[ItemRow](**found)


@router.get("/units/{unit_id}/feedback-drafts")
async def list_feedback_drafts(unit_id: Id, read_models: ReadModels, response: Response, page: Paging, after: After,
                               sort: DraftSort = DraftSort.newest,
                               permission: Permission = require("units.read_draft")) -> ListPage[DraftRow]:
    """The group's feedback drafts for a unit, newest first (group-internal; the full draft by id)."""
    found = await _list(read_models, response, after, page, permission, view.DRAFTS, sort.value,
                        {"unit_id": unit_id}, DraftRow, _in_unit(permission.principal, unit_id, "group"))
    return ListPage[DraftRow](**found)


@router.get("/units/{unit_id}/power-matters")
async def list_power_matters(unit_id: Id, read_models: ReadModels, response: Response, page: Paging, after: After,
                             category: MatterCategory | None = None, sort: MatterSort = MatterSort.decided_on,
                             permission: Permission = require("units.read_power")) -> ListPage[MatterRow]:
    """The unit's 三重一大 matters by decision date."""
    found = await _list(read_models, response, after, page, permission, view.MATTERS, sort.value,
                        {"unit_id": unit_id, "category": category}, MatterRow,
                        _in_unit(permission.principal, unit_id, "hq"))
    return ListPage[MatterRow](**found)


@router.get("/upward")
async def list_upward(read_models: ReadModels, response: Response, page: Paging, after: After,
                      group_id: Id | None = None, sort: UpwardSort = UpwardSort.newest,
                      permission: Permission = require("units.read", listing=True)) -> ListPage[UpwardRow]:
    """Requests and reports to the commission the caller may read, newest first."""
    found = await _list(read_models, response, after, page, permission, view.UPWARD, sort.value,
                        {"group_id": group_id}, UpwardRow)
    return ListPage[UpwardRow](**found)


@router.get("/units/{unit_id}/consultations")
async def list_consultations(unit_id: Id, read_models: ReadModels, response: Response, page: Paging, after: After,
                             sort: ConsultationSort = ConsultationSort.held_on,
                             permission: Permission = require("units.read")) -> ListPage[ConsultationRow]:
    """Consultations with the unit, by date."""
    found = await _list(read_models, response, after, page, permission, view.CONSULTATIONS, sort.value,
                        {"unit_id": unit_id}, ConsultationRow, _in_unit(permission.principal, unit_id, "unit"))
    return ListPage[ConsultationRow](**found)


@router.get("/units/{unit_id}/announcements")
async def list_announcements(unit_id: Id, read_models: ReadModels, response: Response, page: Paging, after: After,
                             sort: AnnouncementSort = AnnouncementSort.newest,
                             permission: Permission = require("units.read")) -> ListPage[AnnouncementRow]:
    """Joint supervision announcements with the unit, newest first."""
    found = await _list(read_models, response, after, page, permission, view.ANNOUNCEMENTS, sort.value,
                        {"unit_id": unit_id}, AnnouncementRow, _in_unit(permission.principal, unit_id, "unit"))
    return ListPage[AnnouncementRow](**found)


@router.get("/units/{unit_id}/submissions")
async def list_submissions(unit_id: Id, read_models: ReadModels, response: Response, page: Paging, after: After,
                           kind: InboundKind | None = None, status: SubmissionStatus | None = None,
                           permission: Permission = require("units.read")) -> ListPage[PortalSubmission]:
    """The unit's submissions with their status, newest first (the full record: GET /submissions/{id})."""
    readable = read_filter(permission.principal, portal_view.SUBMISSION_COLUMNS_OF)
    chosen = portal_view.SUBMISSION_SORTS["-received_at"]
    check = _in_unit(permission.principal, unit_id, "unit", "unit_portal_units")

    def query(tx: Tx) -> Page:
        check(tx)
        return portal_view.submissions_page(tx, readable, page, chosen, unit_id=unit_id, kind=kind,
                                            status=status.value if status else None)

    found, freshness = await answer(read_models, response, "unit_portal", after, query)
    return ListPage[PortalSubmission](items=[PortalSubmission.model_validate(r) for r in found.rows],
                                      next_cursor=found.next_cursor, freshness=freshness)
