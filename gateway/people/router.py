"""People reads: integrity files (廉政档案), person↔matter (以事看人，以人看事), the political portrait (政治画像) of
a unit and year, and the quarterly statistics of a group (组务会季度专题研究), from the people read model.

Who: the group (for the units it supervises), HQ and the auditor. Never a unit: the portrait and the figures
carry clue-derived numbers about its own cadres, and DOMAIN.md says a unit never sees anything about clues
concerning it, not even a count. Never an inspection team. Rows come through `read_filter`; clue figures
through `count_filter` (a group member counts only clues whose compartment includes them).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

import authz
from authz import Permission, Scope
from gateway.deps import ReadModels
from gateway.errors import API_ERRORS
from gateway.permissions import require
from gateway.reads import After, Answer, ListPage, Paging, answer
from projections.people import view as people_view
from services.common.errors import NotFoundError

router = APIRouter(prefix="/api", tags=["people"], responses=API_ERRORS)

ID_PATTERN = r"^[A-Za-z0-9_.:\-]+$"
PersonName = Annotated[str | None, Query(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$",
                                         description="干部姓名 (the cadre's name as the unit reports it)")]
PersonId = Annotated[str, Path(max_length=64, pattern=ID_PATTERN, description="人员编号 (the roster's person id)")]
Year = Annotated[int, Query(ge=2000, le=2100, description="年度 (calendar year)")]


class IntegrityRecord(BaseModel):
    record_id: str
    person_id: str
    person: str
    kind: str = Field(description="appointed | left_post | democratic_evaluation | duty_integrity_report | "
                                  "integrity_opinion_requested | integrity_opinion | leader_evaluation | "
                                  "key_person_flagged | key_person_unflagged | clue_outcome (a concluded clue's codes, "
                                  "read by the clue's compartment only)")
    year: int | None
    on_date: date
    detail: dict[str, Any]
    unit_id: str
    group_id: str
    distribution: str


class PersonRow(BaseModel):
    person_id: str = Field(description="人员编号: two cadres of one name are two people")
    name: str
    unit_id: str
    group_id: str
    distribution: str
    key_minority: bool = Field(description="关键少数: 一把手 or leadership-team member, in post")
    key_person: bool = Field(description="重点人 (the group's flag; false for a reader who may not read it)")


class PersonPost(BaseModel):
    post_id: str
    post_kind: str
    title: str
    department_id: str
    since: date
    left_on: date | None
    key_minority: bool
    important_fields: list[str] = Field(description="重要岗位、重点领域 of the post and of its department")


class LeaderEvaluation(BaseModel):
    evaluation_id: str
    period: str
    aspects: dict[str, str]
    overall: str
    observation: str
    revision: int


class PersonFile(BaseModel):
    person_id: str
    name: str
    unit_id: str
    group_id: str
    distribution: str
    posts: list[PersonPost]
    key_minority: bool
    key_person: bool
    key_person_since: date | None
    evaluations: list[LeaderEvaluation] = Field(description="the latest evaluation of each period, oldest first")


class PersonMatter(BaseModel):
    matter_id: str
    matter_kind: str = Field(description="item (四单 item) | power_matter (三重一大)")
    role: str = Field(description="owner | department_head")
    title: str
    owner: str | None
    owner_person_id: str | None = Field(description="责任人的人员编号 (the owner's person id the item records)")
    department_id: str | None
    directive_id: str | None
    list_kind: str | None
    problem_type: str | None
    category: str | None
    status: str
    opened_on: date
    closed_on: date | None
    due_on: date | None
    overdue: bool
    unit_id: str


class MatterPerson(BaseModel):
    person_id: str | None = Field(description="None when the unit has two people of the owner's name")
    person: str
    role: str = Field(description="owner | department_head")
    post_kind: str | None
    title: str | None


class Indicators(BaseModel):
    inspection_findings: int
    activity_findings: int
    findings_by_type: dict[str, int]
    look_backs: int
    look_backs_reopening: int
    directives_received: int
    relayed: int
    relay_median_days: float | None
    items_overdue: int
    problems_opened: int
    problems_closed: int
    rectification_rate: float | None
    problems_by_type: dict[str, int]
    feedback_issued: int
    feedback_answered: int
    feedback_answered_rate: float | None
    power_matters: int
    democratic_evaluation: dict[str, int]
    clues_received: int
    key_person_clues: int
    four_forms: dict[str, int]


class Portrait(BaseModel):
    unit_id: str
    year: int
    indicators: Indicators
    previous: Indicators = Field(description="上一年度 (the year before)")
    change: dict[str, float | None] = Field(description="同比变化 (this year minus the year before)")


class QuarterFigures(BaseModel):
    directives_received: int
    directives_relayed: int
    items_opened: int
    items_closed: int
    problems_opened: int
    outbound_issued: int
    outbound_answered: int
    clues_received: int
    reviews_held_on: list[date]


class Quarterly(BaseModel):
    year: int
    quarter: int
    groups: dict[str, QuarterFigures]


@router.get("/people")
async def people(read_models: ReadModels, response: Response, page: Paging, after: After, name: PersonName = None,
                 unit_id: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
                 key_person: Annotated[bool | None, Query(description="重点人 only (true) or the others (false)")] = None,
                 permission: Permission = require("people.read", listing=True)) -> ListPage[PersonRow]:
    """The people of the rosters the reader may read, by name, each with the roster's person id."""
    found, freshness = await answer(read_models, response, "people", after, lambda tx: people_view.persons(
        tx, permission.principal, unit_id, name, key_person, page))
    return ListPage[PersonRow](items=[PersonRow.model_validate(r) for r in found.rows],
                               next_cursor=found.next_cursor, freshness=freshness)


