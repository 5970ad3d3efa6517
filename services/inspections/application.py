"""Inspections application: inspection rounds (before / during / after) and the group's supervision activities.

Each command loads its aggregate (checked against the caller's permission: `ServiceApplication.load`),
asks it to act (the aggregate checks its own rules) and records it. Queries are in `queries`, the
reaction to units' rectification reports in `policies`.
"""

from __future__ import annotations

import uuid
from typing import Any

from services.common.application import command, query, snapshot_every
from services.common.case_history import CaseEvents, case_events
from services.common.clock import Clock
from services.common.due_index import DueIndex
from services.common.forensics import ReplayResult, replay
from services.common.integrity import CheckpointLog
from services.inspections.activities import SupervisionActivity
from services.inspections.domainmodel import InspectionRound
from services.inspections.due import DUE_RULES
from services.inspections.interface import (
    AnswerInformation,
    ChangeRoundMembers,
    CheckDeadlines,
    CloseRound,
    CompleteActivity,
    CompleteLookBack,
    ForensicHistory,
    ForensicReplay,
    FreezeBriefingPackage,
    HandOverActivityFinding,
    HandOverClue,
    HandOverFinding,
    OpenRound,
    PlanActivity,
    RecordActivityFinding,
    RecordActivityWork,
    RecordFinding,
    RecordRectificationProgress,
    RecordRound,
    ReferActivityFinding,
    ReferClue,
    RequestInformation,
    ScheduleLookBack,
    StartActivity,
)
from services.inspections.policies import Policies
from services.inspections.queries import Queries
from services.inspections.results import (
    ActivityFindingRecorded,
    ActivityItemRecorded,
    ActivityRecorded,
    ActivityReferralRecorded,
    ClueHandedOver,
    DeadlinesChecked,
    FindingRecorded,
    ItemRecorded,
    LookBackRecorded,
    Overdue,
    PackageFrozen,
    ReferralRecorded,
    RequestRecorded,
    RoundRecorded,
)
from services.inspections.sealing import clue_content, seal_content
from services.inspections.views import activity_view, round_view


