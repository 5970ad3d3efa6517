"""Units routes: items to the unit, feedback deliberation, power operation, upward, consultations."""

from __future__ import annotations

from fastapi import Query

import authz
from gateway.deps import CurrentPrincipal, Services
from gateway.units import schemas as s
from gateway.units.common import (
    Result,
    call,
    on_record,
    readable,
    require_on_unit,
    require_unit_read,
    router,
)


# -- items to the unit ------------------------------------------------------------------------------
@router.post("/units/{unit_id}/requests", status_code=201)
def issue_request(unit_id: str, body: s.RequestCreate, principal: CurrentPrincipal, services: Services) -> Result:
    """Document request (调阅资料), scheduling request (调度) or relay, signed per the routing matrix."""
    require_on_unit(services, principal, "units.issue_item", unit_id)
    return call(services, principal, "issue_request", unit_id=unit_id, **body.model_dump())


@router.get("/units/{unit_id}/items")
def list_items(unit_id: str, principal: CurrentPrincipal, services: Services,
               status: str | None = None) -> list[Result]:
    """Items addressed to the unit (a unit user sees only its own unit's)."""
    require_unit_read(services, principal, unit_id, "unit")
    result: list[Result] = services.query("units", "list_items", principal, unit_id=unit_id, status=status)
    return result


@router.get("/items/{item_id}")
def get_item(item_id: str, principal: CurrentPrincipal, services: Services) -> Result:
    return readable(services, principal, "get_item", item_id=item_id)


@router.post("/items/{item_id}/delivery")
def record_delivery(item_id: str, body: s.Delivery, principal: CurrentPrincipal, services: Services) -> Result:
    on_record(services, principal, "units.track_item", "get_item", item_id=item_id)
    return call(services, principal, "record_delivery", item_id=item_id, **body.model_dump())


@router.post("/items/{item_id}/acknowledge")
def acknowledge_item(item_id: str, principal: CurrentPrincipal, services: Services) -> Result:
    """The unit signs for an item (签收)."""
    on_record(services, principal, "units.respond_item", "get_item", item_id=item_id)
    return call(services, principal, "acknowledge_item", item_id=item_id)


@router.post("/items/{item_id}/reply", status_code=201)
def reply_to_item(item_id: str, body: s.ItemReply, principal: CurrentPrincipal, services: Services) -> Result:
    """The unit answers an item (with attachments); returns the receipt."""
    on_record(services, principal, "units.respond_item", "get_item", item_id=item_id)
    return call(services, principal, "reply_to_outbound", item_id=item_id, **body.model_dump())


@router.post("/items/{item_id}/withdraw")
def withdraw_item(item_id: str, body: s.Withdrawal, principal: CurrentPrincipal, services: Services) -> Result:
    on_record(services, principal, "units.track_item", "get_item", item_id=item_id)
    return call(services, principal, "withdraw_item", item_id=item_id, **body.model_dump())


@router.post("/overdue-check")
def record_overdue(principal: CurrentPrincipal, services: Services) -> Result:
    """Scheduler: record items past their deadline (once each)."""
    authz.require(principal, "units.run_scheduler")
    return call(services, principal, "record_overdue")


# -- feedback deliberation (集体研判) ------------------------------------------------------------------
@router.post("/units/{unit_id}/feedback-drafts", status_code=201)
def draft_feedback(unit_id: str, body: s.FeedbackDraftCreate, principal: CurrentPrincipal,
                   services: Services) -> Result:
    require_on_unit(services, principal, "units.deliberate_feedback", unit_id)
    return call(services, principal, "draft_feedback", unit_id=unit_id, **body.model_dump())


@router.get("/units/{unit_id}/feedback-drafts")
def list_feedback_drafts(unit_id: str, principal: CurrentPrincipal, services: Services) -> list[Result]:
    require_unit_read(services, principal, unit_id, "group")
    result: list[Result] = services.query("units", "list_feedback_drafts", principal, unit_id=unit_id)
    return result


@router.get("/feedback-drafts/{draft_id}")
def get_feedback_draft(draft_id: str, principal: CurrentPrincipal, services: Services) -> Result:
    return readable(services, principal, "get_feedback_draft", draft_id=draft_id)


