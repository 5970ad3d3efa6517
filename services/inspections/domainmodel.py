"""Inspections domain: an inspection round of a unit (before, during, after) that guards its own rules.

Each public command method checks the round's rules and then triggers a private `@event` method; only
the events change state (the same on replay). The event class names are the stored names: never rename.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from eventsourcing.domain import event

from authz import Scope
from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from services.inspections.guards import (
    check_content_hash,
    check_direction,
    check_not_past,
    check_problem_type,
    require_names,
    require_text,
)
from services.inspections.vocab import (
    FINDING_HANDED_OVER,
    FINDING_RECORDED,
    ROUND_CLOSED,
    ROUND_OPEN,
    ROUND_PLANNED,
)

RoundClosedError = ConflictError.kind("RoundClosedError", "round_closed")
RoundNotOpenError = ConflictError.kind("RoundNotOpenError", "round_not_open")
PhaseDatesError = InvalidInputError.kind("PhaseDatesError", "phase_dates_invalid")


class InspectionRound(ChainedAggregate):
    """One inspection round of one unit by one inspection team, through before / during / after.

    Its events are distributed to the round (`inspection:<round_id>`), the items addressed to the unit to `unit`.
    """

    event_distribution = {"FindingHandedOver": "unit", "RectificationProgressRecorded": "unit",
                          "RectificationItemOverdue": "unit"}

    def distribution_of(self, event_name: str) -> str:
        return self.event_distribution.get(event_name, f"inspection:{self.id}")

    def access_scope(self) -> Scope:
        """The team sees the round only while it is open and only its members; the group its own; HQ all."""
        return Scope(group_id=self.group_id, unit_id=self.unit_id, round_id=str(self.id),
                     round_members=frozenset(self.member_ids), round_open=self.is_open,
                     distribution=f"inspection:{self.id}")

    # -- recording --------------------------------------------------------------------------
    @classmethod
    def record(
        cls, group_id: str, unit_id: str, title: str, team_id: str, member_ids: list[str],
        phases: dict[str, tuple[date, date]],
    ) -> InspectionRound:
        """A new round in the planned state, after checking its team, members and three phases."""
        title = require_text(title, "巡视轮次名称", "title", "title_required")
        team_id = require_text(team_id, "巡视组", "team", "team_required")
        members = sorted(set(require_names(member_ids, "巡视组成员", "team members", "members_required")))
        previous_end: date | None = None
        for name in ("before", "during", "after"):
            start, end = phases[name]
            if end < start:
                raise PhaseDatesError(f"{name}阶段结束早于开始 (phase {name} ends before it starts)")
            if previous_end is not None and start < previous_end:
                raise PhaseDatesError(f"{name}阶段与前一阶段重叠 (phase {name} overlaps the previous one)")
            previous_end = end
        return cls(
            group_id=group_id, unit_id=unit_id, title=title, team_id=team_id, member_ids=members,
            before_start=phases["before"][0], before_end=phases["before"][1],
            during_start=phases["during"][0], during_end=phases["during"][1],
            after_start=phases["after"][0], after_end=phases["after"][1],
        )

    @event("Recorded")
    def __init__(
        self,
        group_id: str,
        unit_id: str,
        title: str,
        team_id: str,
        member_ids: list[str],
        before_start: date,
        before_end: date,
        during_start: date,
        during_end: date,
        after_start: date,
        after_end: date,
    ) -> None:
        self.group_id = group_id
        self.unit_id = unit_id
        self.title = title
        self.team_id = team_id
        self.member_ids = list(member_ids)
        self.phases = {
            "before": (before_start, before_end),
            "during": (during_start, during_end),
            "after": (after_start, after_end),
        }
        self.status = ROUND_PLANNED
        self.opened_at: datetime | None = None
        self.closed_at: datetime | None = None
        self.closing_summary: str | None = None
        self.packages: list[dict[str, Any]] = []
        self.handed_over_clues: dict[str, dict[str, Any]] = {}
        self.referrals: dict[str, dict[str, Any]] = {}
        self.requests: dict[str, dict[str, Any]] = {}
        self.findings: dict[str, dict[str, Any]] = {}
        self.look_backs: dict[str, dict[str, Any]] = {}

    @property
    def is_open(self) -> bool:
        return self.status == ROUND_OPEN

    def _check_not_closed(self) -> None:
        if self.status == ROUND_CLOSED:
            raise RoundClosedError("巡视轮次已结束 (the inspection round is closed)")

    def _check_is_open(self) -> None:
        self._check_not_closed()
        if self.status != ROUND_OPEN:
            raise RoundNotOpenError("巡视轮次尚未开启 (the inspection round is not open yet)")

    # -- lifecycle ------------------------------------------------------------------------
    def open(self, opened_at: datetime) -> None:
        """Open a planned round: from now on its team's members may see and work on it."""
        if self.status != ROUND_PLANNED:
            raise ConflictError(
                f"只有计划中的巡视轮次可以开启 (only a planned round can be opened; it is {self.status})",
                code="round_not_planned",
            )
        self._open(opened_at=opened_at)

    @event("Opened")
    def _open(self, opened_at: datetime) -> None:
        self.status = ROUND_OPEN
        self.opened_at = opened_at

    def close(self, closed_at: datetime, summary: str) -> None:
        """Close an open round with a summary: its team's members lose access."""
        if self.status != ROUND_OPEN:
            raise RoundNotOpenError(
                f"只有进行中的巡视轮次可以结束 (only an open round can be closed; it is {self.status})"
            )
        self._close(closed_at=closed_at, summary=require_text(summary, "结束说明", "closing summary",
                                                              "summary_required"))

    @event("Closed")
    def _close(self, closed_at: datetime, summary: str) -> None:
        self.status = ROUND_CLOSED
        self.closed_at = closed_at
        self.closing_summary = summary

    def change_members(self, member_ids: list[str]) -> None:
        """Replace the team's members who may access the round (not after it closed)."""
        self._check_not_closed()
        members = require_names(member_ids, "巡视组成员", "team members", "members_required")
        self._change_members(member_ids=sorted(set(members)))

    @event("MembersChanged")
    def _change_members(self, member_ids: list[str]) -> None:
        self.member_ids = list(member_ids)

    # -- before: briefing package and clues handed over --------------------------------------
    def freeze_package(
        self, package_id: str, positions: dict[str, int], content_hash: str, frozen_at: datetime
    ) -> None:
        """Record the briefing package built from these history positions, with this hash."""
        self._check_not_closed()
        check_content_hash(content_hash)
        if not positions or any((not isinstance(p, int)) or p < 0 for p in positions.values()):
            raise InvalidInputError(
                "须说明数据来源的历史位置 (positions per service are required)", code="positions_required"
            )
        self._freeze_package(package_id=package_id, positions={k: int(v) for k, v in sorted(positions.items())},
                             content_hash=content_hash, frozen_at=frozen_at)

    @event("BriefingPackageFrozen")
    def _freeze_package(
        self, package_id: str, positions: dict[str, int], content_hash: str, frozen_at: datetime
    ) -> None:
        self.packages.append(
            {"package_id": package_id, "positions": dict(positions), "content_hash": content_hash,
             "frozen_at": frozen_at}
        )

    def package(self, package_id: str) -> dict[str, Any]:
        found = next((p for p in self.packages if p["package_id"] == package_id), None)
        if found is None:
            raise NotFoundError(f"简报包不存在 (briefing package not found): {package_id}")
        return found

    def hand_over_clue(self, clue_id: str, reason: str, handed_over_at: datetime) -> None:
        """Hand one clue to the team with a reason (its content is not copied), once."""
        self._check_not_closed()
        clue_id = require_text(clue_id, "线索编号", "clue id", "clue_required")
        reason = require_text(reason, "移交理由", "reason", "reason_required")
        if clue_id in self.handed_over_clues:
            raise ConflictError("该线索已移交 (clue already handed over)", code="clue_already_handed_over")
        self._hand_over_clue(clue_id=clue_id, reason=reason, handed_over_at=handed_over_at)

    @event("ClueHandedOver")
    def _hand_over_clue(self, clue_id: str, reason: str, handed_over_at: datetime) -> None:
        self.handed_over_clues[clue_id] = {"reason": reason, "handed_over_at": handed_over_at}

    # -- during: referrals and requests for information ---------------------------------------
    def refer_clue(self, referral_id: str, sealed_content: str, referred_at: datetime) -> None:
        """Keep a referral sealed for the clues service (the token only: no digest that could confirm a guess).

        The same clue referred twice makes one clue: the clues service recognises it by a keyed fingerprint.
        """
        self._check_is_open()
        self._refer_clue(referral_id=referral_id, sealed_content=sealed_content, referred_at=referred_at)

    @event("ClueReferred")
    def _refer_clue(
        self, referral_id: str, sealed_content: str, referred_at: datetime, content_hash: str | None = None
    ) -> None:
        # `content_hash`: only in events recorded before issue #14 (an unkeyed SHA-256); no longer kept or read
        self.referrals[referral_id] = {"sealed_content": sealed_content, "referred_at": referred_at}

    def request_information(
        self, request_id: str, direction: str, question: str, deadline: date, requested_at: datetime, today: date
    ) -> None:
        """A request between team and group while the round is open, due no earlier than today."""
        self._check_is_open()
        check_direction(direction)
        question = require_text(question, "请求内容", "question", "question_required")
        check_not_past(deadline, today, "办理期限", "deadline")
        self._request_information(request_id=request_id, direction=direction, question=question,
                                  deadline=deadline, requested_at=requested_at)

    @event("InformationRequested")
    def _request_information(
        self, request_id: str, direction: str, question: str, deadline: date, requested_at: datetime
    ) -> None:
        self.requests[request_id] = {
            "direction": direction, "question": question, "deadline": deadline,
            "requested_at": requested_at, "answer": None, "answered_at": None, "overdue": False,
        }

    def request(self, request_id: str) -> dict[str, Any]:
        found = self.requests.get(request_id)
        if found is None:
            raise NotFoundError(f"信息请求不存在 (request not found): {request_id}")
        return found

    def answer_information(self, request_id: str, answer: str, answered_at: datetime, side: str | None) -> None:
        """Answer a request once, by the side it was addressed to (late answers are accepted)."""
        self._check_not_closed()
        request = self.request(request_id)
        if side is not None and request["direction"].startswith(f"{side}_to_"):
            raise ForbiddenError("不能答复本方提出的请求 (a request is answered by the other side)",
                                 code="own_request")
        if request["answer"] is not None:
            raise ConflictError("该请求已答复 (request already answered)", code="already_answered")
        answer = require_text(answer, "答复内容", "answer", "answer_required")
        self._answer_information(request_id=request_id, answer=answer, answered_at=answered_at)

    @event("InformationAnswered")
    def _answer_information(self, request_id: str, answer: str, answered_at: datetime) -> None:
        self.requests[request_id]["answer"] = answer
        self.requests[request_id]["answered_at"] = answered_at

    @event("InformationRequestOverdue")
    def _mark_request_overdue(self, request_id: str, deadline: date) -> None:
        self.requests[request_id]["overdue"] = True

    # -- after: findings, rectification items, progress, look-back -----------------------------
    def record_finding(
        self, finding_id: str, title: str, description: str, problem_type: str, responsible_department: str,
        deadline: date, today: date,
    ) -> None:
        """A finding the unit must rectify by the deadline, recorded while the round is open."""
        self._check_is_open()
        title = require_text(title, "问题标题", "title", "title_required")
        description = require_text(description, "问题描述", "description", "description_required")
        department = require_text(responsible_department, "责任部门", "responsible department",
                                  "department_required")
        check_problem_type(problem_type)
        check_not_past(deadline, today, "整改期限", "deadline")
        self._record_finding(finding_id=finding_id, title=title, description=description,
                             problem_type=problem_type, responsible_department=department, deadline=deadline)

    @event("FindingRecorded")
    def _record_finding(
        self, finding_id: str, title: str, description: str, problem_type: str,
        responsible_department: str, deadline: date,
    ) -> None:
        self.findings[finding_id] = {
            "title": title, "description": description, "problem_type": problem_type,
            "responsible_department": responsible_department, "deadline": deadline,
            "status": FINDING_RECORDED, "progress": [], "completed": False, "overdue": False,
        }

    def finding(self, finding_id: str) -> dict[str, Any]:
        found = self.findings.get(finding_id)
        if found is None:
            raise NotFoundError(f"问题不存在 (finding not found): {finding_id}")
        return found

    def hand_over_finding(self, finding_id: str, handed_over_at: datetime) -> None:
        """Hand a recorded finding over as a rectification item; the event carries the item itself."""
        self._check_not_closed()
        item = self.finding(finding_id)
        if item["status"] != FINDING_RECORDED:
            raise ConflictError("该问题已移交整改 (finding already handed over)", code="already_handed_over")
        self._hand_over_finding(
            finding_id=finding_id, title=item["title"], description=item["description"],
            problem_type=item["problem_type"], responsible_department=item["responsible_department"],
            deadline=item["deadline"], handed_over_at=handed_over_at,
        )

    @event("FindingHandedOver")
    def _hand_over_finding(
        self, finding_id: str, title: str, description: str, problem_type: str,
        responsible_department: str, deadline: date, handed_over_at: datetime,
    ) -> None:
        """The event carries the item itself: it is the contract the ledgers service turns into a problem."""
        self.findings[finding_id]["status"] = FINDING_HANDED_OVER
        self.findings[finding_id]["handed_over_at"] = handed_over_at

    def accepts_progress(self, finding_id: str) -> bool:
        """Whether progress on this item can be recorded (a handed-over item not completed yet)."""
        item = self.findings.get(finding_id)
        return item is not None and item["status"] == FINDING_HANDED_OVER and not item["completed"]

    def record_progress(
        self, finding_id: str, summary: str, completed: bool, source: str, source_ref: str | None,
        reported_at: datetime,
    ) -> None:
        """Progress of a handed-over item until it is completed (also after the round closed)."""
        item = self.finding(finding_id)
        if item["status"] != FINDING_HANDED_OVER:
            raise ConflictError("问题尚未移交整改 (finding not handed over yet)", code="not_handed_over")
        if item["completed"]:
            raise ConflictError("整改已完成 (rectification already completed)", code="already_completed")
        summary = require_text(summary, "进展说明", "progress summary", "summary_required")
        self._record_progress(finding_id=finding_id, summary=summary, completed=completed, source=source,
                              source_ref=source_ref, reported_at=reported_at)

    @event("RectificationProgressRecorded")
    def _record_progress(
        self, finding_id: str, summary: str, completed: bool, source: str, source_ref: str | None,
        reported_at: datetime,
    ) -> None:
        item = self.findings[finding_id]
        item["progress"].append(
            {"summary": summary, "completed": completed, "source": source, "source_ref": source_ref,
             "reported_at": reported_at}
        )
        item["completed"] = item["completed"] or completed

    @event("RectificationItemOverdue")
    def _mark_item_overdue(self, finding_id: str, deadline: date) -> None:
        self.findings[finding_id]["overdue"] = True

    def mark_overdue(self, today: date) -> list[dict[str, str]]:
        """Mark, once each, unanswered requests and open rectification items whose deadline passed."""
        marked: list[dict[str, str]] = []
        round_id = str(self.id)
        for request_id, request in list(self.requests.items()):
            if request["answer"] is None and not request["overdue"] and request["deadline"] < today:
                self._mark_request_overdue(request_id=request_id, deadline=request["deadline"])
                marked.append({"round_id": round_id, "request_id": request_id})
        for finding_id, item in list(self.findings.items()):
            if (item["status"] == FINDING_HANDED_OVER and not item["completed"] and not item["overdue"]
                    and item["deadline"] < today):
                self._mark_item_overdue(finding_id=finding_id, deadline=item["deadline"])
                marked.append({"round_id": round_id, "item_id": finding_id})
        return marked

    def schedule_look_back(self, look_back_id: str, due_on: date, scope: str, today: date) -> None:
        """Schedule a look-back (回头看) once there are rectification items to look back at."""
        if not any(f["status"] == FINDING_HANDED_OVER for f in self.findings.values()):
            raise ConflictError(
                "没有移交整改的问题，无法安排回头看 (no rectification items to look back at)",
                code="nothing_to_look_back",
            )
        scope = require_text(scope, "回头看范围", "look-back scope", "scope_required")
        if due_on < today:
            raise InvalidInputError("回头看日期已过 (the look-back date is in the past)", code="deadline_in_past")
        self._schedule_look_back(look_back_id=look_back_id, due_on=due_on, scope=scope)

    @event("LookBackScheduled")
    def _schedule_look_back(self, look_back_id: str, due_on: date, scope: str) -> None:
        self.look_backs[look_back_id] = {"due_on": due_on, "scope": scope, "conclusion": None,
                                         "reopened": [], "completed_at": None}

    def complete_look_back(
        self, look_back_id: str, conclusion: str, reopened: list[str], completed_at: datetime
    ) -> None:
        """Record a look-back's conclusion once; items whose rectification was not real are reopened."""
        found = self.look_backs.get(look_back_id)
        if found is None:
            raise NotFoundError(f"回头看不存在 (look-back not found): {look_back_id}")
        if found["conclusion"] is not None:
            raise ConflictError("回头看已完成 (look-back already completed)", code="look_back_completed")
        conclusion = require_text(conclusion, "回头看结论", "conclusion", "conclusion_required")
        for finding_id in reopened:
            self.finding(finding_id)
        self._complete_look_back(look_back_id=look_back_id, conclusion=conclusion, reopened=list(reopened),
                                 completed_at=completed_at)

    @event("LookBackCompleted")
    def _complete_look_back(
        self, look_back_id: str, conclusion: str, reopened: list[str], completed_at: datetime
    ) -> None:
        self.look_backs[look_back_id].update(conclusion=conclusion, reopened=list(reopened),
                                             completed_at=completed_at)
        for finding_id in reopened:
            # a look-back that finds the rectification was not real reopens the item (回头看)
            self.findings[finding_id]["completed"] = False
            self.findings[finding_id]["overdue"] = False
