"""Units domain events -> published integration events (drafts' bodies and opinions' texts stay private;
their facts travel with distribution `group`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from events import units as contracts
from events.units import legacy_person_id
from services.common.clock import beijing_date
from services.common.integration import IntegrationMapper, Published
from services.units.clue_outcomes import ClueTie
from services.units.deliberation import FeedbackDraft
from services.units.evaluations import PersonSupervision
from services.units.inbound import InboundSubmission
from services.units.integrity_opinions import IntegrityOpinionRequest
from services.units.meetings import LeadershipContact
from services.units.membership import Organisation
from services.units.network import NetworkActivity
from services.units.outbound import OutboundItem
from services.units.power import PowerList, PowerMatter
from services.units.roster import KEY_MINORITY_KINDS, Unit
from services.units.routing import RoutingMatrix
from services.units.upward import Consultation, JointAnnouncement, UpwardSubmission

mapper = IntegrationMapper("units")


def _id(event: Any) -> str:
    return str(event.originator_id)


def _person_id(event: Any) -> str:
    """The roster's person id of a post event (one recorded before persons had ids: the legacy id of its name)."""
    return str(getattr(event, "person_id", None) or legacy_person_id(event.unit_id, event.person_name))


@mapper.maps(InboundSubmission.Submitted)
def inbound_submitted(event: Any) -> Published | None:
    sid, d, kind = _id(event), event.details, event.kind
    payload: Any
    if kind == "directive_notification":
        payload = contracts.DirectiveNotified(
            notification_id=sid, reference_number=d["reference_number"], issuer=d["issuer"], title=event.title,
            issued_on=date.fromisoformat(d["issued_on"]), received_on=date.fromisoformat(d["received_on"]),
            lead_department=d["lead_department"],
        )
    elif kind == "supervision_report":
        payload = contracts.SupervisionReportSubmitted(
            report_id=sid, period=d["period"], items=[contracts.ReportedItem(**item) for item in d["items"]]
        )
    elif kind in ("rectification_report", "recommendation_reply"):
        payload = contracts.RectificationReported(
            report_id=sid, subject_ref=d["subject_ref"], summary=d["summary"], completed=d["completed"]
        )
    elif kind == "progress_report":
        payload = contracts.ProgressReported(
            report_id=sid, subject_ref=d["subject_ref"], period=d["period"], summary=d["summary"],
            answers_item_id=event.answers_item_id, round_id=d.get("round_id"),
            directive_statuses=[contracts.DirectiveStatus(**s) for s in d.get("directive_statuses", [])],
        )
    elif kind == "situation_notice":
        payload = contracts.SituationNoticed(
            notice_id=sid, category=d["category"], title=event.title, summary=d["summary"],
            occurred_on=date.fromisoformat(d["occurred_on"]),
        )
    elif kind == "democratic_evaluation":
        payload = contracts.DemocraticEvaluationReported(
            submission_id=sid, person_id=d.get("person_id", ""), cadre=d["cadre"], post=d["post"], year=d["year"],
            grade=d["grade"],
        )
    elif kind == "duty_integrity_report":
        payload = contracts.DutyIntegrityReportSubmitted(submission_id=sid, person_id=d.get("person_id", ""),
                                                         cadre=d["cadre"], post=d["post"], year=d["year"])
    elif kind == "integrity_opinion_reply":
        payload = contracts.IntegrityOpinionReplied(
            submission_id=sid, person_id=d.get("person_id", ""), cadre=d["cadre"], request_ref=d["request_ref"],
            opinion=d["opinion"], request_id=d.get("request_id"),
        )
    else:
        payload = contracts.InboundReceived(
            submission_id=sid, kind=kind, title=event.title, receipt_number=event.receipt_number,
            answers_item_id=event.answers_item_id, attachment_count=len(event.attachments),
        )
    return Published(payload)


@mapper.maps(InboundSubmission.Reviewed, publishes=contracts.SubmissionReviewed)
def inbound_reviewed(event: Any) -> Published:
    return Published(contracts.SubmissionReviewed(submission_id=_id(event), reviewed_on=beijing_date(event.timestamp)))


@mapper.maps(Unit.Registered, publishes=contracts.UnitRegistered)
def unit_registered(event: Any) -> Published:
    return Published(contracts.UnitRegistered(name=event.name, party_group_name=event.party_group_name))


@mapper.maps(Unit.DepartmentAdded, publishes=contracts.DepartmentChanged)
def department_added(event: Any) -> Published:
    return Published(contracts.DepartmentChanged(
        department_id=event.department_id, change="added", name=event.name, kind=event.kind,
        parent_id=event.parent_id, on=event.since,
    ))


@mapper.maps(Unit.DepartmentRenamed, publishes=contracts.DepartmentChanged)
def department_renamed(event: Any) -> Published:
    return Published(contracts.DepartmentChanged(
        department_id=event.department_id, change="renamed", name=event.new_name, kind="", on=event.on
    ))


