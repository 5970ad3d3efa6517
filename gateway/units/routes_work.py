"""Units routes: items to the unit, feedback deliberation, power operation, upward, consultations."""

from __future__ import annotations

from authz import Permission
from gateway.deps import Services
from gateway.permissions import require
from gateway.routes import operation_route
from gateway.units.common import router
from services.common.interface import Id
from services.units.interface import (
    AcknowledgeItem,
    ActionDoneBody,
    AnnounceJointSupervision,
    AnnouncementBody,
    CompleteConsultationAction,
    ConsultationBody,
    ConsultationRecorded,
    DecideFeedback,
    DecisionBody,
    DeliveryBody,
    DraftFeedback,
    FeedbackDraftBody,
    GetAnnouncement,
    GetConsultation,
    GetFeedbackDraft,
    GetItem,
    GetPowerList,
    GetPowerMatter,
    GetUpward,
    HoldConsultation,
    IssueBody,
    IssueFeedback,
    IssueRequest,
    ItemReplyBody,
    ObservationBody,
    ObservedMatterBody,
    ObservePowerMatter,
    OpinionBody,
    PowerListBody,
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
    UpwardReplyBody,
    WithdrawalBody,
    WithdrawItem,
)

# -- items to the unit ------------------------------------------------------------------------------
operation_route(router, "POST", "/units/{unit_id}/requests", IssueRequest,
                "units.issue_item", body=RequestBody, status_code=201)


operation_route(router, "GET", "/items/{item_id}", GetItem, "units.read")


operation_route(router, "POST", "/items/{item_id}/delivery", RecordDelivery,
                "units.track_item", body=DeliveryBody)


operation_route(router, "POST", "/items/{item_id}/acknowledge", AcknowledgeItem, "units.respond_item")


operation_route(router, "POST", "/items/{item_id}/reply", ReplyToOutbound,
                "units.respond_item", body=ItemReplyBody, status_code=201)


operation_route(router, "POST", "/items/{item_id}/withdraw", WithdrawItem,
                "units.track_item", body=WithdrawalBody)


operation_route(router, "POST", "/overdue-check", RecordOverdue, "units.run_scheduler")


# -- feedback deliberation (集体研判) ------------------------------------------------------------------
operation_route(router, "POST", "/units/{unit_id}/feedback-drafts", DraftFeedback,
                "units.deliberate_feedback", body=FeedbackDraftBody, status_code=201)


operation_route(router, "GET", "/feedback-drafts/{draft_id}", GetFeedbackDraft, "units.read_draft")


operation_route(router, "POST", "/feedback-drafts/{draft_id}/opinions", RecordOpinion,
                "units.deliberate_feedback", body=OpinionBody, status_code=201)


operation_route(router, "POST", "/feedback-drafts/{draft_id}/revise", ReviseFeedback,
                "units.deliberate_feedback", body=RevisionBody)


operation_route(router, "POST", "/feedback-drafts/{draft_id}/decision", DecideFeedback,
                "units.deliberate_feedback", body=DecisionBody)


operation_route(router, "POST", "/feedback-drafts/{draft_id}/issue", IssueFeedback,
                "units.deliberate_feedback", body=IssueBody, status_code=201)


# -- power operation --------------------------------------------------------------------------------
operation_route(router, "POST", "/units/{unit_id}/power-matters/observed", ObservePowerMatter,
                "units.observe_power", body=ObservedMatterBody, status_code=201)


operation_route(router, "GET", "/power-matters/{matter_id}", GetPowerMatter, "units.read_power")


operation_route(router, "POST", "/power-matters/{matter_id}/observations", RecordPowerObservation,
                "units.observe_power", body=ObservationBody, status_code=201)


operation_route(router, "GET", "/units/{unit_id}/departments/{department_id}/power-list", GetPowerList,
                "units.read_power")


operation_route(router, "POST", "/units/{unit_id}/departments/{department_id}/power-list", RevisePowerList,
                "units.observe_power", body=PowerListBody)


operation_route(router, "POST", "/units/{unit_id}/departments/{department_id}/risk-points", RecordRiskPoint,
                "units.observe_power", body=RiskPointBody, status_code=201)


@router.post("/units/{unit_id}/departments/{department_id}/risk-points/{point_id}/retire")
def retire_risk_point(unit_id: Id, department_id: Id, point_id: Id, body: RetirementBody, services: Services,
                      permission: Permission = require("units.observe_power")) -> RiskPointRecorded:
    """Retire a risk point that no longer applies (kept in the history)."""
    operation = RetireRiskPoint(unit_id=unit_id, department_id=department_id, point_id=point_id, **body.fields())
    return services.run(operation, permission)


# -- upward (请示报告), consultations, announcements ----------------------------------------------------
operation_route(router, "POST", "/upward", SubmitUpward,
                "units.report_upward", body=SubmitUpward, status_code=201)


operation_route(router, "GET", "/upward/{upward_id}", GetUpward, "units.read_upward")


operation_route(router, "POST", "/upward/{upward_id}/replies", ReplyUpward,
                "units.reply_upward", body=UpwardReplyBody, status_code=201)


operation_route(router, "POST", "/units/{unit_id}/consultations", HoldConsultation,
                "units.coordinate", body=ConsultationBody, status_code=201)


@router.post("/consultations/{consultation_id}/actions/{action_id}/complete")
def complete_consultation_action(consultation_id: Id, action_id: Id, body: ActionDoneBody, services: Services,
                                 permission: Permission = require("units.complete_consultation_action"),
                                 ) -> ConsultationRecorded:
    """Mark an agreed action as done."""
    operation = CompleteConsultationAction(consultation_id=consultation_id, action_id=action_id, **body.fields())
    return services.run(operation, permission)


operation_route(router, "POST", "/units/{unit_id}/announcements", AnnounceJointSupervision,
                "units.coordinate", body=AnnouncementBody, status_code=201)


operation_route(router, "GET", "/consultations/{consultation_id}", GetConsultation, "units.read")


operation_route(router, "GET", "/announcements/{announcement_id}", GetAnnouncement, "units.read")
