"""Units routes: items to the unit, feedback deliberation, power operation, upward, consultations."""

from __future__ import annotations

import authz
from authz import Permission
from gateway.deps import Services
from gateway.permissions import require
from gateway.units.common import router
from services.common.interface import Id
from services.units.interface import (
    AcknowledgeItem,
    ActionDoneBody,
    AnnounceJointSupervision,
    AnnouncementBody,
    AnnouncementPublished,
    AnnouncementView,
    CompleteConsultationAction,
    ConsultationBody,
    ConsultationHeld,
    ConsultationRecorded,
    ConsultationView,
    DecideFeedback,
    DecisionBody,
    DeliveryBody,
    DraftDeliberated,
    DraftFeedback,
    DraftRecorded,
    DraftRevised,
    DraftView,
    FeedbackDraftBody,
    FeedbackIssued,
    GetFeedbackDraft,
    GetItem,
    GetPowerList,
    GetPowerMatter,
    GetUpward,
    HoldConsultation,
    IssueBody,
    IssueFeedback,
    IssueRequest,
    ItemAnswered,
    ItemRecorded,
    ItemReplyBody,
    ItemStatus,
    ItemView,
    ListAnnouncements,
    ListConsultations,
    ListFeedbackDrafts,
    ListItems,
    ListPowerMatters,
    ListUpward,
    MatterCategory,
    MatterRecorded,
    ObservationBody,
    ObservedMatterBody,
    ObservePowerMatter,
    OpinionBody,
    OverdueRecorded,
    PowerListBody,
    PowerListRevised,
    PowerListView,
    PowerMatterView,
    RecordDelivery,
    RecordOpinion,
    RecordOverdue,
    RecordPowerObservation,
    RecordRiskPoint,
    ReplyToOutbound,
    ReplyUpward,
    RequestBody,
    RetirementBody,
    RetireRiskPoint,
    ReviseFeedback,
    RevisePowerList,
    RevisionBody,
    RiskPointBody,
    RiskPointRecorded,
    SubmitUpward,
    UpwardRecorded,
    UpwardReplyBody,
    UpwardView,
    WithdrawalBody,
    WithdrawItem,
)


# -- items to the unit ------------------------------------------------------------------------------
@router.post("/units/{unit_id}/requests", status_code=201)
def issue_request(unit_id: Id, body: RequestBody, services: Services,
                  permission: Permission = require("units.issue_item")) -> ItemRecorded:
    """Document request (调阅资料), scheduling request (调度) or relay, signed per the routing matrix."""
    return services.run(IssueRequest(unit_id=unit_id, **body.fields()), permission)


@router.get("/units/{unit_id}/items")
def list_items(unit_id: Id, services: Services, status: ItemStatus | None = None,
               permission: Permission = require("units.read")) -> list[ItemView]:
    """Items addressed to the unit (a unit user sees only its own unit's)."""
    return services.run(ListItems(unit_id=unit_id, status=status), permission)


@router.get("/items/{item_id}")
def get_item(item_id: Id, services: Services, permission: Permission = require("units.read")) -> ItemView:
    """One item with its delivery, acknowledgement and answers."""
    return services.run(GetItem(item_id=item_id), permission)


@router.post("/items/{item_id}/delivery")
def record_delivery(item_id: Id, body: DeliveryBody, services: Services,
                    permission: Permission = require("units.track_item")) -> ItemRecorded:
    """Record that an item reached the unit (portal, paper, in person)."""
    return services.run(RecordDelivery(item_id=item_id, **body.fields()), permission)


@router.post("/items/{item_id}/acknowledge")
def acknowledge_item(item_id: Id, services: Services,
                     permission: Permission = require("units.respond_item")) -> ItemRecorded:
    """The unit signs for an item (签收)."""
    return services.run(AcknowledgeItem(item_id=item_id), permission)


@router.post("/items/{item_id}/reply", status_code=201)
def reply_to_item(item_id: Id, body: ItemReplyBody, services: Services,
                  permission: Permission = require("units.respond_item")) -> ItemAnswered:
    """The unit answers an item (with attachments); returns the receipt."""
    return services.run(ReplyToOutbound(item_id=item_id, **body.fields()), permission)


@router.post("/items/{item_id}/withdraw")
def withdraw_item(item_id: Id, body: WithdrawalBody, services: Services,
                  permission: Permission = require("units.track_item")) -> ItemRecorded:
    """Withdraw an item sent in error (the record and its reason stay)."""
    return services.run(WithdrawItem(item_id=item_id, **body.fields()), permission)