@mapper.maps(Unit.DepartmentDissolved, publishes=contracts.DepartmentChanged)
def department_dissolved(event: Any) -> Published:
    return Published(contracts.DepartmentChanged(
        department_id=event.department_id, change="dissolved", name="", kind="", on=event.on
    ))


@mapper.maps(Unit.PersonAppointed, publishes=contracts.PersonAppointed)
def person_appointed(event: Any) -> Published:
    return Published(contracts.PersonAppointed(
        post_id=event.post_id, person_id=_person_id(event),
        person_name=event.person_name, post_kind=event.post_kind, title=event.title,
        department_id=event.department_id, since=event.since, key_minority=event.post_kind in KEY_MINORITY_KINDS,
    ))


@mapper.maps(Unit.PersonLeftPost, publishes=contracts.PersonLeftPost)
def person_left(event: Any) -> Published:
    return Published(contracts.PersonLeftPost(
        post_id=event.post_id, person_id=_person_id(event),
        person_name=event.person_name, post_kind=event.post_kind, left_on=event.left_on, reason=event.reason,
    ))


@mapper.maps(RoutingMatrix.CounterpartAssigned, publishes=contracts.CounterpartAssigned)
def counterpart_assigned(event: Any) -> Published:
    return Published(contracts.CounterpartAssigned(
        counterpart_id=event.counterpart_id, level=event.level, member=event.member, member_role=event.member_role
    ))


mapper.copies(OutboundItem.Issued, contracts.OutboundIssued, id_field="item_id")


def _step(event: Any) -> dict[str, Any]:
    return {"item_id": _id(event), "kind": event.item_kind, "source_ref": event.source_ref}


@mapper.maps(OutboundItem.Delivered, publishes=contracts.OutboundDelivered)
def outbound_delivered(event: Any) -> Published:
    return Published(contracts.OutboundDelivered(**_step(event), channel=event.channel,
                                                 delivered_on=event.delivered_on))


@mapper.maps(OutboundItem.Acknowledged, publishes=contracts.OutboundAcknowledged)
def outbound_acknowledged(event: Any) -> Published:
    return Published(contracts.OutboundAcknowledged(**_step(event), acknowledged_on=event.acknowledged_on))


@mapper.maps(OutboundItem.Answered, publishes=contracts.OutboundAnswered)
def outbound_answered(event: Any) -> Published:
    return Published(contracts.OutboundAnswered(**_step(event), submission_id=event.submission_id,
                                                completed=event.completed, answered_on=event.answered_on))


@mapper.maps(OutboundItem.Overdue, publishes=contracts.OutboundOverdue)
def outbound_overdue(event: Any) -> Published:
    return Published(contracts.OutboundOverdue(**_step(event), deadline=event.deadline,
                                               detected_on=event.detected_on))


@mapper.maps(OutboundItem.Withdrawn, publishes=contracts.OutboundWithdrawn)
def outbound_withdrawn(event: Any) -> Published:
    return Published(contracts.OutboundWithdrawn(**_step(event), reason=event.reason))


mapper.copies(FeedbackDraft.Drafted, contracts.FeedbackDrafted, id_field="draft_id")
mapper.copies(FeedbackDraft.OpinionRecorded, contracts.FeedbackOpinionRecorded, id_field="draft_id")
mapper.copies(FeedbackDraft.Revised, contracts.FeedbackRevised, id_field="draft_id")


@mapper.maps(FeedbackDraft.LeadershipDecided, publishes=contracts.FeedbackDecided)
def feedback_decided(event: Any) -> Published:
    return Published(contracts.FeedbackDecided(draft_id=_id(event), decision=event.decision,
                                               decided_on=event.decided_on))


mapper.copies(FeedbackDraft.Issued, contracts.FeedbackIssued, id_field="draft_id")
mapper.copies(PowerMatter.Registered, contracts.PowerMatterRegistered, id_field="matter_id")
mapper.copies(PowerMatter.ObservationRecorded, contracts.PowerObservationRecorded, id_field="matter_id")


@mapper.maps(PowerList.PowersRevised, publishes=contracts.PowerListRevised)
def powers_revised(event: Any) -> Published:
    return Published(contracts.PowerListRevised(
        department_id=event.department_id, department_name=event.department_name,
        powers=[p["name"] for p in event.powers], revised_on=event.revised_on,
    ))


@mapper.maps(PowerList.RiskPointRecorded, publishes=contracts.RiskPointChanged)
def risk_point_recorded(event: Any) -> Published:
    return Published(contracts.RiskPointChanged(
        department_id=event.department_id, point_id=event.point_id, change="recorded", power=event.power,
        level=event.level, on=event.recorded_on,
    ))


