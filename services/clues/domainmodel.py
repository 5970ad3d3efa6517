"""Clues domain: a problem clue (问题线索) from intake to outcome, kept in its compartment.

The Clue guards itself: each public command method checks the clue's rules and only then triggers its
private `@event` method (whose event name is what the store keeps: never rename one).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.domain import event

from authz import GROUP_ROLES, Scope
from events.vocab import CLUE_CATEGORIES
from services.clues.compartment import CONTENT_PARTS, Compartmented, check_parts
from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError

SOURCE_LABELS = {
    "petition": "信访举报 (petition or report)",
    "inspection_referral": "巡视移交 (inspection referral)",
    "audit_referral": "审计移交 (audit referral)",
    "supervision_finding": "监督发现 (supervision finding)",
    "assignment": "上级交办 (assigned by a higher level)",
}
CATEGORY_LABELS = CLUE_CATEGORIES
DISPOSITION_LABELS = {
    "inquiry": "谈话函询 (talk or letter of inquiry)",
    "preliminary_verification": "初步核实 (preliminary verification)",
    "hold": "暂存待查 (hold for later)",
    "close": "予以了结 (close)",
}
STATUS_LABELS = {
    "referred": "待受理 (referred, awaiting the group leader)",
    "registered": "待研判 (registered, to be assessed)",
    "proposed": "待决定 (disposition proposed)",
    "inquiry": "谈话函询中 (inquiry under way)",
    "verifying": "初步核实中 (verification under way)",
    "held": "暂存待查 (held)",
    "responded": "已说明 (talk held or letter answered)",
    "verified": "已核实 (verification report in)",
    "case_filed": "已立案审查调查 (case filed)",
    "closed": "已了结 (closed)",
}
INQUIRY_FORM_LABELS = {"talk": "谈话 (talk)", "letter": "函询 (letter of inquiry)"}
RESULT_LABELS = {"case_filed": "立案审查调查 (case filed)", "closed": "予以了结 (closed)"}
JOINT_PART_LABELS = {
    "subject": "被反映人 (the subject)",
    "allegations": "反映问题 (the allegations)",
    "documents": "材料 (the documents)",
}
"""what may be shared with the unit's discipline committee; the group's notes never"""
DEADLINE_LABELS = {
    "disposition": "提出处置意见 (propose a disposition)",
    "inquiry_reply": "函询回复 (answer to the letter of inquiry)",
    "verification": "初步核实 (preliminary verification)",
    "hold_review": "暂存线索复查 (review of a held clue)",
}

SOURCES = tuple(SOURCE_LABELS)
CATEGORIES = tuple(CATEGORY_LABELS)
DISPOSITIONS = tuple(DISPOSITION_LABELS)
STATUSES = tuple(STATUS_LABELS)
INQUIRY_FORMS = tuple(INQUIRY_FORM_LABELS)
RESULTS = tuple(RESULT_LABELS)
JOINT_PARTS = tuple(JOINT_PART_LABELS)
DISPOSITION_STATUS = {"inquiry": "inquiry", "preliminary_verification": "verifying", "hold": "held", "close": "closed"}
DISPOSITION_DEADLINE = {"inquiry": None, "preliminary_verification": "verification", "hold": "hold_review"}
REFERRAL_NAMESPACE = uuid5(NAMESPACE_URL, "https://paizhu.example/clues/referral")
DISCIPLINE_COMMITTEE_ROLES = frozenset({"unit_liaison"})
"""Who in a unit screens clues jointly with the group: its discipline committee's liaison."""


ClueStateError = ConflictError.kind("ClueStateError", "clue_state")
AssessmentMissingError = ConflictError.kind("AssessmentMissingError", "assessment_missing")
JointScreeningRefusedError = ForbiddenError.kind("JointScreeningRefusedError", "joint_screening_of_unit_leadership")