@router.post("/overdue-check")
def record_overdue(services: Services, permission: Permission = require("units.run_scheduler")) -> OverdueRecorded:
    """Scheduler: record items past their deadline (once each)."""
    return services.run(RecordOverdue(), permission)


# -- feedback deliberation (集体研判) ------------------------------------------------------------------
@router.post("/units/{unit_id}/feedback-drafts", status_code=201)
def draft_feedback(unit_id: Id, body: FeedbackDraftBody, services: Services,
                   permission: Permission = require("units.deliberate_feedback")) -> DraftRecorded:
    """Draft feedback (反馈意见) for collective deliberation; the unit sees nothing until it is issued."""
    return services.run(DraftFeedback(unit_id=unit_id, **body.fields()), permission)


@router.get("/units/{unit_id}/feedback-drafts")
def list_feedback_drafts(unit_id: Id, services: Services,
                         permission: Permission = require("units.read_draft")) -> list[DraftView]:
    """The group's feedback drafts for a unit (group-internal)."""
    return services.run(ListFeedbackDrafts(unit_id=unit_id), permission)


@router.get("/feedback-drafts/{draft_id}")
def get_feedback_draft(draft_id: Id, services: Services,
                       permission: Permission = require("units.read_draft")) -> DraftView:
    """A feedback draft with opinions, decision and history (group-internal)."""
    return services.run(GetFeedbackDraft(draft_id=draft_id), permission)


@router.post("/feedback-drafts/{draft_id}/opinions", status_code=201)
def record_opinion(draft_id: Id, body: OpinionBody, services: Services,
                   permission: Permission = require("units.deliberate_feedback")) -> DraftDeliberated:
    """A group member's opinion on the draft (agree, amend, object)."""
    return services.run(RecordOpinion(draft_id=draft_id, **body.fields()), permission)


@router.post("/feedback-drafts/{draft_id}/revise")
def revise_feedback(draft_id: Id, body: RevisionBody, services: Services,
                    permission: Permission = require("units.deliberate_feedback")) -> DraftRevised:
    """Revise the text; it must be deliberated (and decided, if important) again."""
    return services.run(ReviseFeedback(draft_id=draft_id, **body.fields()), permission)


@router.post("/feedback-drafts/{draft_id}/decision")
def decide_feedback(draft_id: Id, body: DecisionBody, services: Services,
                    permission: Permission = require("units.deliberate_feedback")) -> DraftDeliberated:
    """The group leadership's decision on important feedback (组领导研究决定)."""
    return services.run(DecideFeedback(draft_id=draft_id, **body.fields()), permission)


@router.post("/feedback-drafts/{draft_id}/issue", status_code=201)
def issue_feedback(draft_id: Id, body: IssueBody, services: Services,
                   permission: Permission = require("units.deliberate_feedback")) -> FeedbackIssued:
    """Issue deliberated feedback to the unit, signed per the routing matrix."""
    return services.run(IssueFeedback(draft_id=draft_id, **body.fields()), permission)


# -- power operation --------------------------------------------------------------------------------
@router.post("/units/{unit_id}/power-matters/observed", status_code=201)
def observe_power_matter(unit_id: Id, body: ObservedMatterBody, services: Services,
                         permission: Permission = require("units.observe_power")) -> MatterRecorded:
    """A 三重一大 matter seen at a leadership meeting the group attended (会议监督)."""
    return services.run(ObservePowerMatter(unit_id=unit_id, **body.fields()), permission)


@router.get("/units/{unit_id}/power-matters")
def list_power_matters(unit_id: Id, services: Services, category: MatterCategory | None = None,
                       permission: Permission = require("units.read_power")) -> list[PowerMatterView]:
    """The unit's 三重一大 matters by decision date."""
    return services.run(ListPowerMatters(unit_id=unit_id, category=category), permission)


@router.get("/power-matters/{matter_id}")
def get_power_matter(matter_id: Id, services: Services,
                     permission: Permission = require("units.read_power")) -> PowerMatterView:
    """One 三重一大 matter with the group's observations."""
    return services.run(GetPowerMatter(matter_id=matter_id), permission)


@router.post("/power-matters/{matter_id}/observations", status_code=201)
def record_power_observation(matter_id: Id, body: ObservationBody, services: Services,
                             permission: Permission = require("units.observe_power")) -> MatterRecorded:
    """The group's observation on a 三重一大 matter."""
    return services.run(RecordPowerObservation(matter_id=matter_id, **body.fields()), permission)


@router.get("/units/{unit_id}/departments/{department_id}/power-list")
def get_power_list(unit_id: Id, department_id: Id, services: Services,
                   permission: Permission = require("units.read_power")) -> PowerListView:
    """A department's power list and risk points, with their history."""
    return services.run(GetPowerList(unit_id=unit_id, department_id=department_id), permission)


