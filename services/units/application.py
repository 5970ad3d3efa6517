"""Units application: the channel between a group and the units it supervises, and upward to the commission.

Commands are here; the lookups they share and the queries are in queries.py; the aggregates (roster, routing,
inbound, outbound, deliberation, power, upward) check their own rules.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from eventsourcing.application import ProcessingEvent

from events.envelope import Envelope
from services.common.application import command, policy, query, snapshot_every
from services.common.case_history import CaseEvents, case_events
from services.common.clock import Clock
from services.common.due_index import DueIndex
from services.common.errors import ConflictError, InvalidInputError
from services.common.forensics import ReplayResult, replay
from services.common.integrity import CheckpointLog
from services.units import interface as ops
from services.units.attachments import decode_upload, resolve, validate_attachment
from services.units.blobstore import BlobStore
from services.units.deliberation import FeedbackDraft
from services.units.due import DUE_RULES
from services.units.inbound import INBOUND_KIND_LABELS, InboundSubmission
from services.units.integration import mapper
from services.units.meetings import LeadershipContact
from services.units.members import MembershipCommands
from services.units.membership import Organisation
from services.units.network import NetworkActivity
from services.units.outbound import DIRECT_KINDS, OutboundItem
from services.units.policies import recommendation_item
from services.units.power import PowerList, PowerMatter
from services.units.queries import UnitsQueries, item_view, submission_view
from services.units.roster import Unit
from services.units.routing import RoutingMatrix
from services.units.supervising_people import PeopleCommands
from services.units.supervision import SupervisionHandlers
from services.units.upward import Consultation, JointAnnouncement, UpwardSubmission

SUBMISSION_FIELDS = {"unit_id", "title", "attachments"}
"""The fields every inbound submission has; the others are the details of its kind."""


class UnitsApplication(MembershipCommands, PeopleCommands, SupervisionHandlers, UnitsQueries):
    name = "units"
    scheduler_command = "record_overdue"
    snapshotting_intervals = snapshot_every(
        CheckpointLog, Unit, RoutingMatrix, Organisation, PowerList, PowerMatter, OutboundItem, InboundSubmission,
        FeedbackDraft, UpwardSubmission, Consultation, JointAnnouncement,
        LeadershipContact, NetworkActivity,
    )
    integration = mapper
    consumes = ("clues",)

    forensic_views = {"OutboundItem": item_view, "InboundSubmission": submission_view}
    """Record kind → the view its Get… query answers with (what a forensic replay shows as the state)."""

    @query
    def forensic_replay(self, q: ops.ForensicReplay) -> ReplayResult:
        """A record's history and its state as of a moment (services.common.forensics); the use is recorded."""
        return replay(self, q, self.forensic_views)

    @query
    def forensic_history(self, q: ops.ForensicHistory) -> CaseEvents:
        """The events of a case in this store that the caller may read (services.common.case_history)."""
        return case_events(self, q)

    def __init__(self, env: dict[str, str] | None = None, clock: Clock | None = None,
                 blobs: BlobStore | None = None) -> None:
        super().__init__(env=env, clock=clock)
        self.blobs = blobs or BlobStore.from_env(env)
        self.due_index = DueIndex(self, DUE_RULES)

    # -- roster and routing matrix ------------------------------------------------------------------
    @command
    def register_unit(self, c: ops.RegisterUnit) -> ops.UnitRegistered:
        """Register a supervised unit (with its party leadership group) and the group's routing matrix for it."""
        unit = Unit.register(c.group_id, c.unit_id, c.name, c.party_group_name)
        if unit.id in self.repository:
            raise ConflictError(f"单位已登记 (unit already registered): {c.unit_id}", code="unit_exists")
        matrix = RoutingMatrix(group_id=c.group_id, unit_id=c.unit_id)
        return ops.UnitRegistered(unit_id=c.unit_id, position=self.record(unit, matrix))

    @command
    def add_department(self, c: ops.AddDepartment) -> ops.DepartmentRecorded:
        """Add a bureau (司局), division (处室, under a bureau) or subordinate body (直属单位)."""
        unit = self.unit(c.unit_id)
        unit.add_department(c.department_id, c.name, c.department_kind, c.parent_id, c.since or self.today())
        return ops.DepartmentRecorded(unit_id=c.unit_id, department_id=c.department_id, position=self.record(unit))

    @command
    def rename_department(self, c: ops.RenameDepartment) -> ops.DepartmentRecorded:
        """Rename a department (the old name stays in its history)."""
        unit = self.unit(c.unit_id)
        unit.rename_department(c.department_id, c.new_name, c.on or self.today())
        return ops.DepartmentRecorded(unit_id=c.unit_id, department_id=c.department_id, position=self.record(unit))

    @command
    def dissolve_department(self, c: ops.DissolveDepartment) -> ops.DepartmentRecorded:
        """Dissolve a department that has no active divisions and nobody in post."""
        unit = self.unit(c.unit_id)
        unit.dissolve_department(c.department_id, c.on or self.today())
        return ops.DepartmentRecorded(unit_id=c.unit_id, department_id=c.department_id, position=self.record(unit))

    @command
    def appoint_person(self, c: ops.AppointPerson) -> ops.PostRecorded:
        """Record that a person took up a post: head, leadership, department head, or a network post."""
        unit = self.unit(c.unit_id)
        post_id = str(uuid.uuid4())
        person_id = unit.appoint(post_id, c.person_name, c.post_kind, c.title, c.department_id, c.since, c.note,
                                 person_id=c.person_id)
        return ops.PostRecorded(unit_id=c.unit_id, post_id=post_id, person_id=person_id, position=self.record(unit))

    @command
    def record_leaving(self, c: ops.RecordLeaving) -> ops.PostRecorded:
        """Record that a person left a post (transfer, retirement, removal...)."""
        unit = self.unit(c.unit_id)
        unit.leave_post(c.post_id, c.left_on, c.reason)
        return ops.PostRecorded(unit_id=c.unit_id, post_id=c.post_id, position=self.record(unit))

    @command
    def assign_counterpart(self, c: ops.AssignCounterpart) -> ops.CounterpartRecorded:
        """Name the group member who speaks for a counterpart (e.g. the deputy leader in charge of a bureau)."""
        unit = self.unit(c.unit_id)
        matrix = self.matrix(unit)
        matrix.assign(c.counterpart_id, unit.level_of(c.counterpart_id), c.member, c.member_role,
                      c.since or self.today())
        return ops.CounterpartRecorded(unit_id=c.unit_id, counterpart_id=c.counterpart_id, position=self.record(matrix))

    # -- attachments and inbound submissions (the unit liaison portal) -------------------------------
    @command
    def upload_attachment(self, c: ops.UploadAttachment) -> ops.AttachmentStored:
        """Store an attachment by its SHA-256 (size, type and declared hash checked); records then cite it."""
        data = decode_upload(c.content_base64)
        meta = validate_attachment(data, c.filename, c.declared_sha256)
        self.blobs.put(data)
        return ops.AttachmentStored(**meta, position=0)

    def _new_submission(
        self, unit_id: str, kind: str, title: str, details: dict[str, Any],
        attachments: Sequence[ops.AttachmentRef], answers_item_id: str | None = None,
    ) -> InboundSubmission:
        unit = self.unit(unit_id)
        return InboundSubmission.submit(
            submission_id=str(uuid.uuid4()), group_id=unit.group_id, unit_id=unit.unit_id, kind=kind, title=title,
            details=self.with_person(unit, kind, details), attachments=resolve(self.blobs, [(a.sha256, a.filename) for a in attachments]),
            submitted_by=self.actor()["user"],
            received_at=self.clock.now(), receipt_year=self.today().year, answers_item_id=answers_item_id,
        )

    def _receipt(self, submission: InboundSubmission, *others: Any) -> dict[str, Any]:
        position = self.record(submission, *others)
        receipt = ops.Receipt(number=submission.receipt_number, received_at=submission.received_at,
                              kind_label=INBOUND_KIND_LABELS[submission.kind])
        return {"submission_id": str(submission.id), "receipt": receipt, "position": position}

    def _receive(self, c: Any, kind: str) -> ops.SubmissionReceipted:
        """A submission whose details are the operation's own fields."""
        details = c.model_dump(exclude=SUBMISSION_FIELDS)
        submission = self._new_submission(c.unit_id, kind, c.title, details, c.attachments)
        return ops.SubmissionReceipted(**self._receipt(submission))

    @command
    def notify_directive(self, c: ops.NotifyDirective) -> ops.SubmissionReceipted:
        """The unit notifies the group of a directive it received (opens the closed loop in the ledgers)."""
        return self._receive(c, "directive_notification")

    @command
    def submit_progress_report(self, c: ops.SubmitProgressReport) -> ops.SubmissionReceipted:
        """A progress report on a directive or matter (进展情况)."""
        return self._receive(c, "progress_report")

    @command
    def submit_supervision_report(self, c: ops.SubmitSupervisionReport) -> ops.SubmissionReceipted:
        """The unit's own supervision report (督查专报), the other side of reconciliation."""
        return self._receive(c, "supervision_report")

    @command
    def submit_rectification_report(self, c: ops.SubmitRectificationReport) -> ops.SubmissionReceipted:
        """What the unit did about a rectification item (整改情况)."""
        return self._receive(c, "rectification_report")

    @command
    def submit_situation_notice(self, c: ops.SubmitSituationNotice) -> ops.SubmissionReceipted:
        """An important-situation notice (重要情况通报)."""
        return self._receive(c, "situation_notice")

    @command
    def submit_democratic_evaluation(self, c: ops.SubmitDemocraticEvaluation) -> ops.SubmissionReceipted:
        """A cadre's democratic-evaluation result (民主测评)."""
        return self._receive(c, "democratic_evaluation")

    @command
    def submit_duty_integrity_report(self, c: ops.SubmitDutyIntegrityReport) -> ops.SubmissionReceipted:
        """A cadre's annual duty-and-integrity report (述责述廉)."""
        return self._receive(c, "duty_integrity_report")

    @command
    def reply_to_outbound(self, c: ops.ReplyToOutbound) -> ops.ItemAnswered:
        """The unit answers feedback, a recommendation, a document or scheduling request (recorded on the item)."""
        item: OutboundItem = self.load(c.item_id, OutboundItem)
        reply_kind = item.reply_kind()
        if reply_kind == "integrity_opinion_reply":
            raise InvalidInputError("请以廉政意见回函答复 (answer with an integrity-opinion reply citing the item)",
                                    code="reply_with_integrity_opinion")
        subject = item.source_ref or str(item.id)
        if reply_kind == "progress_report":
            details: dict[str, Any] = {"subject_ref": subject, "summary": c.summary,
                                       "period": c.period or self.today().strftime("%Y-%m")}
        else:
            details = {"subject_ref": subject, "summary": c.summary, "completed": c.completed}
        submission = self._new_submission(item.unit_id, reply_kind, c.title, details, c.attachments, str(item.id))
        item.answer(str(submission.id), reply_kind, c.summary, c.completed, self.today())
        return ops.ItemAnswered(**self._receipt(submission, item), item_id=c.item_id, item_status=item.status)

    @command
    def report_power_matter(self, c: ops.ReportPowerMatter) -> ops.PowerMatterReported:
        """The unit reports a 三重一大 matter; the group's record of it is created with the receipt."""
        unit = self.unit(c.unit_id)
        department = unit.department(c.department_id)
        PowerMatter.check_registration(c.category, c.title, "unit_report", None, c.amount_yuan)
        details = {"category": c.category, "department_id": c.department_id,
                   "decided_on": c.decided_on.isoformat(), "amount_yuan": c.amount_yuan}
        submission = self._new_submission(c.unit_id, "power_matter_report", c.title, details, c.attachments)
        matter = PowerMatter.register(
            group_id=unit.group_id, unit_id=c.unit_id, category=c.category, title=c.title,
            department_id=c.department_id, department_name=department["name"], decided_on=c.decided_on,
            source="unit_report", meeting=None, amount_yuan=c.amount_yuan, submission_id=str(submission.id),
            registered_by=self.actor()["user"],
        )
        return ops.PowerMatterReported(**self._receipt(submission, matter), matter_id=str(matter.id))

    @command
    def review_submission(self, c: ops.ReviewSubmission) -> ops.SubmissionReviewed:
        """The group marks a submission as reviewed (已阅), with a note."""
        submission: InboundSubmission = self.load(c.submission_id, InboundSubmission)
        submission.review(reviewer=self.actor()["user"], note=c.note)
        return ops.SubmissionReviewed(submission_id=c.submission_id, position=self.record(submission))

    # -- items sent to the unit ---------------------------------------------------------------------
    def _issue(self, unit: Unit, kind: str, title: str, body: str, counterpart_id: str, deadline: date,
               reference_number: str) -> OutboundItem:
        actor = self.actor()
        return self.matrix(unit).route_item(unit, kind, title, body, counterpart_id, deadline, reference_number,
                                       signer=actor["user"], signer_role=actor["role"], today=self.today())

    @command
    def issue_request(self, c: ops.IssueRequest) -> ops.ItemRecorded:
        """Send a document request (调阅资料) or relay of HQ instructions to the unit (scheduling is a round of
        the ledgers: a `scheduling_request` is refused, `use_scheduling_rounds`)."""
        OutboundItem.check_kind(c.item_kind)
        if c.item_kind not in DIRECT_KINDS:
            raise InvalidInputError(
                "反馈意见须经集体研判后印发，纪检监察建议由线索处置环节发出 "
                "(feedback is issued after deliberation; recommendations come from the clues service)",
                code="kind_not_direct",
            )
        item = self._issue(self.unit(c.unit_id), c.item_kind, c.title, c.body, c.counterpart_id, c.deadline,
                           c.reference_number)
        return ops.ItemRecorded(item_id=str(item.id), position=self.record(item))

    @command
    def record_delivery(self, c: ops.RecordDelivery) -> ops.ItemRecorded:
        """Record that an item reached the unit (portal, paper, in person)."""
        item: OutboundItem = self.load(c.item_id, OutboundItem)
        item.deliver(channel=c.channel, delivered_on=self.today())
        return ops.ItemRecorded(item_id=c.item_id, position=self.record(item))

    @command
    def acknowledge_item(self, c: ops.AcknowledgeItem) -> ops.ItemRecorded:
        """The unit signs for an item (签收); an item not yet marked delivered is delivered by the portal."""
        item: OutboundItem = self.load(c.item_id, OutboundItem)
        item.acknowledge(by=self.actor()["user"], acknowledged_on=self.today())
        return ops.ItemRecorded(item_id=c.item_id, position=self.record(item))

    @command
    def withdraw_item(self, c: ops.WithdrawItem) -> ops.ItemRecorded:
        """Withdraw an item sent in error (the record and its reason stay)."""
        item: OutboundItem = self.load(c.item_id, OutboundItem)
        item.withdraw(reason=c.reason)
        return ops.ItemRecorded(item_id=c.item_id, position=self.record(item))

    @command
    def record_overdue(self, c: ops.RecordOverdue) -> ops.OverdueRecorded:
        """Scheduler: record an Overdue event, once, for each open unanswered item past its deadline."""
        today = self.today()
        due = self.due_index.due(today)  # only the items with a deadline passed, not every item
        items: list[Any] = [self.repository.get(i) for i in due]
        overdue = [i for i in items if isinstance(i, OutboundItem) and i.is_overdue(today)]
        for item in overdue:
            item.mark_overdue(detected_on=today)
        position = self.record(*overdue) if overdue else 0
        self.due_index.handled(due, today)
        return ops.OverdueRecorded(overdue=[str(i.id) for i in overdue], position=position)

    @policy("clues.RecommendationIssued")
    def on_recommendation_issued(self, envelope: Envelope, payload: Any, processing: ProcessingEvent[Any]) -> None:
        """A supervision recommendation (纪检监察建议) becomes an item sent to the unit, once."""
        if not envelope.unit_id:
            return
        if OutboundItem.create_id("recommendation", payload.recommendation_id) in self.repository:
            return  # republished under another position: already an item
        unit = self.unit(envelope.unit_id)
        processing.collect_events(recommendation_item(unit, self.matrix(unit), payload, self.today()))

    # -- feedback deliberation (集体研判) --------------------------------------------------------------
    @command
    def draft_feedback(self, c: ops.DraftFeedback) -> ops.DraftRecorded:
        """Draft feedback (反馈意见) for collective deliberation; the unit sees nothing until it is issued."""
        unit = self.unit(c.unit_id)
        unit.level_of(c.counterpart_id)
        draft = FeedbackDraft.draft(
            group_id=unit.group_id, unit_id=c.unit_id, title=c.title, body=c.body, form=c.form,
            important=c.important, counterpart_id=c.counterpart_id, drafted_by=self.actor()["user"],
            deadline=c.deadline, today=self.today(),
        )
        return ops.DraftRecorded(draft_id=str(draft.id), position=self.record(draft))

    @command
    def record_opinion(self, c: ops.RecordOpinion) -> ops.DraftDeliberated:
        """A group member records an opinion on the draft (agree, amend, object)."""
        draft: FeedbackDraft = self.load(c.draft_id, FeedbackDraft)
        actor = self.actor()
        draft.record_opinion(member=actor["user"], member_role=actor["role"], stance=c.stance, text=c.text)
        return ops.DraftDeliberated(draft_id=c.draft_id, status=draft.status, position=self.record(draft))

    @command
    def revise_feedback(self, c: ops.ReviseFeedback) -> ops.DraftRevised:
        """Revise the text; it must be deliberated (and decided, if important) again."""
        draft: FeedbackDraft = self.load(c.draft_id, FeedbackDraft)
        draft.revise(body=c.body, important=c.important, reason=c.reason)
        return ops.DraftRevised(draft_id=c.draft_id, revision=draft.revision, position=self.record(draft))

    @command
    def decide_feedback(self, c: ops.DecideFeedback) -> ops.DraftDeliberated:
        """The group leadership decides on important feedback (组领导研究决定): approve or return."""
        draft: FeedbackDraft = self.load(c.draft_id, FeedbackDraft)
        actor = self.actor()
        draft.decide(decider=actor["user"], decider_role=actor["role"], decision=c.decision, note=c.note,
                     decided_on=self.today())
        return ops.DraftDeliberated(draft_id=c.draft_id, status=draft.status, position=self.record(draft))

    @command
    def issue_feedback(self, c: ops.IssueFeedback) -> ops.FeedbackIssued:
        """Issue deliberated feedback to the unit, signed per the routing matrix."""
        draft: FeedbackDraft = self.load(c.draft_id, FeedbackDraft)
        draft.check_issue()
        item = self._issue(self.unit(draft.unit_id), "feedback", draft.title, draft.body, draft.counterpart_id,
                           draft.deadline, c.reference_number)
        draft.issue(item_id=str(item.id), issued_by=self.actor()["user"], issued_on=self.today())
        return ops.FeedbackIssued(draft_id=c.draft_id, item_id=str(item.id), position=self.record(draft, item))

    # -- power operation (狠抓权力运行) -----------------------------------------------------------------
    @command
    def observe_power_matter(self, c: ops.ObservePowerMatter) -> ops.MatterRecorded:
        """Register a 三重一大 matter the group saw at a leadership meeting it attended (会议监督)."""
        unit = self.unit(c.unit_id)
        department = unit.department(c.department_id)
        matter = PowerMatter.seen_at_meeting(
            group_id=unit.group_id, unit_id=c.unit_id, category=c.category, title=c.title,
            department_id=c.department_id, department_name=department["name"], decided_on=c.decided_on,
            meeting=c.meeting, amount_yuan=c.amount_yuan, observer=self.actor()["user"], note=c.note,
            concern=c.concern, observed_on=self.today(),
        )
        return ops.MatterRecorded(matter_id=str(matter.id), position=self.record(matter))

    @command
    def record_power_observation(self, c: ops.RecordPowerObservation) -> ops.MatterRecorded:
        """Add the group's observation on a 三重一大 matter."""
        matter: PowerMatter = self.load(c.matter_id, PowerMatter)
        matter.observe(observer=self.actor()["user"], note=c.note, concern=c.concern, observed_on=self.today())
        return ops.MatterRecorded(matter_id=c.matter_id, position=self.record(matter))

    @command
    def revise_power_list(self, c: ops.RevisePowerList) -> ops.PowerListRevised:
        """Set a department's power list (职权, basis, boundary); earlier versions stay in its history."""
        power_list = self.power_list(c.unit_id, c.department_id)
        power_list.revise_powers(powers=[p.model_dump() for p in c.powers], revised_on=self.today(),
                                 reason=c.reason)
        return ops.PowerListRevised(department_id=c.department_id, position=self.record(power_list))

    @command
    def record_risk_point(self, c: ops.RecordRiskPoint) -> ops.RiskPointRecorded:
        """Record an integrity risk point (风险点) on a listed power, with its controls."""
        power_list = self.power_list(c.unit_id, c.department_id)
        point_id = str(uuid.uuid4())
        power_list.record_risk_point(point_id=point_id, power=c.power, description=c.description, level=c.level,
                                     controls=c.controls, recorded_on=self.today())
        return ops.RiskPointRecorded(point_id=point_id, position=self.record(power_list))

    @command
    def retire_risk_point(self, c: ops.RetireRiskPoint) -> ops.RiskPointRecorded:
        """Retire a risk point that no longer applies (kept in the history)."""
        power_list = self.power_list(c.unit_id, c.department_id)
        power_list.retire_risk_point(point_id=c.point_id, reason=c.reason, retired_on=self.today())
        return ops.RiskPointRecorded(point_id=c.point_id, position=self.record(power_list))

    # -- upward (请示报告), consultations, announcements -------------------------------------------------
    @command
    def submit_upward(self, c: ops.SubmitUpward) -> ops.UpwardRecorded:
        """A request (请示) or report (报告) from the group to the commission."""
        submission = UpwardSubmission.submit(group_id=c.group_id, unit_id=c.unit_id, kind=c.upward_kind, title=c.title,
                                             body=c.body, submitted_by=self.actor()["user"],
                                             submitted_on=self.today())
        return ops.UpwardRecorded(upward_id=str(submission.id), position=self.record(submission))

    @command
    def reply_upward(self, c: ops.ReplyUpward) -> ops.UpwardRecorded:
        """The commission's reply (批复) to a request or report."""
        submission: UpwardSubmission = self.load(c.upward_id, UpwardSubmission)
        submission.reply(replied_by=self.actor()["user"], reply=c.reply, final=c.final, replied_on=self.today())
        return ops.UpwardRecorded(upward_id=c.upward_id, position=self.record(submission))

    @command
    def hold_consultation(self, c: ops.HoldConsultation) -> ops.ConsultationHeld:
        """Record a consultation with the unit (定期会商) with its minutes and agreed actions."""
        unit = self.unit(c.unit_id)
        consultation = Consultation.hold(
            group_id=unit.group_id, unit_id=c.unit_id, kind=c.consultation_kind, held_on=c.held_on,
            participants=list(c.participants), topics=list(c.topics), minutes=c.minutes,
            actions=[a.model_dump() for a in c.actions],
        )
        return ops.ConsultationHeld(consultation_id=str(consultation.id), action_ids=consultation.action_ids,
                                position=self.record(consultation))

    @command
    def complete_consultation_action(self, c: ops.CompleteConsultationAction) -> ops.ConsultationRecorded:
        """Mark an agreed action as done."""
        consultation: Consultation = self.load(c.consultation_id, Consultation)
        consultation.complete_action(action_id=c.action_id, note=c.note, done_on=self.today())
        return ops.ConsultationRecorded(consultation_id=c.consultation_id, position=self.record(consultation))

    @command
    def announce_joint_supervision(self, c: ops.AnnounceJointSupervision) -> ops.AnnouncementPublished:
        """Publish a joint supervision announcement (联合监督通报) with the unit."""
        unit = self.unit(c.unit_id)
        announcement = JointAnnouncement.publish(group_id=unit.group_id, unit_id=c.unit_id, title=c.title,
                                                 body=c.body, published_on=self.today(),
                                                 published_by=self.actor()["user"])
        return ops.AnnouncementPublished(announcement_id=str(announcement.id), position=self.record(announcement))