class InspectionsApplication(Queries, Policies):
    """The inspections service (巡视): rounds of a unit by an inspection team, and supervision activities."""

    name = "inspections"
    scheduler_command = "check_deadlines"
    snapshotting_intervals = snapshot_every(CheckpointLog, InspectionRound, SupervisionActivity)

    def __init__(self, env: dict[str, str] | None = None, clock: Clock | None = None) -> None:
        super().__init__(env=env, clock=clock)
        self.due_index = DueIndex(self, DUE_RULES)
    consumes = ("units",)

    forensic_views = {"InspectionRound": round_view, "SupervisionActivity": activity_view}
    """Record kind → the view its Get… query answers with (what a forensic replay shows as the state)."""

    @query
    def forensic_replay(self, q: ForensicReplay) -> ReplayResult:
        """A record's history and its state as of a moment (services.common.forensics); the use is recorded."""
        return replay(self, q, self.forensic_views)

    @query
    def forensic_history(self, q: ForensicHistory) -> CaseEvents:
        """The events of a case in this store that the caller may read (services.common.case_history)."""
        return case_events(self, q)

    # -- rounds --------------------------------------------------------------------------------
    @command
    def record_round(self, c: RecordRound) -> RoundRecorded:
        """Record an inspection round of a unit (HQ or the group): its team, members and the three phases."""
        inspection_round = InspectionRound.record(
            c.group_id, c.unit_id, c.title, c.team_id, c.member_ids,
            {"before": (c.before_start, c.before_end), "during": (c.during_start, c.during_end),
             "after": (c.after_start, c.after_end)},
        )
        return RoundRecorded(round_id=str(inspection_round.id), position=self.record(inspection_round))

    @command
    def open_round(self, c: OpenRound) -> RoundRecorded:
        """Open the round: from now on its team's members may see and work on it."""
        inspection_round = self._round(c.round_id)
        inspection_round.open(opened_at=self.clock.now())
        return RoundRecorded(round_id=c.round_id, position=self.record(inspection_round))

    @command
    def close_round(self, c: CloseRound) -> RoundRecorded:
        """Close the round: its team's members lose access; rectification follow-up goes on with the group."""
        inspection_round = self._round(c.round_id)
        inspection_round.close(closed_at=self.clock.now(), summary=c.summary)
        return RoundRecorded(round_id=c.round_id, position=self.record(inspection_round))

    @command
    def change_round_members(self, c: ChangeRoundMembers) -> RoundRecorded:
        """Replace the list of the team's members who may access the round."""
        inspection_round = self._round(c.round_id)
        inspection_round.change_members(c.member_ids)
        return RoundRecorded(round_id=c.round_id, position=self.record(inspection_round))

    # -- before --------------------------------------------------------------------------------
    @command
    def freeze_briefing_package(self, c: FreezeBriefingPackage) -> PackageFrozen:
        """Record that the briefing package built from these history positions, with this hash, went to the team."""
        inspection_round = self._round(c.round_id)
        package_id = str(uuid.uuid4())
        inspection_round.freeze_package(package_id=package_id, positions=dict(c.positions),
                                        content_hash=c.content_hash, frozen_at=self.clock.now())
        return PackageFrozen(round_id=c.round_id, package_id=package_id, position=self.record(inspection_round))

    @command
    def hand_over_clue(self, c: HandOverClue) -> ClueHandedOver:
        """The group leader hands one clue to the team, with a recorded reason (the clue's content is not copied)."""
        inspection_round = self._round(c.round_id)
        inspection_round.hand_over_clue(clue_id=c.clue_id, reason=c.reason, handed_over_at=self.clock.now())
        return ClueHandedOver(round_id=c.round_id, clue_id=c.clue_id, position=self.record(inspection_round))

    # -- during --------------------------------------------------------------------------------
    @command
    def refer_clue(self, c: ReferClue) -> ReferralRecorded:
        """The team refers a clue to the group: only the content sealed for the clues service is kept and sent."""
        inspection_round = self._round(c.round_id)
        content = clue_content(c.subject_name, c.subject_unit, c.subject_post, c.key_person, c.categories,
                               c.summary)
        sealed_content = seal_content(content, self.env)
        referral_id = str(uuid.uuid4())
        inspection_round.refer_clue(referral_id=referral_id, sealed_content=sealed_content,
                                    referred_at=self.clock.now())
        return ReferralRecorded(round_id=c.round_id, referral_id=referral_id,
                                position=self.record(inspection_round))

    @command
    def request_information(self, c: RequestInformation) -> RequestRecorded:
        """A request for information between team and group, with a deadline."""
        inspection_round = self._round(c.round_id)
        request_id = str(uuid.uuid4())
        inspection_round.request_information(request_id=request_id, direction=c.direction, question=c.question,
                                             deadline=c.deadline, requested_at=self.clock.now(), today=self.today())
        return RequestRecorded(round_id=c.round_id, request_id=request_id, position=self.record(inspection_round))

    @command
    def answer_information(self, c: AnswerInformation) -> RequestRecorded:
        """Answer a request for information (late answers are accepted; the overdue event stays).

        `side` ("team" or "group") is who answers: a request is answered by the side it was addressed to.
        """
        inspection_round = self._round(c.round_id)
        inspection_round.answer_information(request_id=c.request_id, answer=c.answer,
                                            answered_at=self.clock.now(), side=c.side)
        return RequestRecorded(round_id=c.round_id, request_id=c.request_id, position=self.record(inspection_round))

    # -- after ---------------------------------------------------------------------------------
    @command
    def record_finding(self, c: RecordFinding) -> FindingRecorded:
        """The team records a finding the unit must rectify by the deadline."""
        inspection_round = self._round(c.round_id)
        finding_id = str(uuid.uuid4())
        inspection_round.record_finding(
            finding_id=finding_id, title=c.title, description=c.description, problem_type=c.problem_type,
            responsible_department=c.responsible_department, deadline=c.deadline, today=self.today(),
        )
        return FindingRecorded(round_id=c.round_id, finding_id=finding_id, position=self.record(inspection_round))

    @command
    def hand_over_finding(self, c: HandOverFinding) -> ItemRecorded:
        """Hand a finding over as a rectification item (the ledgers service puts it on the problem list)."""
        inspection_round = self._round(c.round_id)
        inspection_round.hand_over_finding(c.finding_id, handed_over_at=self.clock.now())
        return ItemRecorded(round_id=c.round_id, item_id=c.finding_id, position=self.record(inspection_round))

    @command
    def record_rectification_progress(self, c: RecordRectificationProgress) -> ItemRecorded:
        """Record progress of a rectification item on its round, so the team sees how its findings went."""
        inspection_round = self._round(c.round_id)
        inspection_round.record_progress(finding_id=c.item_id, summary=c.summary, completed=c.completed,
                                         source=c.source, source_ref=c.source_ref, reported_at=self.clock.now())
        return ItemRecorded(round_id=c.round_id, item_id=c.item_id, position=self.record(inspection_round))

    @command
    def schedule_look_back(self, c: ScheduleLookBack) -> LookBackRecorded:
        """Schedule a look-back (回头看) of the round's rectification."""
        inspection_round = self._round(c.round_id)
        look_back_id = str(uuid.uuid4())
        inspection_round.schedule_look_back(look_back_id=look_back_id, due_on=c.due_on, scope=c.scope,
                                            today=self.today())
        return LookBackRecorded(round_id=c.round_id, look_back_id=look_back_id,
                                position=self.record(inspection_round))

    @command
    def complete_look_back(self, c: CompleteLookBack) -> LookBackRecorded:
        """Record the look-back's conclusion; items whose rectification was not real are reopened."""
        inspection_round = self._round(c.round_id)
        inspection_round.complete_look_back(look_back_id=c.look_back_id, conclusion=c.conclusion,
                                            reopened=list(c.reopened_item_ids), completed_at=self.clock.now())
        return LookBackRecorded(round_id=c.round_id, look_back_id=c.look_back_id,
                                position=self.record(inspection_round))

    # -- scheduler -----------------------------------------------------------------------------
    @command
    def check_deadlines(self, c: CheckDeadlines) -> DeadlinesChecked:
        """Record `...Overdue` events for requests and rectification items whose deadline passed (run periodically)."""
        today = self.today()
        overdue: list[Overdue] = []
        position = 0
        due = self.due_index.due(today)  # only the rounds with a deadline passed, not every round
        for round_id in due:
            inspection_round: Any = self.repository.get(round_id)
            if not isinstance(inspection_round, InspectionRound):
                continue
            overdue.extend(Overdue(**marked) for marked in inspection_round.mark_overdue(today))
            if inspection_round.pending_events:
                position = self.record(inspection_round)
        self.due_index.handled(due, today)
        return DeadlinesChecked(overdue=overdue, position=position)

    # -- activities ----------------------------------------------------------------------------
    @command
    def plan_activity(self, c: PlanActivity) -> ActivityRecorded:
        """Plan a supervision activity: its kind, plan, participants, methods and dates."""
        activity = SupervisionActivity.new_plan(
            group_id=c.group_id, unit_id=c.unit_id, kind=c.activity_kind, title=c.title, plan=c.plan,
            participant_ids=c.participant_ids, methods=c.methods, start_on=c.start_on, end_on=c.end_on,
            leader_id=c.leader_id, hq_offices=c.hq_offices, topic=c.topic, directive_id=c.directive_id,
            stage=c.stage,
        )
        return ActivityRecorded(activity_id=str(activity.id), position=self.record(activity))

    @command
    def start_activity(self, c: StartActivity) -> ActivityRecorded:
        """Start carrying out a planned activity."""
        activity = self._activity(c.activity_id)
        activity.start(started_on=c.started_on)
        return ActivityRecorded(activity_id=c.activity_id, position=self.record(activity))

    @command
    def record_activity_work(self, c: RecordActivityWork) -> ActivityRecorded:
        """Record one piece of work done by one of the planned methods (the whole-process record)."""
        activity = self._activity(c.activity_id)
        activity.record_work(method=c.method, held_on=c.held_on, summary=c.summary, participant_ids=c.participant_ids)
        return ActivityRecorded(activity_id=c.activity_id, position=self.record(activity))

    @command
    def record_activity_finding(self, c: RecordActivityFinding) -> ActivityFindingRecorded:
        """Record a problem the activity found."""
        activity = self._activity(c.activity_id)
        finding_id = str(uuid.uuid4())
        activity.record_finding(finding_id=finding_id, summary=c.summary)
        return ActivityFindingRecorded(activity_id=c.activity_id, finding_id=finding_id,
                                       position=self.record(activity))

    @command
    def hand_over_activity_finding(self, c: HandOverActivityFinding) -> ActivityItemRecorded:
        """Turn a finding into a rectification item (problem list of the ledgers service)."""
        activity = self._activity(c.activity_id)
        activity.hand_over_finding(
            finding_id=c.finding_id, title=c.title, problem_type=c.problem_type,
            responsible_department=c.responsible_department, deadline=c.deadline, description=c.description,
            today=self.today(),
        )
        return ActivityItemRecorded(activity_id=c.activity_id, item_id=c.finding_id, position=self.record(activity))

    @command
    def refer_activity_finding(self, c: ReferActivityFinding) -> ActivityReferralRecorded:
        """Turn a finding into a clue for the clues service: its content is sealed, never kept in plaintext."""
        activity = self._activity(c.activity_id)
        content = clue_content(c.subject_name, c.subject_unit, c.subject_post, c.key_person, c.categories,
                               c.summary)
        sealed_content = seal_content(content, self.env)
        activity.refer_finding(finding_id=c.finding_id, sealed_content=sealed_content,
                               referred_at=self.clock.now())
        return ActivityReferralRecorded(activity_id=c.activity_id, referral_id=c.finding_id,
                                        position=self.record(activity))

    @command
    def complete_activity(self, c: CompleteActivity) -> ActivityRecorded:
        """Complete the activity with its conclusion."""
        activity = self._activity(c.activity_id)
        activity.complete(conclusion=c.conclusion, completed_on=c.completed_on)
        return ActivityRecorded(activity_id=c.activity_id, position=self.record(activity))