class NotInCompartmentError(NotFoundError):
    """Someone outside the compartment: for them the clue does not exist."""

    code = "not_found"


class Person(Protocol):
    """Someone a command names, as the account directory knows them."""

    @property
    def user_id(self) -> str: ...
    @property
    def org_id(self) -> str | None: ...
    @property
    def org_kind(self) -> str | None: ...
    @property
    def roles(self) -> Iterable[str]: ...


def _required(value: str, what: str, code: str) -> str:
    if not value or not value.strip():
        raise InvalidInputError(f"{what}不能为空 ({code.replace('_', ' ')})", code=code)
    return value.strip()


def compartment_of(leader: str, assigned: list[str], registrar: str | None = None) -> dict[str, dict[str, Any]]:
    """The initial compartment: the group leader, the staff assigned (and who registered the clue)."""
    leader = _required(leader, "组长", "leader_required")
    members: dict[str, dict[str, Any]] = {leader: {"role": "leader", "reason": "组长 (group leader)"}}
    for user in [*assigned, *([registrar] if registrar else [])]:
        if user and user.strip():
            members.setdefault(user.strip(), {"role": "staff", "reason": "承办人 (assigned staff)"})
    return members


def may_know_clues_of(group_id: str, person: Person | None) -> bool:
    """Who may be put in a clue's compartment: members of the clue's group, HQ staff and auditors.

    Never a unit user, never another group or an inspection team (they get parts through their own
    channels: joint screening, referrals).
    """
    if person is None or person.org_kind is None:
        return False
    if person.org_kind == "group":
        return person.org_id == group_id and bool(set(person.roles) & GROUP_ROLES)
    return person.org_kind in ("hq", "audit")


def check_compartment_users(group_id: str, users: list[str], directory: Iterable[Person] | None) -> None:
    """Refuse anyone who may not know a clue of this group (unchecked without a directory: trusted callers)."""
    if directory is None:
        return
    known = {person.user_id: person for person in directory}
    refused = [u for u in users if not may_know_clues_of(group_id, known.get(u))]
    if refused:
        raise InvalidInputError(
            f"只能由本组人员或委机关人员知悉线索 (only the group's members, HQ or auditors may know a clue): "
            f"{', '.join(refused)}",
            code="not_allowed_in_compartment",
        )


def check_intake(
    source: str, subject: dict[str, Any], categories: list[str], summary: str
) -> tuple[dict[str, Any], list[str], str]:
    """A clue's intake facts, cleaned; refused with a specific code when incomplete."""
    if source not in SOURCES:
        raise InvalidInputError(f"未知线索来源 (unknown source): {source}", code="unknown_source")
    name = _required(str(subject.get("name", "")), "被反映人姓名", "subject_name_required")
    unknown = [c for c in categories if c not in CATEGORIES]
    if not categories or unknown:
        raise InvalidInputError(
            f"问题类别无效 (invalid categories): {unknown or categories}", code="invalid_categories"
        )
    clean = {
        "name": name,
        "unit": str(subject.get("unit", "")).strip(),
        "post": str(subject.get("post", "")).strip(),
        "key_person": bool(subject.get("key_person", False)),
    }
    return clean, list(dict.fromkeys(categories)), _required(summary, "主要问题摘要", "summary_required")