def _on_draft(services: Services, principal: authz.Principal, draft_id: str) -> None:
    on_record(services, principal, "units.deliberate_feedback", "get_feedback_draft", draft_id=draft_id)


@router.post("/feedback-drafts/{draft_id}/opinions", status_code=201)
def record_opinion(draft_id: str, body: s.Opinion, principal: CurrentPrincipal, services: Services) -> Result:
    _on_draft(services, principal, draft_id)
    return call(services, principal, "record_opinion", draft_id=draft_id, **body.model_dump())


@router.post("/feedback-drafts/{draft_id}/revise")
def revise_feedback(draft_id: str, body: s.FeedbackRevision, principal: CurrentPrincipal,
                    services: Services) -> Result:
    _on_draft(services, principal, draft_id)
    return call(services, principal, "revise_feedback", draft_id=draft_id, **body.model_dump())


@router.post("/feedback-drafts/{draft_id}/decision")
def decide_feedback(draft_id: str, body: s.FeedbackDecision, principal: CurrentPrincipal,
                    services: Services) -> Result:
    """The group leadership's decision on important feedback (组领导研究决定)."""
    _on_draft(services, principal, draft_id)
    return call(services, principal, "decide_feedback", draft_id=draft_id, **body.model_dump())


@router.post("/feedback-drafts/{draft_id}/issue", status_code=201)
def issue_feedback(draft_id: str, body: s.FeedbackIssue, principal: CurrentPrincipal,
                   services: Services) -> Result:
    _on_draft(services, principal, draft_id)
    return call(services, principal, "issue_feedback", draft_id=draft_id, **body.model_dump())


# -- power operation --------------------------------------------------------------------------------
@router.post("/units/{unit_id}/power-matters/observed", status_code=201)
def observe_power_matter(unit_id: str, body: s.PowerMatterObserved, principal: CurrentPrincipal,
                         services: Services) -> Result:
    """A 三重一大 matter seen at a leadership meeting the group attended (会议监督)."""
    require_on_unit(services, principal, "units.observe_power", unit_id)
    return call(services, principal, "observe_power_matter", unit_id=unit_id, **body.model_dump())


@router.get("/units/{unit_id}/power-matters")
def list_power_matters(unit_id: str, principal: CurrentPrincipal, services: Services,
                       category: str | None = None) -> list[Result]:
    require_unit_read(services, principal, unit_id, "hq")
    result: list[Result] = services.query("units", "list_power_matters", principal, unit_id=unit_id,
                                          category=category)
    return result


@router.get("/power-matters/{matter_id}")
def get_power_matter(matter_id: str, principal: CurrentPrincipal, services: Services) -> Result:
    return readable(services, principal, "get_power_matter", matter_id=matter_id)


@router.post("/power-matters/{matter_id}/observations", status_code=201)
def record_power_observation(matter_id: str, body: s.Observation, principal: CurrentPrincipal,
                             services: Services) -> Result:
    on_record(services, principal, "units.observe_power", "get_power_matter", matter_id=matter_id)
    return call(services, principal, "record_power_observation", matter_id=matter_id, **body.model_dump())


@router.get("/units/{unit_id}/departments/{department_id}/power-list")
def get_power_list(unit_id: str, department_id: str, principal: CurrentPrincipal, services: Services) -> Result:
    require_unit_read(services, principal, unit_id, "hq")
    result: Result = services.query("units", "get_power_list", principal, unit_id=unit_id,
                                    department_id=department_id)
    return result


@router.post("/units/{unit_id}/departments/{department_id}/power-list")
def revise_power_list(unit_id: str, department_id: str, body: s.PowerListRevision, principal: CurrentPrincipal,
                      services: Services) -> Result:
    require_on_unit(services, principal, "units.observe_power", unit_id)
    return call(services, principal, "revise_power_list", unit_id=unit_id, department_id=department_id,
                **body.model_dump())