@router.post("/units/{unit_id}/departments/{department_id}/power-list")
def revise_power_list(unit_id: Id, department_id: Id, body: PowerListBody, services: Services,
                      permission: Permission = require("units.observe_power")) -> PowerListRevised:
    """Set a department's power list (职权, basis, boundary)."""
    return services.run(RevisePowerList(unit_id=unit_id, department_id=department_id, **body.fields()), permission)


@router.post("/units/{unit_id}/departments/{department_id}/risk-points", status_code=201)
def record_risk_point(unit_id: Id, department_id: Id, body: RiskPointBody, services: Services,
                      permission: Permission = require("units.observe_power")) -> RiskPointRecorded:
    """An integrity risk point (风险点) on a listed power, with its controls."""
    return services.run(RecordRiskPoint(unit_id=unit_id, department_id=department_id, **body.fields()), permission)


@router.post("/units/{unit_id}/departments/{department_id}/risk-points/{point_id}/retire")
def retire_risk_point(unit_id: Id, department_id: Id, point_id: Id, body: RetirementBody, services: Services,
                      permission: Permission = require("units.observe_power")) -> RiskPointRecorded:
    """Retire a risk point that no longer applies (kept in the history)."""
    operation = RetireRiskPoint(unit_id=unit_id, department_id=department_id, point_id=point_id, **body.fields())
    return services.run(operation, permission)


# -- upward (请示报告), consultations, announcements ----------------------------------------------------
@router.post("/upward", status_code=201)
def submit_upward(body: SubmitUpward, services: Services,
                  permission: Permission = require("units.report_upward")) -> UpwardRecorded:
    """A request (请示) or report (报告) to the commission."""
    return services.run(body, permission)


@router.get("/upward")
def list_upward(services: Services, group_id: Id | None = None,
                permission: Permission = require("units.read", listing=True)) -> list[UpwardView]:
    """Requests and reports to the commission the caller may read."""
    rows = services.run(ListUpward(group_id=group_id), permission)
    return [r for r in rows if authz.can_read(permission.principal, group_id=r.group_id, unit_id=r.unit_id,
                                              distribution=r.distribution)]


@router.get("/upward/{upward_id}")
def get_upward(upward_id: Id, services: Services,
               permission: Permission = require("units.read_upward")) -> UpwardView:
    """A request or report with the commission's replies."""
    return services.run(GetUpward(upward_id=upward_id), permission)


@router.post("/upward/{upward_id}/replies", status_code=201)
def reply_upward(upward_id: Id, body: UpwardReplyBody, services: Services,
                 permission: Permission = require("units.reply_upward")) -> UpwardRecorded:
    """The commission's reply (批复)."""
    return services.run(ReplyUpward(upward_id=upward_id, **body.fields()), permission)


@router.post("/units/{unit_id}/consultations", status_code=201)
def hold_consultation(unit_id: Id, body: ConsultationBody, services: Services,
                      permission: Permission = require("units.coordinate")) -> ConsultationHeld:
    """A consultation with the unit (定期会商): minutes and agreed actions."""
    return services.run(HoldConsultation(unit_id=unit_id, **body.fields()), permission)


@router.get("/units/{unit_id}/consultations")
def list_consultations(unit_id: Id, services: Services,
                       permission: Permission = require("units.read")) -> list[ConsultationView]:
    """Consultations with the unit, by date."""
    return services.run(ListConsultations(unit_id=unit_id), permission)


@router.post("/consultations/{consultation_id}/actions/{action_id}/complete")
def complete_consultation_action(consultation_id: Id, action_id: Id, body: ActionDoneBody, services: Services,
                                 permission: Permission = require("units.complete_consultation_action"),
                                 ) -> ConsultationRecorded:
    """Mark an agreed action as done."""
    operation = CompleteConsultationAction(consultation_id=consultation_id, action_id=action_id, **body.fields())
    return services.run(operation, permission)


@router.post("/units/{unit_id}/announcements", status_code=201)
def announce_joint_supervision(unit_id: Id, body: AnnouncementBody, services: Services,
                               permission: Permission = require("units.coordinate")) -> AnnouncementPublished:
    """A joint supervision announcement (联合监督通报)."""
    return services.run(AnnounceJointSupervision(unit_id=unit_id, **body.fields()), permission)


@router.get("/units/{unit_id}/announcements")
def list_announcements(unit_id: Id, services: Services,
                       permission: Permission = require("units.read")) -> list[AnnouncementView]:
    """Joint supervision announcements with the unit."""
    return services.run(ListAnnouncements(unit_id=unit_id), permission)
