"""Group workbench: integrity files (廉政档案) and the person↔matter view (以人看事、以事看人), from the people
read model through the API's own read functions (`GET /api/people`, `/api/people/{id}`, its
`/integrity-file` and `/matters`, `/api/people/matters/{id}/people`). The group, HQ and the auditor read them; never a unit or a team."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from authz import Permission
from gateway.deps import ReadModels
from gateway.people import router as people_api
from gateway.permissions import require
from gateway.reads import After, Paging
from gateway.web.channel import UnitChoice
from gateway.web.render import page
from projections.common.query import PageRequest
from services.ledgers.vocab import LIST_KINDS
from services.units.inbound import EVALUATION_GRADES, INTEGRITY_OPINIONS
from services.units.roster import POST_KINDS

router = APIRouter(include_in_schema=False)
NameChoice = Query(default=None, min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")
RECORD_KINDS = ("appointed", "left_post", "democratic_evaluation", "duty_integrity_report", "integrity_opinion",
                "integrity_opinion_requested", "leader_evaluation", "key_person_flagged", "key_person_unflagged",
                "clue_outcome")
DETAIL_LABELS = {"title": "职务 (post held)", "post": "职务 (post)", "post_kind": "岗位类别 (kind of post)",
                 "grade": "测评等次 (grade)", "opinion": "廉政意见 (integrity opinion)",
                 "request_ref": "征求意见函号 (request reference)"}
"""The fields an integrity-file entry carries (`projections.people`), labelled."""
DETAIL_VALUES = {"post_kind": POST_KINDS, "grade": EVALUATION_GRADES, "opinion": INTEGRITY_OPINIONS}


@router.get("/group/people", response_class=HTMLResponse)
async def directory(request: Request, read_models: ReadModels, page_request: Paging, after: After,
                    name: str | None = NameChoice, unit: str | None = UnitChoice,
                    permission: Permission = require("people.read", listing=True)) -> HTMLResponse:
    """The people of the rosters the user may read, found by name and unit; each opens its file. Two cadres of
    one name are two rows: a person is their roster id, never their name."""
    found = await people_api.people(read_models=read_models, response=Response(), page=page_request, after=after,
                                    name=name, unit_id=unit or None, key_person=None, permission=permission)
    return page(request, "people.html", principal=permission.principal, active="people", name=name or "",
                unit_id=unit or "", persons=found.items, next_cursor=found.next_cursor)


@router.get("/group/people/{person_id}", response_class=HTMLResponse)
async def person(request: Request, read_models: ReadModels, page_request: Paging, after: After,
                 person_id: str = Path(max_length=64, pattern=people_api.ID_PATTERN),
                 permission: Permission = require("people.read", listing=True)) -> HTMLResponse:
    """A cadre's integrity file and the matters they appear in (以人看事); a person the user may not read is the
    page of a missing one."""
    summary = await people_api.person(read_models=read_models, response=Response(), after=after,
                                      person_id=person_id, permission=permission)
    found = await people_api.integrity_file(read_models=read_models, response=Response(), page=page_request,
                                            after=after, person_id=person_id, permission=permission)
    listed = await people_api.matters_of(read_models=read_models, response=Response(), page=PageRequest(limit=100),
                                         after=after, person_id=person_id, permission=permission)
    return page(request, "people_person.html", principal=permission.principal, active="people",
                person=summary.item, records=found.items, matters=listed.items, next_cursor=found.next_cursor,
                list_kinds=LIST_KINDS, record_kinds=RECORD_KINDS, detail_labels=DETAIL_LABELS,
                detail_values=DETAIL_VALUES)


@router.get("/group/people/matters/{matter_id}", response_class=HTMLResponse)
async def matter(request: Request, read_models: ReadModels, after: After,
                 matter_id: str = Path(max_length=64, pattern=people_api.ID_PATTERN),
                 permission: Permission = require("people.read")) -> HTMLResponse:
    """以事看人: the people a matter names; a matter the user may not read is the page of a missing one."""
    found = await people_api.people_of(read_models=read_models, response=Response(), after=after,
                                       matter_id=matter_id, permission=permission)
    return page(request, "people_matter.html", principal=permission.principal, active="people",
                matter_id=matter_id, people=found.item)