@router.post("/units/{unit_id}/departments/{department_id}/risk-points", status_code=201)
def record_risk_point(unit_id: str, department_id: str, body: s.RiskPointCreate, principal: CurrentPrincipal,
                      services: Services) -> Result:
    require_on_unit(services, principal, "units.observe_power", unit_id)
    return call(services, principal, "record_risk_point", unit_id=unit_id, department_id=department_id,
                **body.model_dump())


@router.post("/units/{unit_id}/departments/{department_id}/risk-points/{point_id}/retire")
def retire_risk_point(unit_id: str, department_id: str, point_id: str, body: s.RiskPointRetire,
                      principal: CurrentPrincipal, services: Services) -> Result:
    require_on_unit(services, principal, "units.observe_power", unit_id)
    return call(services, principal, "retire_risk_point", unit_id=unit_id, department_id=department_id,
                point_id=point_id, **body.model_dump())


# -- upward (请示报告), consultations, announcements ----------------------------------------------------
@router.post("/upward", status_code=201)
def submit_upward(body: s.UpwardCreate, principal: CurrentPrincipal, services: Services) -> Result:
    """A request (请示) or report (报告) to the commission."""
    authz.require(principal, "units.report_upward", group_id=body.group_id)
    return call(services, principal, "submit_upward", **body.model_dump())


@router.get("/upward")
def list_upward(principal: CurrentPrincipal, services: Services,
                group_id: str | None = Query(default=None)) -> list[Result]:  # noqa: B008
    authz.require(principal, "units.read", hide=True)
    rows: list[Result] = services.query("units", "list_upward", principal, group_id=group_id)
    return [r for r in rows if authz.can_read(principal, group_id=r["group_id"], unit_id=r["unit_id"],
                                              distribution=r["distribution"])]


@router.get("/upward/{upward_id}")
def get_upward(upward_id: str, principal: CurrentPrincipal, services: Services) -> Result:
    return readable(services, principal, "get_upward", upward_id=upward_id)


@router.post("/upward/{upward_id}/replies", status_code=201)
def reply_upward(upward_id: str, body: s.UpwardReply, principal: CurrentPrincipal, services: Services) -> Result:
    """The commission's reply (批复)."""
    on_record(services, principal, "units.reply_upward", "get_upward", upward_id=upward_id)
    return call(services, principal, "reply_upward", upward_id=upward_id, **body.model_dump())


@router.post("/units/{unit_id}/consultations", status_code=201)
def hold_consultation(unit_id: str, body: s.ConsultationCreate, principal: CurrentPrincipal,
                      services: Services) -> Result:
    """A consultation with the unit (定期会商): minutes and agreed actions."""
    require_on_unit(services, principal, "units.coordinate", unit_id)
    return call(services, principal, "hold_consultation", unit_id=unit_id, **body.model_dump())


@router.get("/units/{unit_id}/consultations")
def list_consultations(unit_id: str, principal: CurrentPrincipal, services: Services) -> list[Result]:
    require_unit_read(services, principal, unit_id, "unit")
    result: list[Result] = services.query("units", "list_consultations", principal, unit_id=unit_id)
    return result


@router.post("/consultations/{consultation_id}/actions/{action_id}/complete")
def complete_consultation_action(consultation_id: str, action_id: str, body: s.ActionDone,
                                 principal: CurrentPrincipal, services: Services) -> Result:
    on_record(services, principal, "units.complete_consultation_action", "get_consultation",
              consultation_id=consultation_id)
    return call(services, principal, "complete_consultation_action", consultation_id=consultation_id,
                action_id=action_id, **body.model_dump())


@router.post("/units/{unit_id}/announcements", status_code=201)
def announce_joint_supervision(unit_id: str, body: s.AnnouncementCreate, principal: CurrentPrincipal,
                               services: Services) -> Result:
    """A joint supervision announcement (联合监督通报)."""
    require_on_unit(services, principal, "units.coordinate", unit_id)
    return call(services, principal, "announce_joint_supervision", unit_id=unit_id, **body.model_dump())


@router.get("/units/{unit_id}/announcements")
def list_announcements(unit_id: str, principal: CurrentPrincipal, services: Services) -> list[Result]:
    require_unit_read(services, principal, unit_id, "unit")
    result: list[Result] = services.query("units", "list_announcements", principal, unit_id=unit_id)
    return result
