"""The lists of meeting supervision and of the three-level network's joint work, from the `unit_channel` read
model, paged and authorised in the query (the full records, with what was observed, are read by id)."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from typing import Any

from fastapi import Response
from pydantic import BaseModel, field_validator

from authz import Permission
from gateway.deps import ReadModels
from gateway.permissions import require
from gateway.reads import After, ListPage, Paging
from gateway.units.common import router
from gateway.units.routes_channel import _in_unit, _list
from projections.unit_channel import view
from services.common.interface import Id
from services.units.interface.meetings import ContactKind, MeetingKind, NetworkActivityKind, Stage


class _JsonIds(BaseModel):
    @field_validator("person_ids", "participant_ids", mode="before", check_fields=False)
    @classmethod
    def _stored_as_json(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value


class ContactRow(_JsonIds):
    contact_id: str
    group_id: str
    unit_id: str
    distribution: str
    kind: ContactKind
    meeting_kind: MeetingKind | None
    held_on: date
    title: str
    person_ids: list[str]
    directive_id: str | None
    stage: Stage | None
    observation_count: int
    concern_count: int
    matter_count: int


class NetworkActivityRow(_JsonIds):
    activity_id: str
    group_id: str
    unit_id: str
    distribution: str
    kind: NetworkActivityKind
    held_on: date
    title: str
    participant_ids: list[str]
    assignment: str | None


class HeldSort(StrEnum):
    newest = "-held_on"
    oldest = "held_on"


@router.get("/units/{unit_id}/leadership-contacts")
async def list_leadership_contacts(
        unit_id: Id, read_models: ReadModels, response: Response, page: Paging, after: After,
        kind: ContactKind | None = None, directive_id: Id | None = None, sort: HeldSort = HeldSort.newest,
        permission: Permission = require("units.read_meetings")) -> ListPage[ContactRow]:
    """Leadership meetings attended, exchanges of views with the 一把手 and talks in the unit, newest first."""
    found = await _list(read_models, response, after, page, permission, view.CONTACTS, sort.value,
                        {"unit_id": unit_id, "kind": kind, "directive_id": directive_id}, ContactRow,
                        _in_unit(permission.principal, unit_id, "hq"))
    return ListPage[ContactRow](**found)


@router.get("/units/{unit_id}/network-activities")
async def list_network_activities(
        unit_id: Id, read_models: ReadModels, response: Response, page: Paging, after: After,
        kind: NetworkActivityKind | None = None, sort: HeldSort = HeldSort.newest,
        permission: Permission = require("units.read")) -> ListPage[NetworkActivityRow]:
    """Joint meetings, training, 以干代训 and guidance of the unit's discipline network, newest first."""
    found = await _list(read_models, response, after, page, permission, view.NETWORK_ACTIVITIES, sort.value,
                        {"unit_id": unit_id, "kind": kind}, NetworkActivityRow,
                        _in_unit(permission.principal, unit_id, "unit"))
    return ListPage[NetworkActivityRow](**found)