@router.get("/people/{person_id}/integrity-file")
async def integrity_file(read_models: ReadModels, response: Response, page: Paging, after: After,
                         person_id: PersonId, permission: Permission = require("people.read", listing=True),
                         ) -> ListPage[IntegrityRecord]:
    """A cadre's integrity file: posts, democratic evaluations, duty-and-integrity reports, integrity-opinion
    requests and replies, the group's evaluations and key-person flags (each as far as the reader may read it)."""
    found, freshness = await answer(read_models, response, "people", after, lambda tx: people_view.integrity_file(
        tx, permission.principal, person_id, page))
    return ListPage[IntegrityRecord](items=[IntegrityRecord.model_validate(r) for r in found.rows],
                                     next_cursor=found.next_cursor, freshness=freshness)


@router.get("/people/{person_id}/matters")
async def matters_of(read_models: ReadModels, response: Response, page: Paging, after: After, person_id: PersonId,
                     permission: Permission = require("people.read", listing=True)) -> ListPage[PersonMatter]:
    """以人看事: every matter a person appears in, newest first."""
    found, freshness = await answer(read_models, response, "people", after,
                                    lambda tx: people_view.matters_of(tx, permission.principal, person_id, page))
    return ListPage[PersonMatter](items=[PersonMatter.model_validate(r) for r in found.rows],
                                  next_cursor=found.next_cursor, freshness=freshness)


@router.get("/people/matters/{matter_id}/people")
async def people_of(read_models: ReadModels, response: Response, after: After,
                    matter_id: Annotated[str, Path(max_length=64, pattern=ID_PATTERN)],
                    permission: Permission = require("people.read")) -> Answer[list[MatterPerson]]:
    """以事看人: the people a matter names; a matter the reader may not read answers 404 like a missing one."""
    found, freshness = await answer(read_models, response, "people", after,
                                    lambda tx: people_view.people_of(tx, permission.principal, matter_id))
    if found is None:
        raise NotFoundError("记录不存在 (not found)")
    return Answer[list[MatterPerson]](item=[MatterPerson.model_validate(p) for p in found], freshness=freshness)


@router.get("/units/{unit_id}/portrait")
async def portrait(read_models: ReadModels, response: Response, after: After, year: Year,
                   unit_id: Annotated[str, Path(max_length=64, pattern=ID_PATTERN)],
                   permission: Permission = require("units.portrait")) -> Answer[Portrait]:
    """政治画像: a unit's indicators of a year and the year before, with the change of each."""
    principal = permission.principal
    if not authz.can(principal, "units.portrait", Scope(unit_id=unit_id)):
        raise NotFoundError("记录不存在 (not found)")
    found, freshness = await answer(read_models, response, "people", after,
                                    lambda tx: people_view.portrait(tx, principal, unit_id, year))
    return Answer[Portrait](item=Portrait.model_validate(found), freshness=freshness)


@router.get("/people/quarterly")
async def quarterly(read_models: ReadModels, response: Response, after: After, year: Year,
                    quarter: Annotated[int, Query(ge=1, le=4, description="季度 (quarter) 1-4")],
                    group_id: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
                    permission: Permission = require("people.quarterly", listing=True)) -> Answer[Quarterly]:
    """What a group did in a quarter, for its quarterly review: a group its own, HQ and audit any or all."""
    principal = permission.principal
    if principal.org_kind == "group":
        group_id = principal.group_id
    found, freshness = await answer(read_models, response, "people", after,
                                    lambda tx: people_view.quarterly(tx, principal, group_id, year, quarter))
    return Answer[Quarterly](item=Quarterly(year=year, quarter=quarter,
                                            groups={g: QuarterFigures.model_validate(f) for g, f in found.items()}),
                             freshness=freshness)


# after /people/quarterly: a path parameter there would take that route's name as a person id
@router.get("/people/{person_id}")
async def person(read_models: ReadModels, response: Response, after: After, person_id: PersonId,
                 permission: Permission = require("people.read")) -> Answer[PersonFile]:
    """A person: posts (关键少数, 重要岗位、重点领域), the key-person flag and the group's evaluations."""
    found, freshness = await answer(read_models, response, "people", after,
                                    lambda tx: people_view.person(tx, permission.principal, person_id))
    if found is None:
        raise NotFoundError("记录不存在 (not found)")
    return Answer[PersonFile](item=PersonFile.model_validate(found), freshness=freshness)
