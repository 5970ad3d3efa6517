"""Inspections domain: an inspection round of a unit (before, during, after) and its guards."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError

PROBLEM_TYPES = (
    "empty_statements",  # 空泛表态
    "perfunctory",  # 敷衍塞责
    "escalating_targets",  # 层层加码
    "one_size_fits_all",  # 一刀切
    "inaction",  # 不担当不作为
    "disregarding_public_interest",  # 漠视损害群众利益
    "abuse_of_power",  # 滥用职权
    "defying_bans",  # 顶风违纪
    "other",
)

REQUEST_DIRECTIONS = ("team_to_group", "group_to_team")

ROUND_PLANNED, ROUND_OPEN, ROUND_CLOSED = "planned", "open", "closed"

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class RoundClosedError(ConflictError):
    code = "round_closed"


class RoundNotOpenError(ConflictError):
    code = "round_not_open"


class PhaseDatesError(InvalidInputError):
    code = "phase_dates_invalid"


def require_text(value: str | None, label_zh: str, label_en: str, code: str) -> str:
    if value is None or not value.strip():
        raise InvalidInputError(f"{label_zh}不能为空 ({label_en} is required)", code=code)
    return value.strip()


def check_problem_type(problem_type: str) -> None:
    if problem_type not in PROBLEM_TYPES:
        raise InvalidInputError(
            f"未知问题类型 (unknown problem type): {problem_type}", code="unknown_problem_type"
        )


def check_content_hash(content_hash: str) -> None:
    if not _SHA256.match(content_hash or ""):
        raise InvalidInputError("内容哈希应为SHA-256 (content hash must be SHA-256 hex)", code="bad_hash")


class InspectionRound(ChainedAggregate):
    """One inspection round of one unit by one inspection team, through before / during / after.

    Its events are distributed to the round (`inspection:<round_id>`), the items addressed to the unit to `unit`.
    """

    event_distribution = {"FindingHandedOver": "unit", "RectificationProgressRecorded": "unit",
                          "RectificationItemOverdue": "unit"}

    def distribution_of(self, event_name: str) -> str:
        return self.event_distribution.get(event_name, f"inspection:{self.id}")

    @staticmethod
    def check_recording(
        title: str, team_id: str, member_ids: list[str], phases: dict[str, tuple[date, date]]
    ) -> None:
        require_text(title, "巡视轮次名称", "title", "title_required")
        require_text(team_id, "巡视组", "team", "team_required")
        if not member_ids or any(not m.strip() for m in member_ids):
            raise InvalidInputError("巡视组成员不能为空 (team members are required)", code="members_required")
        previous_end: date | None = None
        for name in ("before", "during", "after"):
            start, end = phases[name]
            if end < start:
                raise PhaseDatesError(f"{name}阶段结束早于开始 (phase {name} ends before it starts)")
            if previous_end is not None and start < previous_end:
                raise PhaseDatesError(f"{name}阶段与前一阶段重叠 (phase {name} overlaps the previous one)")
            previous_end = end

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

    # -- lifecycle ------------------------------------------------------------------------
    def check_open(self) -> None:
        if self.status != ROUND_PLANNED:
            raise ConflictError(
                f"只有计划中的巡视轮次可以开启 (only a planned round can be opened; it is {self.status})",
                code="round_not_planned",
            )

    @event("Opened")
    def open(self, opened_at: datetime) -> None:
        self.status = ROUND_OPEN
        self.opened_at = opened_at

    def check_close(self, summary: str) -> None:
        if self.status != ROUND_OPEN:
            raise RoundNotOpenError(
                f"只有进行中的巡视轮次可以结束 (only an open round can be closed; it is {self.status})"
            )
        require_text(summary, "结束说明", "closing summary", "summary_required")

    @event("Closed")
    def close(self, closed_at: datetime, summary: str) -> None:
        self.status = ROUND_CLOSED
        self.closed_at = closed_at
        self.closing_summary = summary

    def check_not_closed(self) -> None:
        if self.status == ROUND_CLOSED:
            raise RoundClosedError("巡视轮次已结束 (the inspection round is closed)")

    def check_is_open(self) -> None:
        self.check_not_closed()
        if self.status != ROUND_OPEN:
            raise RoundNotOpenError("巡视轮次尚未开启 (the inspection round is not open yet)")

    def check_members(self, member_ids: list[str]) -> None:
        self.check_not_closed()
        if not member_ids or any(not m.strip() for m in member_ids):
            raise InvalidInputError("巡视组成员不能为空 (team members are required)", code="members_required")

    @event("MembersChanged")
    def change_members(self, member_ids: list[str]) -> None:
        self.member_ids = list(member_ids)

    # -- before: briefing package and clues handed over --------------------------------------
    def check_freeze_package(self, positions: dict[str, int], content_hash: str) -> None:
        self.check_not_closed()
        check_content_hash(content_hash)
        if not positions or any((not isinstance(p, int)) or p < 0 for p in positions.values()):
            raise InvalidInputError(
                "须说明数据来源的历史位置 (positions per service are required)", code="positions_required"
            )

    @event("BriefingPackageFrozen")
    def freeze_package(
        self, package_id: str, positions: dict[str, int], content_hash: str, frozen_at: datetime
    ) -> None:
        self.packages.append(
            {"package_id": package_id, "positions": dict(positions), "content_hash": content_hash,
             "frozen_at": frozen_at}
        )

    def check_hand_over_clue(self, clue_id: str, reason: str) -> None:
        self.check_not_closed()
        require_text(clue_id, "线索编号", "clue id", "clue_required")
        require_text(reason, "移交理由", "reason", "reason_required")
        if clue_id in self.handed_over_clues:
            raise ConflictError("该线索已移交 (clue already handed over)", code="clue_already_handed_over")

    @event("ClueHandedOver")
    def hand_over_clue(self, clue_id: str, reason: str, handed_over_at: datetime) -> None:
        self.handed_over_clues[clue_id] = {"reason": reason, "handed_over_at": handed_over_at}

    # -- during: referrals and requests for information ---------------------------------------
    def check_refer_clue(self, content_hash: str) -> None:
        self.check_is_open()
        if any(r["content_hash"] == content_hash for r in self.referrals.values()):
            raise ConflictError("相同线索已移送 (the same clue was already referred)", code="duplicate_referral")

    @event("ClueReferred")
    def refer_clue(self, referral_id: str, sealed_content: str, content_hash: str, referred_at: datetime) -> None:
        self.referrals[referral_id] = {
            "sealed_content": sealed_content, "content_hash": content_hash, "referred_at": referred_at,
        }

    def check_request(self, direction: str, question: str, deadline: date, today: date) -> None:
        self.check_is_open()
        if direction not in REQUEST_DIRECTIONS:
            raise InvalidInputError(f"未知请求方向 (unknown direction): {direction}", code="unknown_direction")
        require_text(question, "请求内容", "question", "question_required")
        if deadline < today:
            raise InvalidInputError("办理期限已过 (the deadline is in the past)", code="deadline_in_past")

    @event("InformationRequested")
    def request_information(
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

    def check_answer(self, request_id: str, answer: str, side: str | None) -> None:
        self.check_not_closed()
        request = self.request(request_id)
        if side is not None and request["direction"].startswith(f"{side}_to_"):
            raise ForbiddenError("不能答复本方提出的请求 (a request is answered by the other side)",
                                 code="own_request")
        if request["answer"] is not None:
            raise ConflictError("该请求已答复 (request already answered)", code="already_answered")
        require_text(answer, "答复内容", "answer", "answer_required")

    @event("InformationAnswered")
    def answer_information(self, request_id: str, answer: str, answered_at: datetime) -> None:
        self.requests[request_id]["answer"] = answer
        self.requests[request_id]["answered_at"] = answered_at

    def overdue_requests(self, today: date) -> list[str]:
        return [
            rid for rid, r in self.requests.items()
            if r["answer"] is None and not r["overdue"] and r["deadline"] < today
        ]

    @event("InformationRequestOverdue")
    def mark_request_overdue(self, request_id: str, deadline: date) -> None:
        self.requests[request_id]["overdue"] = True

    # -- after: findings, rectification items, progress, look-back -----------------------------
    def check_finding(
        self, title: str, description: str, problem_type: str, responsible_department: str,
        deadline: date, today: date,
    ) -> None:
        self.check_is_open()
        require_text(title, "问题标题", "title", "title_required")
        require_text(description, "问题描述", "description", "description_required")
        require_text(responsible_department, "责任部门", "responsible department", "department_required")
        check_problem_type(problem_type)
        if deadline < today:
            raise InvalidInputError("整改期限已过 (the deadline is in the past)", code="deadline_in_past")

    @event("FindingRecorded")
    def record_finding(
        self, finding_id: str, title: str, description: str, problem_type: str,
        responsible_department: str, deadline: date,
    ) -> None:
        self.findings[finding_id] = {
            "title": title, "description": description, "problem_type": problem_type,
            "responsible_department": responsible_department, "deadline": deadline,
            "status": "recorded", "progress": [], "completed": False, "overdue": False,
        }

    def finding(self, finding_id: str) -> dict[str, Any]:
        found = self.findings.get(finding_id)
        if found is None:
            raise NotFoundError(f"问题不存在 (finding not found): {finding_id}")
        return found

    def check_hand_over_finding(self, finding_id: str) -> None:
        self.check_not_closed()
        if self.finding(finding_id)["status"] != "recorded":
            raise ConflictError("该问题已移交整改 (finding already handed over)", code="already_handed_over")

    @event("FindingHandedOver")
    def hand_over_finding(
        self, finding_id: str, title: str, description: str, problem_type: str,
        responsible_department: str, deadline: date, handed_over_at: datetime,
    ) -> None:
        """The event carries the item itself: it is the contract the ledgers service turns into a problem."""
        self.findings[finding_id]["status"] = "handed_over"
        self.findings[finding_id]["handed_over_at"] = handed_over_at

    def check_progress(self, finding_id: str, summary: str) -> None:
        item = self.finding(finding_id)
        if item["status"] != "handed_over":
            raise ConflictError("问题尚未移交整改 (finding not handed over yet)", code="not_handed_over")
        if item["completed"]:
            raise ConflictError("整改已完成 (rectification already completed)", code="already_completed")
        require_text(summary, "进展说明", "progress summary", "summary_required")

    @event("RectificationProgressRecorded")
    def record_progress(
        self, finding_id: str, summary: str, completed: bool, source: str, source_ref: str | None,
        reported_at: datetime,
    ) -> None:
        item = self.findings[finding_id]
        item["progress"].append(
            {"summary": summary, "completed": completed, "source": source, "source_ref": source_ref,
             "reported_at": reported_at}
        )
        item["completed"] = item["completed"] or completed

    def overdue_items(self, today: date) -> list[str]:
        return [
            fid for fid, f in self.findings.items()
            if f["status"] == "handed_over" and not f["completed"] and not f["overdue"] and f["deadline"] < today
        ]

    @event("RectificationItemOverdue")
    def mark_item_overdue(self, finding_id: str, deadline: date) -> None:
        self.findings[finding_id]["overdue"] = True

    def check_schedule_look_back(self, due_on: date, scope: str, today: date) -> None:
        if not any(f["status"] == "handed_over" for f in self.findings.values()):
            raise ConflictError(
                "没有移交整改的问题，无法安排回头看 (no rectification items to look back at)",
                code="nothing_to_look_back",
            )
        require_text(scope, "回头看范围", "look-back scope", "scope_required")
        if due_on < today:
            raise InvalidInputError("回头看日期已过 (the look-back date is in the past)", code="deadline_in_past")

    @event("LookBackScheduled")
    def schedule_look_back(self, look_back_id: str, due_on: date, scope: str) -> None:
        self.look_backs[look_back_id] = {"due_on": due_on, "scope": scope, "conclusion": None,
                                         "reopened": [], "completed_at": None}

    def check_complete_look_back(self, look_back_id: str, conclusion: str, reopened: list[str]) -> None:
        found = self.look_backs.get(look_back_id)
        if found is None:
            raise NotFoundError(f"回头看不存在 (look-back not found): {look_back_id}")
        if found["conclusion"] is not None:
            raise ConflictError("回头看已完成 (look-back already completed)", code="look_back_completed")
        require_text(conclusion, "回头看结论", "conclusion", "conclusion_required")
        for finding_id in reopened:
            self.finding(finding_id)

    @event("LookBackCompleted")
    def complete_look_back(
        self, look_back_id: str, conclusion: str, reopened: list[str], completed_at: datetime
    ) -> None:
        self.look_backs[look_back_id].update(conclusion=conclusion, reopened=list(reopened),
                                             completed_at=completed_at)
        for finding_id in reopened:
            # a look-back that finds the rectification was not real reopens the item (回头看)
            self.findings[finding_id]["completed"] = False
            self.findings[finding_id]["overdue"] = False
