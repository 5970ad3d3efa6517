"""Clues application: intake, assessment, disposition, execution, outcome, recommendations; reads recorded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from services.clues.compartment import CONTENT_PARTS, Disclosure, check_parts, disclosure_id
from services.clues.deadlines import TimeLimits, china_date
from services.clues.domainmodel import Clue, NotInCompartmentError, compartment_of
from services.clues.integration import mapper
from services.clues.policies import CluesPolicies
from services.clues.recommendation import Recommendation
from services.clues.views import clue_facts, clue_parts, plain, recommendation_view
from services.common.application import ServiceApplication, command, query
from services.common.clock import Clock
from services.common.context import current
from services.common.errors import ConflictError, InvalidInputError, NotFoundError

READ_ATTEMPTS = 5


class UnencryptedStoreError(RuntimeError):
    """Clue content must be encrypted at rest: a persistent store without a cipher is refused."""


class CluesApplication(ServiceApplication, CluesPolicies):
    name = "clues"
    scheduler_command = "record_overdue"
    integration = mapper
    consumes = ("inspections", "units")

    def __init__(self, env: dict[str, str] | None = None, clock: Clock | None = None) -> None:
        super().__init__(env=env, clock=clock)
        persistence = self.env.get("PERSISTENCE_MODULE") or "eventsourcing.popo"
        if persistence != "eventsourcing.popo" and not self.env.get("CIPHER_TOPIC"):
            raise UnencryptedStoreError(
                "线索库必须加密存储 (the clues store must be encrypted at rest): set CIPHER_TOPIC="
                "eventsourcing.cryptography:AESCipher and CIPHER_KEY (AESCipher.create_key(num_bytes=32))"
            )
        self.time_limits = TimeLimits.from_env(self.env)

    # -- helpers ------------------------------------------------------------------------------
    def _today(self) -> date:
        return china_date(self.clock.now())

    def _actor(self) -> str:
        return current().actor.get("user", "")

    def _clue(self, clue_id: str) -> Clue:
        try:
            clue: Clue = self.load(clue_id, Clue)
        except NotFoundError:
            # The same answer as for a clue outside one's compartment: existence is not revealed.
            raise NotInCompartmentError("记录不存在 (not found)") from None
        return clue

    def _ids(self, created: type[Any]) -> Iterator[UUID]:
        topic = get_topic(created)
        start = 1
        while True:
            notifications = self.recorder.select_notifications(start=start, limit=500, topics=[topic])
            for notification in notifications:
                yield UUID(str(notification.originator_id))
            if len(notifications) < 500:
                return
            start = notifications[-1].id + 1

    def _clues(self) -> Iterator[Clue]:
        for clue_id in self._ids(Clue.Registered):
            yield self.load(clue_id, Clue)

    def _done(self, clue: Clue) -> dict[str, Any]:
        return {"clue_id": str(clue.id), "position": self.record(clue)}

    # -- intake -------------------------------------------------------------------------------
    @command
    def register_clue(
        self,
        group_id: str,
        unit_id: str,
        source: str,
        subject_name: str,
        subject_unit: str,
        subject_post: str,
        key_person: bool,
        categories: list[str],
        summary: str,
        leader: str,
        assigned: list[str] | None = None,
        received_on: date | None = None,
        documents: list[dict[str, str]] | None = None,
    ) -> dict[str, Any]:
        """Register a clue; its compartment is the group leader, the staff assigned and who registered it."""
        subject, categories, summary = Clue.check_intake(
            source,
            {"name": subject_name, "unit": subject_unit, "post": subject_post, "key_person": key_person},
            categories,
            summary,
        )
        if source == "inspection_referral":
            raise InvalidInputError(
                "巡视移交线索经移交渠道接收 (inspection referrals arrive through the referral channel)",
                code="referral_channel",
            )
        received = received_on or self._today()
        clue = Clue(
            intake_key="",
            group_id=group_id,
            unit_id=unit_id,
            source=source,
            referral=None,
            subject=subject,
            categories=categories,
            summary=summary,
            received_on=received,
            documents=[],
            members=compartment_of(leader, list(assigned or []), self._actor() or None),
            status="registered",
            disposition_due_on=self.time_limits.of("disposition").due(received),
        )
        for document in documents or []:
            clue.add_document(document.get("title", ""), document.get("reference", ""), document.get("sha256", ""))
        return self._done(clue)

    @command
    def accept_referral(self, clue_id: str, leader: str, assigned: list[str]) -> dict[str, Any]:
        """The group leader takes a referred clue in and assigns staff."""
        clue = self._clue(clue_id)
        clue.accept(leader, assigned)
        return self._done(clue)

    @command
    def add_member(self, clue_id: str, user: str, reason: str) -> dict[str, Any]:
        """Add someone to the compartment, with the reason recorded."""
        clue = self._clue(clue_id)
        clue.add_member(user, reason)
        return self._done(clue)

    @command
    def remove_member(self, clue_id: str, user: str, reason: str) -> dict[str, Any]:
        clue = self._clue(clue_id)
        clue.remove_member(user, reason)
        return self._done(clue)

    @command
    def add_document(self, clue_id: str, title: str, reference: str, sha256: str) -> dict[str, Any]:
        """Attach a source document by reference and SHA-256 hash (the file itself stays in the archive)."""
        clue = self._clue(clue_id)
        clue.add_document(title, reference, sha256)
        return self._done(clue)

    # -- assessment and disposition -----------------------------------------------------------
    @command
    def note_assessment(self, clue_id: str, political_analysis: str, analysis: str = "") -> dict[str, Any]:
        """An assessment note (研判): the political analysis first."""
        clue = self._clue(clue_id)
        clue.note_assessment(political_analysis, analysis)
        return self._done(clue)

    @command
    def record_screening(
        self, clue_id: str, held_on: date, participants: list[dict[str, str]], conclusion: str
    ) -> dict[str, Any]:
        """Collective screening (集体排查): who took part and what each concluded."""
        clue = self._clue(clue_id)
        clue.record_screening(held_on, participants, conclusion)
        return self._done(clue)

    @command
    def propose_disposition(self, clue_id: str, disposition: str, reason: str) -> dict[str, Any]:
        clue = self._clue(clue_id)
        clue.propose(disposition, reason)
        return self._done(clue)

    @command
    def decide_disposition(
        self, clue_id: str, approved: bool, reason: str = "", disposition: str | None = None
    ) -> dict[str, Any]:
        """The group leader's decision; an approved disposition opens its statutory time limit."""
        clue = self._clue(clue_id)
        chosen = disposition or (clue.proposal or {}).get("disposition")
        kind = {"preliminary_verification": "verification", "hold": "hold_review"}.get(chosen or "")
        due_on = self.time_limits.of(kind).due(self._today()) if kind else None
        clue.decide(approved, reason, due_on, disposition)
        return self._done(clue)

    # -- execution and outcome ----------------------------------------------------------------
    @command
    def record_inquiry(self, clue_id: str, form: str, held_on: date, summary: str) -> dict[str, Any]:
        """A talk held or a letter of inquiry sent; a letter must be answered within the time limit."""
        clue = self._clue(clue_id)
        clue.record_inquiry(form, held_on, summary, self.time_limits.of("inquiry_reply").due(held_on))
        return self._done(clue)

    @command
    def record_inquiry_reply(self, clue_id: str, received_on: date, summary: str) -> dict[str, Any]:
        clue = self._clue(clue_id)
        clue.record_reply(received_on, summary)
        return self._done(clue)

    @command
    def record_verification(
        self, clue_id: str, reported_on: date, summary: str, substantiated: bool
    ) -> dict[str, Any]:
        """The preliminary verification report (初核报告)."""
        clue = self._clue(clue_id)
        clue.record_verification(reported_on, summary, substantiated)
        return self._done(clue)

    @command
    def conclude_clue(self, clue_id: str, result: str, reason: str, four_forms: int | None = None) -> dict[str, Any]:
        """Case filing (立案审查调查) or closure, with the outcome in the four forms and the reasons."""
        clue = self._clue(clue_id)
        clue.conclude(result, four_forms, reason)
        return self._done(clue)

    @command
    def reopen_clue(self, clue_id: str, reason: str) -> dict[str, Any]:
        clue = self._clue(clue_id)
        clue.reopen(reason, self.time_limits.of("disposition").due(self._today()))
        return self._done(clue)

    # -- joint screening ----------------------------------------------------------------------
    @command
    def share_for_joint_screening(
        self, clue_id: str, unit_users: list[str], parts: list[str], reason: str
    ) -> dict[str, Any]:
        """Share parts of a clue with the unit's discipline committee (never about the unit's leadership)."""
        clue = self._clue(clue_id)
        clue.share_for_joint_screening(unit_users, parts, reason)
        return self._done(clue)

    @command
    def conclude_joint_screening(self, clue_id: str, conclusion: str) -> dict[str, Any]:
        clue = self._clue(clue_id)
        clue.conclude_joint_screening(conclusion)
        return self._done(clue)

    # -- deadlines ----------------------------------------------------------------------------
    @command
    def record_overdue(self, now: datetime | None = None) -> dict[str, Any]:
        """Scheduler: record an `Overdue` event for every statutory deadline passed, once each."""
        today = china_date(now or self.clock.now())
        clues: list[dict[str, Any]] = []
        recommendations: list[str] = []
        position = 0
        for clue in self._clues():
            kinds = clue.mark_overdue(today)
            if kinds:
                try:
                    position = max(position, self.record(clue))
                except ConflictError:
                    continue  # changed meanwhile; the next run sees it again
                clues.append({"clue_id": str(clue.id), "deadlines": kinds})
        for recommendation_id in self._ids(Recommendation.Drafted):
            recommendation: Recommendation = self.load(recommendation_id, Recommendation)
            if recommendation.mark_overdue(today):
                try:
                    position = max(position, self.record(recommendation))
                except ConflictError:
                    continue
                recommendations.append(str(recommendation.id))
        return {"clues": clues, "recommendations": recommendations, "position": position}

    # -- reads of content: each one recorded in the clue's disclosure stream ------------------
    def _record_read(self, clue: Clue, reader: str, parts: list[str], reason: str, channel: str) -> int:
        Disclosure.check_read(reader, reason)
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
    def read_clue(
        self, clue_id: str, reader: str, reason: str, parts: list[str] | None = None
    ) -> dict[str, Any]:
        """A compartment member reads a clue's content; the read (who, when, parts, why) is recorded first."""
        clue = self._clue(clue_id)
        clue.check_member(reader)
        chosen = check_parts(parts or list(CONTENT_PARTS))
        position = self._record_read(clue, reader, chosen, reason, "workbench")
        return {**clue_facts(clue), **clue_parts(clue, chosen), "parts": chosen, "disclosure_position": position}

    @command
    def read_joint_screening(self, clue_id: str, reader: str, reason: str) -> dict[str, Any]:
        """A unit discipline-committee user invited to joint screening reads the shared parts only."""
        clue = self._clue(clue_id)
        joint = clue.joint_screening
        if joint is None or not clue.joint_reader(reader):
            raise NotInCompartmentError("记录不存在 (not found)")
        parts = list(joint["parts"])
        position = self._record_read(clue, reader, parts, reason, "joint_screening")
        return {
            "clue_id": str(clue.id),
            "unit_id": clue.unit_id,
            **clue_parts(clue, parts),
            "parts": parts,
            "reason": joint["reason"],
            "disclosure_position": position,
        }

    # -- queries without content --------------------------------------------------------------
    @query
    def clue_access(self, clue_id: str) -> dict[str, Any]:
        """The facts the authoriser needs (group, unit, compartment); never returned to anyone as such."""
        clue = self._clue(clue_id)
        joint = clue.joint_screening or {}
        return {
            "clue_id": str(clue.id),
            "group_id": clue.group_id,
            "unit_id": clue.unit_id,
            "status": clue.status,
            "members": sorted(clue.members),
            "leader": clue.leader,
            "joint_readers": sorted(joint.get("unit_users", [])) if joint.get("open") else [],
        }

    @query
    def get_clue_facts(self, clue_id: str) -> dict[str, Any]:
        """One clue's facts (status, disposition, deadlines): no content, so no disclosure."""
        return clue_facts(self._clue(clue_id))

    @query
    def list_clues(self, group_id: str, reader: str) -> list[dict[str, Any]]:
        """The clues of a group whose compartment includes the reader: facts only, no content."""
        return [clue_facts(c) for c in self._clues() if c.group_id == group_id and reader in c.members]

    @query
    def intake_queue(self, group_id: str) -> list[dict[str, Any]]:
        """Referred clues awaiting the group leader (no content: source and dates only)."""
        return [
            plain({
                "clue_id": str(c.id),
                "source": c.source,
                "received_on": c.received_on,
                "referral_id": (c.referral or {}).get("referral_id"),
                "round_id": (c.referral or {}).get("round_id"),
                "open_deadline": c.open_deadline(),
            })
            for c in self._clues()
            if c.group_id == group_id and c.status == "referred"
        ]

    @query
    def list_disclosures(self, clue_id: str) -> list[dict[str, Any]]:
        """Every recorded read of a clue's content, replayed from its disclosure stream."""
        self._clue(clue_id)
        return [
            {
                "reader": e.reader,
                "parts": list(e.parts),
                "reason": e.reason,
                "channel": e.channel,
                "read_at": e.timestamp.isoformat(),
                "actor": dict(e.actor),
            }
            for e in self.events.get(disclosure_id(clue_id))
            if isinstance(e, Disclosure.ContentRead)
        ]

    @query
    def statistics(self, group_id: str | None = None) -> dict[str, Any]:
        """Counts by status, category, disposition and four forms (what HQ may know)."""
        counts: dict[str, dict[str, int]] = {"status": {}, "category": {}, "disposition": {}, "four_forms": {}}

        def bump(table: str, key: Any) -> None:
            if key is not None:
                counts[table][str(key)] = counts[table].get(str(key), 0) + 1

        total = 0
        for clue in self._clues():
            if group_id is not None and clue.group_id != group_id:
                continue
            total += 1
            bump("status", clue.status)
            bump("disposition", clue.disposition)
            bump("four_forms", (clue.outcome or {}).get("four_forms"))
            for category in clue.categories:
                bump("category", category)
        return {"group_id": group_id, "total": total, **counts}

    # -- recommendations ----------------------------------------------------------------------
    @command
    def draft_recommendation(
        self,
        group_id: str,
        unit_id: str,
        reference_number: str,
        title: str,
        problems: list[str],
        recommendations: list[str],
        responsible_department: str,
        deadline: date,
        source_clue_ids: list[str] | None = None,
    ) -> dict[str, Any]:
        """Draft a supervision recommendation; the clues it came from record the link on their side."""
        fields = Recommendation.check_draft(reference_number, title, problems, recommendations, responsible_department)
        recommendation = Recommendation(group_id=group_id, unit_id=unit_id, deadline=deadline, **fields)
        clues = []
        for clue_id in source_clue_ids or []:
            clue = self._clue(clue_id)
            if clue.group_id != group_id or clue.unit_id != unit_id:
                raise InvalidInputError("线索不属于该单位 (clue of another unit)", code="clue_mismatch")
            clue.link_recommendation(str(recommendation.id))
            clues.append(clue)
        position = self.record(recommendation, *clues)
        return {"recommendation_id": str(recommendation.id), "position": position}

    @command
    def issue_recommendation(self, recommendation_id: str, issued_on: date | None = None) -> dict[str, Any]:
        """Issue to the unit (the units service delivers it)."""
        recommendation: Recommendation = self.load(recommendation_id, Recommendation)
        recommendation.issue(issued_on or self._today())
        return {"recommendation_id": recommendation_id, "position": self.record(recommendation)}

    @command
    def record_recommendation_response(
        self, recommendation_id: str, report_id: str, summary: str, completed: bool, received_on: date
    ) -> dict[str, Any]:
        recommendation: Recommendation = self.load(recommendation_id, Recommendation)
        recommendation.record_response(report_id, summary, completed, received_on)
        return {"recommendation_id": recommendation_id, "position": self.record(recommendation)}

    @command
    def close_recommendation(
        self, recommendation_id: str, evidence: str, closed_on: date | None = None
    ) -> dict[str, Any]:
        """Close (销号) once the unit reported the rectification completed, with evidence."""
        recommendation: Recommendation = self.load(recommendation_id, Recommendation)
        recommendation.close(closed_on or self._today(), evidence)
        return {"recommendation_id": recommendation_id, "position": self.record(recommendation)}

    @query
    def get_recommendation(self, recommendation_id: str) -> dict[str, Any]:
        recommendation: Recommendation = self.load(recommendation_id, Recommendation)
        return recommendation_view(recommendation)

    @query
    def list_recommendations(self, group_id: str | None = None, unit_id: str | None = None) -> list[dict[str, Any]]:
        views = []
        for recommendation_id in self._ids(Recommendation.Drafted):
            recommendation: Recommendation = self.load(recommendation_id, Recommendation)
            if group_id is not None and recommendation.group_id != group_id:
                continue
            if unit_id is not None and recommendation.unit_id != unit_id:
                continue
            views.append(recommendation_view(recommendation))
        return views
