"""Clues application: intake, assessment, disposition, execution, outcome, recommendations; reads recorded.

Every command on a clue loads it for the caller's permission: whoever is outside its compartment gets the
404 a missing clue gets (`Clue.access_scope`). A few actions are decided on another scope of the clue:
the group leader takes a referred clue in (it has no compartment yet), the auditor lists the reads of any
clue, the unit's invited users read what joint screening shares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

import authz
from authz import AUDIT_ROLES, Scope
from services.clues.compartment import Disclosure, disclosure_id
from services.clues.deadlines import TimeLimits
from services.clues.domainmodel import Clue
from services.clues.due import DUE_RULES
from services.clues.integration import mapper
from services.clues.interface import (
    AcceptReferral,
    AddDocument,
    AddMember,
    CloseRecommendation,
    ClueFacts,
    ClueRecorded,
    ConcludeClue,
    ConcludeJointScreening,
    DecideDisposition,
    DisclosedClue,
    DisclosureEntry,
    DraftRecommendation,
    ForensicHistory,
    ForensicReplay,
    GetClueFacts,
    GetRecommendation,
    IssueRecommendation,
    JointScreeningContent,
    ListDisclosures,
    NoteAssessment,
    OverdueClue,
    OverdueRecorded,
    ProposeDisposition,
    ReadClue,
    ReadJointScreening,
    RecommendationRecorded,
    RecommendationView,
    RecordInquiry,
    RecordInquiryReply,
    RecordOverdue,
    RecordRecommendationResponse,
    RecordScreening,
    RecordVerification,
    RegisterClue,
    RemoveMember,
    ReopenClue,
    ShareForJointScreening,
)
from services.clues.policies import CluesPolicies
from services.clues.recommendation import Recommendation
from services.clues.views import clue_facts, clue_parts, recommendation_view
from services.common.application import ServiceApplication, command, query, snapshot_every
from services.common.calendar import WorkingCalendar
from services.common.case_history import CaseEvents, case_events
from services.common.clock import Clock, beijing_date
from services.common.context import command_context, current
from services.common.due_index import DueIndex
from services.common.errors import ConflictError, NotFoundError
from services.common.forensics import ReplayResult, replay
from services.common.integrity import CheckpointLog

READ_ATTEMPTS = 5
A = TypeVar("A")


class UnencryptedStoreError(RuntimeError):
    """Clue content must be encrypted at rest: a persistent store without a cipher is refused."""


class CluesApplication(WorkingCalendar, ServiceApplication, CluesPolicies):
    name = "clues"
    snapshotting_intervals = snapshot_every(CheckpointLog, Clue, Disclosure, Recommendation)
    scheduler_command = "record_overdue"
    integration = mapper
    consumes = ("inspections", "units", "ledgers")

    forensic_views = {"Clue": clue_facts, "Recommendation": recommendation_view}
    """Record kind → the view its Get… query answers with (what a forensic replay shows as the state): a clue's facts, never
    its content; its history names who did what, without the words (detail=False)."""

    @query
    def forensic_replay(self, q: ForensicReplay) -> ReplayResult:
        """A record's history and its state as of a moment (services.common.forensics); the use is recorded."""
        return replay(self, q, self.forensic_views, detail=False)

    @query
    def forensic_history(self, q: ForensicHistory) -> CaseEvents:
        """The events of a case in this store that the caller may read (services.common.case_history)."""
        return case_events(self, q, detail=False)

    def __init__(self, env: dict[str, str] | None = None, clock: Clock | None = None) -> None:
        super().__init__(env=env, clock=clock)
        persistence = self.env.get("PERSISTENCE_MODULE") or "eventsourcing.popo"
        if persistence != "eventsourcing.popo" and not self.env.get("CIPHER_TOPIC"):
            raise UnencryptedStoreError(
                "线索库必须加密存储 (the clues store must be encrypted at rest): set CIPHER_TOPIC="
                "eventsourcing.cryptography:AESCipher and CIPHER_KEY (AESCipher.create_key(num_bytes=32))"
            )
        self.time_limits = TimeLimits.from_env(self.env)
        self.due_index = DueIndex(self, DUE_RULES)
        # The rules this service decides with, in its own process too. Loaded by name, not imported: the
        # rules module still looks up the group leader in the demo accounts (a gateway module).
        authz.load_rules(("clues",))

    # -- helpers ------------------------------------------------------------------------------
    def _actor(self) -> str:
        return current().actor.get("user", "")

    @contextmanager
    def _unchecked(self) -> Iterator[None]:
        """Load records the service filters itself (lists, counts, the scheduler): no check per record."""
        with command_context(replace(current(), action=None)):
            yield

    def _clue(self, clue_id: str, scope: Callable[[Clue], Scope] | None = None) -> Clue:
        """The clue, if the caller may act on it: by default decided on its compartment (else 404).

        With `scope`, the call is decided on that view of the clue instead (a referral's intake, the
        auditor's oversight, the unit's joint screening).
        """
        if scope is None:
            clue: Clue = self.load(clue_id, Clue)
            return clue
        context = current()
        with self._unchecked():
            clue = self.load(clue_id, Clue)
        if context.principal is not None and context.action is not None:
            authz.authorize(context.principal, context.action, scope(clue))
        return clue

    def _all(self, created: type[Any], kind: type[A]) -> Iterator[A]:
        for aggregate_id in self.ids_with(created):
            with self._unchecked():
                aggregate: A = self.load(aggregate_id, kind)
            yield aggregate

    def _clues(self) -> Iterator[Clue]:
        return self._all(Clue.Registered, Clue)

    def _recommendations(self) -> Iterator[Recommendation]:
        return self._all(Recommendation.Drafted, Recommendation)

    def limit(self, kind: str, start: date) -> tuple[dict[str, Any], date]:
        """A time limit from `start` by this service's calendar: (the rule as recorded, the date)."""
        return self.time_limits.of(kind).counted(start, self.working_calendar())

    def _done(self, clue: Clue) -> ClueRecorded:
        return ClueRecorded(clue_id=str(clue.id), position=self.record(clue))

    # -- intake -------------------------------------------------------------------------------
    @command
    def register_clue(self, c: RegisterClue) -> ClueRecorded:
        """Register a clue; its compartment is the group leader, the staff assigned and who registered it."""
        received = c.received_on or self.today()
        rule, due_on = self.limit("disposition", received)
        clue = Clue.register(
            group_id=c.group_id,
            unit_id=c.unit_id,
            source=c.source,
            subject={"name": c.subject_name, "unit": c.subject_unit, "post": c.subject_post,
                     "key_person": c.key_person},
            categories=list(c.categories),
            summary=c.summary,
            received_on=received,
            leader=c.leader,
            assigned=list(c.assigned),
            registrar=self._actor() or None,
            disposition_due_on=due_on,
            disposition_rule=rule,
            directory=c.directory,
        )
        for document in c.documents:
            clue.add_document(document.title, document.reference, document.sha256)
        return self._done(clue)

    @command
    def accept_referral(self, c: AcceptReferral) -> ClueRecorded:
        """The group leader takes a referred clue in and assigns staff."""
        clue = self._clue(c.clue_id, Clue.intake_scope)
        clue.accept(c.leader, list(c.assigned), c.directory)
        return self._done(clue)

    @command
    def add_member(self, c: AddMember) -> ClueRecorded:
        """Add someone to the compartment, with the reason recorded."""
        clue = self._clue(c.clue_id)
        clue.add_member(c.user, c.reason, c.directory)
        return self._done(clue)

    @command
    def remove_member(self, c: RemoveMember) -> ClueRecorded:
        clue = self._clue(c.clue_id)
        clue.remove_member(c.user, c.reason)
        return self._done(clue)

    @command
    def add_document(self, c: AddDocument) -> ClueRecorded:
        """Attach a source document by reference and SHA-256 hash (the file itself stays in the archive)."""
        clue = self._clue(c.clue_id)
        clue.add_document(c.title, c.reference, c.sha256)
        return self._done(clue)

    # -- assessment and disposition -----------------------------------------------------------
    @command
    def note_assessment(self, c: NoteAssessment) -> ClueRecorded:
        """An assessment note (研判): the political analysis first."""
        clue = self._clue(c.clue_id)
        clue.note_assessment(c.political_analysis, c.analysis)
        return self._done(clue)

    @command
    def record_screening(self, c: RecordScreening) -> ClueRecorded:
        """Collective screening (集体排查): who took part and what each concluded."""
        clue = self._clue(c.clue_id)
        clue.record_screening(c.held_on, [p.fields() for p in c.participants], c.conclusion)
        return self._done(clue)

    @command
    def propose_disposition(self, c: ProposeDisposition) -> ClueRecorded:
        clue = self._clue(c.clue_id)
        clue.propose(c.disposition, c.reason)
        return self._done(clue)

    @command
    def decide_disposition(self, c: DecideDisposition) -> ClueRecorded:
        """The group leader's decision; an approved disposition opens its statutory time limit."""
        clue = self._clue(c.clue_id)
        chosen = clue.disposition_chosen(c.disposition)
        kind = {"preliminary_verification": "verification", "hold": "hold_review"}.get(chosen or "")
        rule, due_on = self.limit(kind, self.today()) if kind else (None, None)
        clue.decide(c.approved, c.reason, due_on, c.disposition, due_rule=rule)
        return self._done(clue)

    # -- execution and outcome ----------------------------------------------------------------
    @command
    def record_inquiry(self, c: RecordInquiry) -> ClueRecorded:
        """A talk held or a letter of inquiry sent; a letter must be answered within the time limit."""
        clue = self._clue(c.clue_id)
        rule, due_on = self.limit("inquiry_reply", c.held_on)
        clue.record_inquiry(c.form, c.held_on, c.summary, due_on, reply_rule=rule)
        return self._done(clue)

    @command
    def record_inquiry_reply(self, c: RecordInquiryReply) -> ClueRecorded:
        clue = self._clue(c.clue_id)
        clue.record_reply(c.received_on, c.summary)
        return self._done(clue)

    @command
    def record_verification(self, c: RecordVerification) -> ClueRecorded:
        """The preliminary verification report (初核报告)."""
        clue = self._clue(c.clue_id)
        clue.record_verification(c.reported_on, c.summary, c.substantiated)
        return self._done(clue)

    @command
    def conclude_clue(self, c: ConcludeClue) -> ClueRecorded:
        """Case filing (立案审查调查) or closure, with the outcome in the four forms and the reasons."""
        clue = self._clue(c.clue_id)
        clue.conclude(c.result, c.four_forms, c.reason)
        return self._done(clue)

    @command
    def reopen_clue(self, c: ReopenClue) -> ClueRecorded:
        clue = self._clue(c.clue_id)
        rule, due_on = self.limit("disposition", self.today())
        clue.reopen(c.reason, due_on, disposition_rule=rule)
        return self._done(clue)

    # -- joint screening ----------------------------------------------------------------------
    @command
    def share_for_joint_screening(self, c: ShareForJointScreening) -> ClueRecorded:
        """Share parts of a clue with the unit's discipline committee (never about the unit's leadership)."""
        clue = self._clue(c.clue_id)
        clue.share_for_joint_screening(list(c.unit_users), list(c.parts), c.reason, c.directory)
        return self._done(clue)

    @command
    def conclude_joint_screening(self, c: ConcludeJointScreening) -> ClueRecorded:
        clue = self._clue(c.clue_id)
        clue.conclude_joint_screening(c.conclusion)
        return self._done(clue)

    # -- deadlines ----------------------------------------------------------------------------
    @command
    def record_overdue(self, c: RecordOverdue) -> OverdueRecorded:
        """Scheduler: record an `Overdue` event for every statutory deadline passed, once each."""
        today = beijing_date(c.now or self.clock.now())
        clues: list[OverdueClue] = []
        recommendations: list[str] = []
        position = 0
        due = self.due_index.due(today)  # only the records with a deadline passed, not every clue
        looked_at: list[Any] = []
        for record_id in due:
            with self._unchecked():
                record: Any = self.load(record_id)
            if isinstance(record, Clue):
                kinds = record.mark_overdue(today)
                if kinds:
                    try:
                        position = max(position, self.record(record))
                    except ConflictError:
                        continue  # changed meanwhile; the next run sees it again
                    clues.append(OverdueClue(clue_id=str(record.id), deadlines=kinds))
            elif isinstance(record, Recommendation) and record.mark_overdue(today):
                try:
                    position = max(position, self.record(record))
                except ConflictError:
                    continue
                recommendations.append(str(record.id))
            looked_at.append(record_id)
        self.due_index.handled(looked_at, today)
        return OverdueRecorded(clues=clues, recommendations=recommendations, position=position)

    # -- reads of content: each one recorded in the clue's disclosure stream ------------------
    def _record_read(self, clue: Clue, reader: str, parts: list[str], reason: str, channel: str) -> int:
        for attempt in range(READ_ATTEMPTS):
            try:
                disclosure: Disclosure = self.load(disclosure_id(str(clue.id)), Disclosure)
            except NotFoundError:
                disclosure = Disclosure(clue_id=str(clue.id), group_id=clue.group_id, unit_id=clue.unit_id)
            disclosure.record_read(reader, parts, reason, channel)
            try:
                return self.record(disclosure)
            except ConflictError:
                if attempt == READ_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    @command
    def read_clue(self, c: ReadClue) -> DisclosedClue:
        """A compartment member reads a clue's content; the read (who, when, parts, why) is recorded first."""
        clue = self._clue(c.clue_id)
        parts = clue.parts_for(c.reader, list(c.parts) if c.parts else None)
        position = self._record_read(clue, c.reader, parts, c.reason, "workbench")
        return DisclosedClue.model_validate(
            {**clue_facts(clue), **clue_parts(clue, parts), "parts": parts, "disclosure_position": position}
        )

    @command
    def read_joint_screening(self, c: ReadJointScreening) -> JointScreeningContent:
        """A unit discipline-committee user invited to joint screening reads the shared parts only."""
        clue = self._clue(c.clue_id, Clue.joint_screening_scope)
        parts = clue.shared_parts_for(c.reader)
        position = self._record_read(clue, c.reader, parts, c.reason, "joint_screening")
        assert clue.joint_screening is not None
        return JointScreeningContent.model_validate({
            "clue_id": str(clue.id),
            "unit_id": clue.unit_id,
            **clue_parts(clue, parts),
            "parts": parts,
            "reason": clue.joint_screening["reason"],
            "disclosure_position": position,
        })

    # -- queries without content --------------------------------------------------------------
    @query
    def get_clue_facts(self, q: GetClueFacts) -> ClueFacts:
        """One clue's facts (status, disposition, deadlines): no content, so no disclosure."""
        return ClueFacts.model_validate(clue_facts(self._clue(q.clue_id)))

    @query
    def list_disclosures(self, q: ListDisclosures) -> list[DisclosureEntry]:
        """Every recorded read of a clue's content, replayed from its disclosure stream.

        The group leader lists them as a member of the compartment; the auditor oversees every clue's.
        """
        principal = current().principal
        auditor = principal is not None and principal.has_any(AUDIT_ROLES)
        self._clue(q.clue_id, Clue.oversight_scope if auditor else None)
        return [
            DisclosureEntry(reader=e.reader, parts=list(e.parts), reason=e.reason, channel=e.channel,
                            read_at=e.timestamp, actor=dict(e.actor))
            for e in self.events.get(disclosure_id(q.clue_id))
            if isinstance(e, Disclosure.ContentRead)
        ]

    # -- recommendations ----------------------------------------------------------------------
    @command
    def draft_recommendation(self, c: DraftRecommendation) -> RecommendationRecorded:
        """Draft a supervision recommendation; the clues it came from record the link on their side."""
        recommendation = Recommendation.draft(
            group_id=c.group_id, unit_id=c.unit_id, reference_number=c.reference_number, title=c.title,
            problems=list(c.problems), recommendations=list(c.recommendations),
            responsible_department=c.responsible_department, deadline=c.deadline,
        )
        clues = []
        for clue_id in c.source_clue_ids:
            clue = self._clue(clue_id)
            clue.link_recommendation(str(recommendation.id), c.group_id, c.unit_id)
            clues.append(clue)
        position = self.record(recommendation, *clues)
        return RecommendationRecorded(recommendation_id=str(recommendation.id), position=position)

    def _recommendation(self, recommendation_id: str) -> Recommendation:
        recommendation: Recommendation = self.load(recommendation_id, Recommendation)
        return recommendation

    def _saved(self, recommendation: Recommendation) -> RecommendationRecorded:
        return RecommendationRecorded(recommendation_id=str(recommendation.id), position=self.record(recommendation))

    @command
    def issue_recommendation(self, c: IssueRecommendation) -> RecommendationRecorded:
        """Issue to the unit (the units service delivers it)."""
        recommendation = self._recommendation(c.recommendation_id)
        recommendation.issue(c.issued_on or self.today())
        return self._saved(recommendation)

    @command
    def record_recommendation_response(self, c: RecordRecommendationResponse) -> RecommendationRecorded:
        recommendation = self._recommendation(c.recommendation_id)
        recommendation.record_response(c.report_id, c.summary, c.completed, c.received_on)
        return self._saved(recommendation)

    @command
    def close_recommendation(self, c: CloseRecommendation) -> RecommendationRecorded:
        """Close (销号) once the unit reported the rectification completed, with evidence."""
        recommendation = self._recommendation(c.recommendation_id)
        recommendation.close(c.closed_on or self.today(), c.evidence)
        return self._saved(recommendation)

    @query
    def get_recommendation(self, q: GetRecommendation) -> RecommendationView:
        return RecommendationView.model_validate(recommendation_view(self._recommendation(q.recommendation_id)))
