"""Group workbench: integrity files (廉政档案) and the person↔matter view (以人看事、以事看人), from the people
read model through the API's own read functions (`GET /api/people`, `/api/people/{id}`, its
`/integrity-file` and `/matters`, `/api/people/matters/{id}/people`). The group, HQ and the auditor read them; never a unit or a team."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from authz import Permission
from gateway.deps import ReadModels, Services
from gateway.people import router as people_api
from gateway.permissions import grant, require
from gateway.reads import After, Paging
from gateway.web.channel import UnitChoice
from gateway.web.forms import checked_form, validate, values
from gateway.web.group import localized, may
from gateway.web.render import page
from projections.common.query import PageRequest
from services.common.errors import DomainError
from services.ledgers.vocab import LIST_KINDS
from services.units.evaluations import EVALUATION_ASPECTS
from services.units.inbound import EVALUATION_GRADES, INTEGRITY_OPINIONS
from services.units.interface import EvaluateLeader, LeaderEvaluationBody
from services.units.roster import LEADER_POST_KINDS, POST_KINDS

router = APIRouter(include_in_schema=False)
NameChoice = Query(default=None, min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")
RECORD_KINDS = ("appointed", "left_post", "democratic_evaluation", "duty_integrity_report", "integrity_opinion",
                "integrity_opinion_requested", "leader_evaluation", "key_person_flagged", "key_person_unflagged",
                "clue_outcome")
DETAIL_LABELS = {"title": "职务 (post held)", "post": "职务 (post)", "post_kind": "岗位类别 (kind of post)",
                 "grade": "测评等次 (grade)", "opinion": "廉政意见 (integrity opinion)",
                 "request_ref": "征求意见函号 (request reference)", "period": "评价期间 (period)",
                 "aspects": "分项评价 (aspects)", "overall": "总体评价 (overall)", "observation": "评价依据 (observation)"}
"""The fields an integrity-file entry carries (`projections.people`), labelled."""
DETAIL_VALUES = {"post_kind": POST_KINDS, "grade": EVALUATION_GRADES, "opinion": INTEGRITY_OPINIONS,
                 "overall": EVALUATION_GRADES}
HIDDEN_DETAILS = ("evaluation_id", "revision")
"""Entry fields not shown (an internal id; the revision is the evaluations table's)."""


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


PersonId = Path(max_length=64, pattern=people_api.ID_PATTERN)
EVALUATION_FIELDS = {"work_style_required": "aspects", "unknown_aspect": "aspects", "grade_invalid": "aspects",
                     "period_invalid": "period", "observation_required": "observation"}
"""The evaluation's refusals by the field they are shown next to."""
ASPECT_FIELD = "aspect_"
"""The evaluation form's field of one aspect: `aspect_<code>` (gathered into the body's `aspects`)."""


async def _person_page(request: Request, read_models: ReadModels, permission: Permission, person_id: str,
                       page_request: PageRequest, after: dict[str, int], *, form: dict[str, Any] | None = None,
                       errors: dict[str, str] | None = None, status_code: int = 200) -> HTMLResponse:
    summary = await people_api.person(read_models=read_models, response=Response(), after=after,
                                      person_id=person_id, permission=permission)
    found = await people_api.integrity_file(read_models=read_models, response=Response(), page=page_request,
                                            after=after, person_id=person_id, permission=permission)
    listed = await people_api.matters_of(read_models=read_models, response=Response(), page=PageRequest(limit=100),
                                         after=after, person_id=person_id, permission=permission)
    return page(request, "people_person.html", principal=permission.principal, active="people",
                person=summary.item, records=found.items, matters=listed.items, next_cursor=found.next_cursor,
                list_kinds=LIST_KINDS, record_kinds=RECORD_KINDS, detail_labels=DETAIL_LABELS,
                detail_values=DETAIL_VALUES, hidden_details=HIDDEN_DETAILS, aspects=EVALUATION_ASPECTS,
                grades=EVALUATION_GRADES,
                may_evaluate=may("units.supervise_people", permission.principal) and any(
                    p.left_on is None and p.post_kind in LEADER_POST_KINDS for p in summary.item.posts),
                form=form or {},
                errors=errors or {}, recorded=request.query_params.get("recorded"), status_code=status_code)


@router.get("/group/people/{person_id}", response_class=HTMLResponse)
async def person(request: Request, read_models: ReadModels, page_request: Paging, after: After,
                 person_id: str = PersonId,
                 permission: Permission = require("people.read", listing=True)) -> HTMLResponse:
    """A cadre's integrity file, the group's evaluations of them and the matters they appear in (以人看事); a
    person the user may not read is the page of a missing one."""
    return await _person_page(request, read_models, permission, person_id, page_request, after)


def _evaluation(form: dict[str, Any]) -> dict[str, Any]:
    """The posted form as the body: each `aspect_<code>` graded goes into `aspects`."""
    aspects = {k.removeprefix(ASPECT_FIELD): v for k, v in form.items() if k.startswith(ASPECT_FIELD)}
    rest = {k: v for k, v in form.items() if not k.startswith(ASPECT_FIELD)}
    return {**rest, "aspects": aspects} if aspects else rest


@router.post("/group/people/{person_id}/evaluations", response_class=HTMLResponse)
async def evaluate(request: Request, services: Services, read_models: ReadModels, person_id: str = PersonId,
                   permission: Permission = require("units.supervise_people")) -> Response:
    """Evaluate one of the unit's responsible leaders, 作风 included
    (`POST /api/people/units/{unit_id}/people/{person_id}/evaluations`); group-internal."""
    form = values(await checked_form(request))
    reading = grant(permission.principal, "people.read", listing=True)
    summary = await people_api.person(read_models=read_models, response=Response(), after={}, person_id=person_id,
                                      permission=reading)
    try:  # the body runs the domain's own checks (period, grades): their refusals go next to the field too
        body, problems = validate(LeaderEvaluationBody, _evaluation(form))
        if body is not None:
            recorded = services.run(EvaluateLeader(unit_id=summary.item.unit_id, person_id=person_id,
                                                   **body.fields()), permission)
            return RedirectResponse(f"/group/people/{person_id}?recorded=evaluation&after=units:{recorded.position}"
                                    "#person-evaluations", status_code=303)
    except DomainError as error:
        if error.status == 404:
            raise
        problems = {EVALUATION_FIELDS.get(error.code or "", "_form"): error.message}
    return await _person_page(request, read_models, reading, person_id, PageRequest(), {}, form=form,
                              errors=localized(request, problems), status_code=422)


@router.get("/group/people/matters/{matter_id}", response_class=HTMLResponse)
async def matter(request: Request, read_models: ReadModels, after: After,
                 matter_id: str = Path(max_length=64, pattern=people_api.ID_PATTERN),
                 permission: Permission = require("people.read")) -> HTMLResponse:
    """以事看人: the people a matter names; a matter the user may not read is the page of a missing one."""
    found = await people_api.people_of(read_models=read_models, response=Response(), after=after,
                                       matter_id=matter_id, permission=permission)
    return page(request, "people_matter.html", principal=permission.principal, active="people",
                matter_id=matter_id, people=found.item)