@mapper.maps(PowerList.RiskPointRetired, publishes=contracts.RiskPointChanged)
def risk_point_retired(event: Any) -> Published:
    return Published(contracts.RiskPointChanged(
        department_id=event.department_id, point_id=event.point_id, change="retired", power=event.power,
        level=event.level, on=event.retired_on,
    ))


@mapper.maps(UpwardSubmission.Submitted, publishes=contracts.UpwardSubmitted)
def upward_submitted(event: Any) -> Published:
    return Published(contracts.UpwardSubmitted(submission_id=_id(event), kind=event.kind, title=event.title,
                                               submitted_on=event.submitted_on))


@mapper.maps(UpwardSubmission.Replied, publishes=contracts.UpwardReplied)
def upward_replied(event: Any) -> Published:
    return Published(contracts.UpwardReplied(submission_id=_id(event), final=event.final,
                                             replied_on=event.replied_on))


@mapper.maps(Consultation.Held, publishes=contracts.ConsultationHeld)
def consultation_held(event: Any) -> Published:
    return Published(contracts.ConsultationHeld(
        consultation_id=_id(event), kind=event.kind, held_on=event.held_on, topics=list(event.topics),
        action_count=len(event.actions),
    ))


@mapper.maps(Consultation.ActionCompleted, publishes=contracts.ConsultationActionCompleted)
def consultation_action_completed(event: Any) -> Published:
    return Published(contracts.ConsultationActionCompleted(consultation_id=_id(event), action_id=event.action_id,
                                                           done_on=event.done_on))


@mapper.maps(JointAnnouncement.Published, publishes=contracts.JointSupervisionAnnounced)
def joint_announced(event: Any) -> Published:
    return Published(contracts.JointSupervisionAnnounced(announcement_id=_id(event), title=event.title,
                                                         published_on=event.published_on))


@mapper.maps(Organisation.Registered, publishes=contracts.OrganisationRegistered)
def organisation_registered(event: Any) -> Published:
    return Published(contracts.OrganisationRegistered(
        org_id=event.org_id, kind=event.kind, name=event.name, name_en=event.name_en,
        supervised_by=event.supervised_by,
    ))


@mapper.maps(Organisation.MemberAdded, publishes=contracts.MemberAdded)
def member_added(event: Any) -> Published:
    return Published(contracts.MemberAdded(org_id=event.org_id, user_id=event.user_id, name=event.name,
                                           roles=list(event.roles)))


@mapper.maps(Organisation.MemberRemoved, publishes=contracts.MemberRemoved)
def member_removed(event: Any) -> Published:
    return Published(contracts.MemberRemoved(org_id=event.org_id, user_id=event.user_id))


# -- supervising people (既监督事也监督人) and integrity opinions (廉政意见) ---------------------------------------
@mapper.maps(Unit.ImportantFieldsSet)
def important_fields_set(event: Any) -> Published:
    return Published(contracts.ImportantFieldsSet(target=event.target, target_id=event.target_id,
                                                  fields=list(event.fields), on=event.on))


@mapper.maps(PersonSupervision.KeyPersonFlagged)
def key_person_flagged(event: Any) -> Published:
    return Published(contracts.KeyPersonFlagged(person_id=event.person_id, person_name=event.person_name,
                                                flagged=event.flagged, on=event.on))


@mapper.maps(PersonSupervision.Evaluated)
def leader_evaluated(event: Any) -> Published:
    return Published(contracts.LeaderEvaluated(
        evaluation_id=event.evaluation_id, person_id=event.person_id, person_name=event.person_name,
        period=event.period, aspects=dict(event.aspects), overall=event.overall, observation=event.observation,
        evaluated_on=event.evaluated_on, revision=event.revision,
    ))


mapper.copies(IntegrityOpinionRequest.Requested, contracts.IntegrityOpinionRequested, id_field="request_id")
mapper.copies(ClueTie.Tied, contracts.ClueOutcomeTied, id_field="tie_id")

@mapper.maps(LeadershipContact.Recorded)
def leadership_contact_recorded(event: Any) -> Published:
    return Published(contracts.LeadershipContactRecorded(
        contact_id=_id(event), kind=event.kind, meeting_kind=event.meeting_kind, held_on=event.held_on,
        title=event.title, person_ids=[p["person_id"] for p in event.persons], concern=event.concern,
        directive_id=event.directive_id, stage=event.stage,
    ))


mapper.copies(LeadershipContact.ObservationAdded, contracts.LeadershipContactObserved, id_field="contact_id")
mapper.copies(LeadershipContact.MatterLinked, contracts.MeetingMatterLinked, id_field="contact_id")


@mapper.maps(NetworkActivity.Recorded)
def network_activity_recorded(event: Any) -> Published:
    return Published(contracts.NetworkActivityRecorded(
        activity_id=_id(event), kind=event.kind, held_on=event.held_on, title=event.title,
        participant_ids=[p["person_id"] for p in event.participants], assignment=event.assignment,
    ))