class Clue(Compartmented, ChainedAggregate):
    """A clue about a named official. Its content is readable only by the members of its compartment."""

    @staticmethod
    def create_id(intake_key: str) -> UUID:
        """A referral's clue has an id derived from the referral (a redelivery cannot make a second clue)."""
        return uuid5(REFERRAL_NAMESPACE, intake_key) if intake_key else uuid4()

    # -- intake -------------------------------------------------------------------------------
    @classmethod
    def register(
        cls,
        *,
        group_id: str,
        unit_id: str,
        source: str,
        subject: dict[str, Any],
        categories: list[str],
        summary: str,
        received_on: date,
        leader: str,
        assigned: list[str],
        registrar: str | None,
        disposition_due_on: date,
        directory: Iterable[Person] | None = None,
        disposition_rule: dict[str, Any] | None = None,
    ) -> Clue:
        """A clue registered by the group; its compartment is the leader, the staff assigned and the registrar."""
        subject, categories, summary = check_intake(source, subject, categories, summary)
        if source == "inspection_referral":
            raise InvalidInputError(
                "巡视移交线索经移交渠道接收 (inspection referrals arrive through the referral channel)",
                code="referral_channel",
            )
        members = compartment_of(leader, assigned, registrar)
        check_compartment_users(group_id, list(assigned), directory)
        return cls(
            intake_key="", group_id=group_id, unit_id=unit_id, source=source, referral=None, subject=subject,
            categories=categories, summary=summary, received_on=received_on, documents=[], members=members,
            status="registered", disposition_due_on=disposition_due_on, disposition_rule=disposition_rule,
        )

    @classmethod
    def refer(
        cls,
        *,
        referral: dict[str, Any],
        group_id: str,
        unit_id: str,
        subject: dict[str, Any],
        categories: list[str],
        summary: str,
        received_on: date,
        disposition_due_on: date,
        disposition_rule: dict[str, Any] | None = None,
        intake_key: str | None = None,
    ) -> Clue:
        """A clue referred by an inspection: no compartment until the group leader takes it in.

        Its id derives from `intake_key` (default: the referral id), so the same intake never makes two clues.
        """
        subject, categories, summary = check_intake("inspection_referral", subject, categories, summary)
        return cls(
            intake_key=intake_key or f"referral/{referral['referral_id']}", group_id=group_id, unit_id=unit_id,
            source="inspection_referral", referral=referral, subject=subject, categories=categories,
            summary=summary, received_on=received_on, documents=[], members={}, status="referred",
            disposition_due_on=disposition_due_on, disposition_rule=disposition_rule,
        )

    @event("Registered")
    def __init__(
        self,
        intake_key: str,
        group_id: str,
        unit_id: str,
        source: str,
        referral: dict[str, Any] | None,
        subject: dict[str, Any],
        categories: list[str],
        summary: str,
        received_on: date,
        documents: list[dict[str, str]],
        members: dict[str, dict[str, Any]],
        status: str,
        disposition_due_on: date | None,
        disposition_rule: dict[str, Any] | None = None,
    ) -> None:
        self.group_id = group_id
        self.unit_id = unit_id
        self.source = source
        self.referral = referral
        self.subject = dict(subject)
        self.categories = list(categories)
        self.summary = summary
        self.received_on = received_on
        self.documents = [dict(d) for d in documents]
        self.members = {user: dict(m) for user, m in members.items()}
        self.status = status
        self.disposition: str | None = None
        self.proposal: dict[str, Any] | None = None
        self.notes: list[dict[str, Any]] = []
        self.screenings: list[dict[str, Any]] = []
        self.inquiry: dict[str, Any] | None = None
        self.verification: dict[str, Any] | None = None
        self.outcome: dict[str, Any] | None = None
        self.decisions: list[dict[str, Any]] = []
        self.reopenings: list[dict[str, Any]] = []
        self.joint_screening: dict[str, Any] | None = None
        self.recommendation_ids: list[str] = []
        self.deadlines: dict[str, dict[str, Any]] = {}
        if disposition_due_on is not None:
            self._open_deadline("disposition", disposition_due_on, disposition_rule)

    # -- who may know the clue ----------------------------------------------------------------
    def access_scope(self) -> Scope:
        """Its compartment: whoever is outside it may not know the clue exists (a referred clue has none yet)."""
        return Scope(group_id=self.group_id, unit_id=self.unit_id, compartment=frozenset(self.members),
                     distribution=self.distribution_of(""))

    def intake_scope(self) -> Scope:
        """A referred clue as its group's intake sees it: the group leader takes it in."""
        return Scope(group_id=self.group_id, unit_id=self.unit_id)

    def oversight_scope(self) -> Scope:
        """What the auditor, who oversees every read, needs: the clue's group and unit, not its compartment."""
        return Scope(group_id=self.group_id, unit_id=self.unit_id, distribution="hq")

    def joint_screening_scope(self) -> Scope:
        """The unit's invited discipline-committee users, while the joint screening is open."""
        readers = self.joint_screening["unit_users"] if self.joint_screening and self.joint_screening["open"] else []
        return Scope(unit_id=self.unit_id, compartment=frozenset(readers))

    # -- state helpers ------------------------------------------------------------------------
    @property
    def key_person(self) -> bool:
        return bool(self.subject.get("key_person"))

    @property
    def leader(self) -> str | None:
        return next((u for u, m in self.members.items() if m.get("role") == "leader"), None)

    def open_deadline(self) -> dict[str, Any] | None:
        for kind, deadline in self.deadlines.items():
            if not deadline["done"]:
                return {"kind": kind, **deadline}
        return None

    def _open_deadline(self, kind: str, due_on: date, rule: dict[str, Any] | None = None) -> None:
        """`rule`: how the date was counted, with the calendar (None in events recorded before rules were)."""
        self.deadlines[kind] = {"due_on": due_on, "done": False, "overdue": False, "rule": rule}

    def _close_deadline(self, kind: str) -> None:
        if kind in self.deadlines:
            self.deadlines[kind]["done"] = True

    def _close_all_deadlines(self) -> None:
        for kind in self.deadlines:
            self._close_deadline(kind)

    def _require_status(self, *allowed: str) -> None:
        if self.status not in allowed:
            raise ClueStateError(
                f"线索当前状态为 {self.status}，不能执行此操作 (not allowed in status {self.status}; "
                f"needs {' or '.join(allowed)})"
            )

    def passed_deadlines(self, today: date) -> list[tuple[str, date]]:
        return [
            (kind, d["due_on"])
            for kind, d in self.deadlines.items()
            if not d["done"] and not d["overdue"] and d["due_on"] < today
        ]

    # -- reading: the parts a reader may see (the application records each read) ----------------
    def parts_for(self, reader: str, parts: list[str] | None) -> list[str]:
        """The content parts a compartment member asked for; outside the compartment the clue does not exist."""
        if reader not in self.members:
            raise NotInCompartmentError("记录不存在 (not found)")
        return check_parts(parts or list(CONTENT_PARTS))

    def shared_parts_for(self, reader: str) -> list[str]:
        """The parts shared with an invited discipline-committee user while joint screening is open."""
        if not self.joint_reader(reader):
            raise NotInCompartmentError("记录不存在 (not found)")
        assert self.joint_screening is not None
        return list(self.joint_screening["parts"])

    # -- intake of a referral -----------------------------------------------------------------
    def accept(self, leader: str, assigned: list[str], directory: Iterable[Person] | None = None) -> None:
        """The group leader takes a referred clue in: the compartment is the leader and the staff assigned."""
        check_compartment_users(self.group_id, list(assigned), directory)
        self._require_status("referred")
        members = compartment_of(leader, assigned)
        open_deadline = self.open_deadline()
        due_on: date | None = open_deadline["due_on"] if open_deadline else None
        self._accepted(members=members, status="registered", due_on=due_on)

    @event("Accepted")
    def _accepted(self, members: dict[str, dict[str, Any]], status: str, due_on: date | None) -> None:
        self.members.update({u: dict(m) for u, m in members.items()})
        self.status = status

    # -- compartment --------------------------------------------------------------------------
    def add_member(self, user: str, reason: str, directory: Iterable[Person] | None = None) -> None:
        check_compartment_users(self.group_id, [user], directory)
        reason = _required(reason, "加入知悉范围的理由", "reason_required")
        if not user.strip():
            raise InvalidInputError("人员不能为空 (user is required)", code="user_required")
        if user in self.members:
            raise ConflictError(f"{user} 已在知悉范围内 (already in the compartment)", code="already_member")
        self._member_added(user=user, role="added", reason=reason)

    @event("MemberAdded")
    def _member_added(self, user: str, role: str, reason: str) -> None:
        self.members[user] = {"role": role, "reason": reason}

    def remove_member(self, user: str, reason: str) -> None:
        reason = _required(reason, "移出知悉范围的理由", "reason_required")
        if user not in self.members:
            raise NotFoundError(f"{user} 不在知悉范围内 (not in the compartment)", code="not_member")
        if self.members[user].get("role") == "leader":
            raise ConflictError("不能移出组长 (the group leader cannot be removed)", code="leader_required")
        self._member_removed(user=user, reason=reason)

    @event("MemberRemoved")
    def _member_removed(self, user: str, reason: str) -> None:
        del self.members[user]

    # -- content ------------------------------------------------------------------------------
    def add_document(self, title: str, reference: str, sha256: str) -> None:
        title = _required(title, "材料名称", "title_required")
        digest = sha256.strip().lower()
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise InvalidInputError("材料哈希须为 SHA-256 (sha256 must be 64 hex digits)", code="invalid_hash")
        self._document_added(title=title, reference=reference.strip(), sha256=digest)

    @event("DocumentAdded")
    def _document_added(self, title: str, reference: str, sha256: str) -> None:
        self.documents.append({"title": title, "reference": reference, "sha256": sha256})

    def note_assessment(self, political_analysis: str, analysis: str) -> None:
        self._require_status("registered", "proposed", "held")
        political = _required(political_analysis, "政治分析", "political_analysis_required")
        self._assessment_noted(political_analysis=political, analysis=analysis.strip())

    @event("AssessmentNoted")
    def _assessment_noted(self, political_analysis: str, analysis: str) -> None:
        self.notes.append({"political_analysis": political_analysis, "analysis": analysis})

    def record_screening(self, held_on: date, participants: list[dict[str, str]], conclusion: str) -> None:
        self._require_status("registered", "proposed", "held")
        if not participants:
            raise InvalidInputError("集体排查须记录参加人员 (participants are required)", code="participants_required")
        clean = []
        for p in participants:
            user = _required(str(p.get("user", "")), "参加人员", "participant_required")
            clean.append({"user": user, "conclusion": _required(str(p.get("conclusion", "")), "个人意见", "opinion_required")})
        conclusion = _required(conclusion, "排查结论", "conclusion_required")
        self._screening_recorded(held_on=held_on, participants=clean, conclusion=conclusion)

    @event("ScreeningRecorded")
    def _screening_recorded(self, held_on: date, participants: list[dict[str, str]], conclusion: str) -> None:
        self.screenings.append({"held_on": held_on, "participants": participants, "conclusion": conclusion})

    # -- disposition --------------------------------------------------------------------------
    def propose(self, disposition: str, reason: str) -> None:
        self._require_status("registered")
        if disposition not in DISPOSITIONS:
            raise InvalidInputError(f"未知处置方式 (unknown disposition): {disposition}", code="unknown_disposition")
        if not self.notes:
            raise AssessmentMissingError("提出处置意见前须先研判 (assess the clue before proposing a disposition)")
        reason = _required(reason, "处置理由", "reason_required")
        self._proposed(disposition=disposition, reason=reason, status="proposed")

    @event("DispositionProposed")
    def _proposed(self, disposition: str, reason: str, status: str) -> None:
        self.proposal = {"disposition": disposition, "reason": reason}
        self.status = status

    def disposition_chosen(self, disposition: str | None) -> str | None:
        """The disposition a decision would approve: the one named, else the one proposed."""
        return disposition or (self.proposal or {}).get("disposition")

    def decide(
        self, approved: bool, reason: str, due_on: date | None, disposition: str | None = None,
        due_rule: dict[str, Any] | None = None,
    ) -> None:
        """The group leader decides on the proposal (approve, possibly another disposition; or send back)."""
        self._require_status("proposed")
        if self.proposal is None:
            raise ClueStateError("没有待决定的处置意见 (no proposal to decide)")
        chosen = disposition or self.proposal["disposition"]
        if chosen not in DISPOSITIONS:
            raise InvalidInputError(f"未知处置方式 (unknown disposition): {chosen}", code="unknown_disposition")
        if not approved or chosen != self.proposal["disposition"]:
            reason = _required(reason, "决定理由", "reason_required")
        status = DISPOSITION_STATUS[chosen] if approved else "registered"
        self._decided(
            approved=approved,
            disposition=chosen if approved else None,
            reason=reason.strip(),
            status=status,
            deadline=DISPOSITION_DEADLINE.get(chosen) if approved else None,
            due_on=due_on if approved else None,
            due_rule=due_rule if approved and due_on else None,
        )

    @event("DispositionDecided")
    def _decided(
        self, approved: bool, disposition: str | None, reason: str, status: str, deadline: str | None, due_on: date | None,
        due_rule: dict[str, Any] | None = None,
    ) -> None:
        self.decisions.append({"approved": approved, "disposition": disposition, "reason": reason})
        self.proposal = None
        self.status = status
        if approved:
            self.disposition = disposition
            self._close_deadline("disposition")
            if status == "closed":
                self._close_all_deadlines()
                self.outcome = {"result": "closed", "four_forms": None, "reason": reason}
            if deadline and due_on:
                self._open_deadline(deadline, due_on, due_rule)

    # -- execution ----------------------------------------------------------------------------
    def record_inquiry(
        self, form: str, held_on: date, summary: str, reply_due_on: date | None,
        reply_rule: dict[str, Any] | None = None,
    ) -> None:
        self._require_status("inquiry")
        if form not in INQUIRY_FORMS:
            raise InvalidInputError(f"未知函询方式 (unknown inquiry form): {form}", code="unknown_form")
        if self.inquiry is not None:
            raise ConflictError("已记录谈话或函询 (inquiry already recorded)", code="inquiry_recorded")
        summary = _required(summary, "谈话函询情况", "summary_required")
        letter = form == "letter"
        self._inquiry_recorded(
            form=form, held_on=held_on, summary=summary,
            status="inquiry" if letter else "responded", due_on=reply_due_on if letter else None,
            due_rule=reply_rule if letter else None,
        )

    @event("InquiryRecorded")
    def _inquiry_recorded(
        self, form: str, held_on: date, summary: str, status: str, due_on: date | None,
        due_rule: dict[str, Any] | None = None,
    ) -> None:
        self.inquiry = {"form": form, "held_on": held_on, "summary": summary, "reply": None}
        self.status = status
        if due_on is not None:
            self._open_deadline("inquiry_reply", due_on, due_rule)

    def record_reply(self, received_on: date, summary: str) -> None:
        self._require_status("inquiry")
        if self.inquiry is None or self.inquiry["form"] != "letter":
            raise ClueStateError("尚未发出函询 (no letter of inquiry sent)")
        summary = _required(summary, "回复说明", "summary_required")
        late = received_on > self.deadlines["inquiry_reply"]["due_on"]
        self._replied(received_on=received_on, summary=summary, late=late, status="responded")

    @event("InquiryReplied")
    def _replied(self, received_on: date, summary: str, late: bool, status: str) -> None:
        assert self.inquiry is not None
        self.inquiry["reply"] = {"received_on": received_on, "summary": summary, "late": late}
        self.status = status
        self._close_deadline("inquiry_reply")

    def record_verification(self, reported_on: date, summary: str, substantiated: bool) -> None:
        self._require_status("verifying")
        summary = _required(summary, "初核报告", "summary_required")
        self._verified(reported_on=reported_on, summary=summary, substantiated=substantiated, status="verified")

    @event("VerificationReported")
    def _verified(self, reported_on: date, summary: str, substantiated: bool, status: str) -> None:
        self.verification = {"reported_on": reported_on, "summary": summary, "substantiated": substantiated}
        self.status = status
        self._close_deadline("verification")

    # -- outcome ------------------------------------------------------------------------------
    def conclude(self, result: str, four_forms: int | None, reason: str) -> None:
        """File a case (立案审查调查) or close, with the outcome in the four forms."""
        self._require_status("responded", "verified", "held")
        if result not in RESULTS:
            raise InvalidInputError(f"未知结论 (unknown result): {result}", code="unknown_result")
        if four_forms is not None and four_forms not in (1, 2, 3, 4):
            raise InvalidInputError("四种形态须为 1-4 (four forms must be 1 to 4)", code="invalid_four_forms")
        if result == "case_filed":
            if self.status != "verified" or not (self.verification or {}).get("substantiated"):
                raise ClueStateError("立案须经初步核实且问题属实 (filing needs a substantiated verification)")
        if four_forms == 4 and result != "case_filed":
            raise InvalidInputError(
                "第四种形态须立案审查调查 (the fourth form requires case filing)", code="fourth_form_needs_case"
            )
        if self.status == "held" and result != "closed":
            raise ClueStateError("暂存线索只能了结或重新研判 (a held clue can only be closed or reopened)")
        reason = _required(reason, "结论理由", "reason_required")
        self._concluded(result=result, four_forms=four_forms, reason=reason, status=result)

    @event("Concluded")
    def _concluded(self, result: str, four_forms: int | None, reason: str, status: str) -> None:
        self.outcome = {"result": result, "four_forms": four_forms, "reason": reason}
        self.status = status
        self._close_all_deadlines()

    def reopen(self, reason: str, disposition_due_on: date, disposition_rule: dict[str, Any] | None = None) -> None:
        self._require_status("closed", "held")
        reason = _required(reason, "重新研判理由", "reason_required")
        self._reopened(reason=reason, status="registered", due_on=disposition_due_on, due_rule=disposition_rule)

    @event("Reopened")
    def _reopened(self, reason: str, status: str, due_on: date, due_rule: dict[str, Any] | None = None) -> None:
        self.reopenings.append({"reason": reason, "previous_outcome": self.outcome})
        self.status = status
        self.disposition = None
        self.outcome = None
        self.inquiry = None
        self.verification = None
        self._close_all_deadlines()
        self._open_deadline("disposition", due_on, due_rule)

    # -- deadlines ----------------------------------------------------------------------------
    def mark_overdue(self, today: date) -> list[str]:
        """Record each passed deadline once; return the kinds recorded."""
        kinds = []
        for kind, due_on in self.passed_deadlines(today):
            self._overdue(deadline=kind, due_on=due_on)
            kinds.append(kind)
        return kinds

    @event("DeadlineOverdue")
    def _overdue(self, deadline: str, due_on: date) -> None:
        self.deadlines[deadline]["overdue"] = True

    def running_deadlines(self) -> dict[str, dict[str, Any]]:
        """Deadlines neither met nor marked overdue."""
        return {kind: d for kind, d in self.deadlines.items() if not d["done"] and not d["overdue"]}

    def recompute_deadline(self, kind: str, rule: dict[str, Any], due_on: date) -> None:
        """A running deadline counted again with a newer calendar: a new event, the old one stays."""
        old = self.running_deadlines().get(kind)
        if old is None:
            raise ConflictError(f"期限已结束 (deadline no longer running): {kind}", code="not_running")
        self._recompute_deadline(deadline=kind, rule=rule, old_due_on=old["due_on"], new_due_on=due_on,
                                 calendar=str(rule.get("calendar", "")))

    @event("DeadlineRecomputed")
    def _recompute_deadline(
        self, deadline: str, rule: dict[str, Any], old_due_on: date, new_due_on: date, calendar: str
    ) -> None:
        self.deadlines[deadline]["due_on"] = new_due_on
        self.deadlines[deadline]["rule"] = rule

    # -- joint screening with the unit (线索联合排查) -----------------------------------------------
    def share_for_joint_screening(
        self, unit_users: list[str], parts: list[str], reason: str, directory: Iterable[Person] | None = None
    ) -> None:
        if self.key_person:
            raise JointScreeningRefusedError(
                "涉及驻在单位领导班子成员的线索不得与该单位联合排查 "
                "(a clue concerning the unit's own leadership is never screened jointly with the unit)"
            )
        self._require_status("registered", "proposed", "held")
        if self.joint_screening is not None and self.joint_screening["open"]:
            raise ConflictError("联合排查已在进行 (joint screening already open)", code="joint_screening_open")
        users = [u.strip() for u in unit_users if u.strip()]
        if not users:
            raise InvalidInputError("须指定单位纪委人员 (unit discipline-committee users required)", code="users_required")
        if directory is not None:
            known = {person.user_id: person for person in directory}
            if not all(self._discipline_committee(known.get(u)) for u in users):
                raise InvalidInputError(
                    "联合排查只与驻在单位机关纪委人员进行 (joint screening only with the unit's discipline committee)",
                    code="not_discipline_committee",
                )
        unknown = [p for p in parts if p not in JOINT_PARTS]
        if not parts or unknown:
            raise InvalidInputError(
                f"共享范围无效 (invalid shared parts): {unknown or parts}; 可选 (allowed): {', '.join(JOINT_PARTS)}",
                code="invalid_parts",
            )
        reason = _required(reason, "联合排查理由", "reason_required")
        self._shared(unit_users=users, parts=list(dict.fromkeys(parts)), reason=reason)

    def _discipline_committee(self, person: Person | None) -> bool:
        """Joint screening goes to the unit's own discipline-committee users only."""
        return (person is not None and person.org_id == self.unit_id
                and bool(set(person.roles) & DISCIPLINE_COMMITTEE_ROLES))

    @event("JointScreeningShared")
    def _shared(self, unit_users: list[str], parts: list[str], reason: str) -> None:
        self.joint_screening = {"unit_users": list(unit_users), "parts": list(parts), "reason": reason,
                                "open": True, "conclusion": None}

    def conclude_joint_screening(self, conclusion: str) -> None:
        if self.joint_screening is None or not self.joint_screening["open"]:
            raise ClueStateError("没有进行中的联合排查 (no joint screening open)")
        conclusion = _required(conclusion, "联合排查结论", "conclusion_required")
        self._joint_concluded(conclusion=conclusion)

    @event("JointScreeningConcluded")
    def _joint_concluded(self, conclusion: str) -> None:
        assert self.joint_screening is not None
        self.joint_screening["open"] = False
        self.joint_screening["conclusion"] = conclusion

    def joint_reader(self, user: str) -> bool:
        return bool(self.joint_screening and self.joint_screening["open"] and user in self.joint_screening["unit_users"])

    # -- recommendations ----------------------------------------------------------------------
    def link_recommendation(self, recommendation_id: str, group_id: str, unit_id: str) -> None:
        """Record that a recommendation came from this clue (of the same group and unit only)."""
        if group_id != self.group_id or unit_id != self.unit_id:
            raise InvalidInputError("线索不属于该单位 (clue of another unit)", code="clue_mismatch")
        if recommendation_id in self.recommendation_ids:
            return
        self._linked(recommendation_id=recommendation_id)

    @event("RecommendationLinked")
    def _linked(self, recommendation_id: str) -> None:
        self.recommendation_ids.append(recommendation_id)
