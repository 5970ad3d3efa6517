"""Supervision activities of a group: embedded, tracking, pinpoint, joint, consultation, special supervision."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, InvalidInputError, NotFoundError
from services.inspections.domainmodel import check_problem_type, require_text

ACTIVITY_KINDS: dict[str, str] = {
    "embedded": "嵌入式监督",
    "tracking": "跟踪式监督",
    "pinpoint": "点穴式监督",
    "joint": "联合监督",
    "consultation": "定期会商",
    "special": "专项督促检查",
}

METHODS: dict[str, str] = {
    "document_review": "调阅资料",
    "talk": "谈心谈话",
    "discussion": "座谈访谈",
    "phone_inquiry": "电话问询",
    "site_check": "实地检查",
    "meeting_supervision": "会议监督",
    "onsite_research": "驻点调研",
    "joint_enforcement": "参加督察执法和专项行动",
    "leader_led_research": "组领导带队调研督导",
    "consultation_meeting": "会商",
}

ALLOWED_METHODS: dict[str, frozenset[str]] = {
    "embedded": frozenset({"joint_enforcement", "site_check", "meeting_supervision", "talk"}),
    "tracking": frozenset({"document_review", "talk", "discussion", "phone_inquiry", "site_check"}),
    "pinpoint": frozenset({"leader_led_research", "onsite_research", "site_check", "talk", "document_review"}),
    "joint": frozenset(METHODS),
    "consultation": frozenset({"consultation_meeting", "discussion"}),
    "special": frozenset({"talk", "meeting_supervision", "onsite_research", "site_check"}),
}

PLANNED, UNDER_WAY, COMPLETED = "planned", "under_way", "completed"


class ActivityStateError(ConflictError):
    code = "activity_state"


class SupervisionActivity(ChainedAggregate):
    """One supervision activity the group carries out in its unit, with its whole-process record."""

    default_distribution = "hq"
    event_distribution = {"FindingHandedOver": "unit"}

    @staticmethod
    def check_planning(
        kind: str, title: str, plan: str, participant_ids: list[str], methods: list[str],
        start_on: date, end_on: date, leader_id: str | None, hq_offices: list[str],
    ) -> None:
        if kind not in ACTIVITY_KINDS:
            raise InvalidInputError(f"未知监督方式 (unknown activity kind): {kind}", code="unknown_kind")
        require_text(title, "监督事项", "title", "title_required")
        require_text(plan, "监督方案", "plan", "plan_required")
        if not participant_ids or any(not p.strip() for p in participant_ids):
            raise InvalidInputError("参加人员不能为空 (participants are required)", code="participants_required")
        if not methods:
            raise InvalidInputError("须选择监督方法 (at least one method is required)", code="methods_required")
        unknown = [m for m in methods if m not in ALLOWED_METHODS[kind]]
        if unknown:
            raise InvalidInputError(
                f"{ACTIVITY_KINDS[kind]}不适用的方法 (methods not used in {kind} supervision): {', '.join(unknown)}",
                code="method_not_allowed",
            )
        if end_on < start_on:
            raise InvalidInputError("结束日期早于开始日期 (ends before it starts)", code="dates_invalid")
        if kind == "pinpoint" and not (leader_id and leader_id.strip()):
            raise InvalidInputError("点穴式监督须由组领导带队 (pinpoint supervision is leader-led)",
                                    code="leader_required")
        if kind == "pinpoint" and leader_id not in participant_ids:
            raise InvalidInputError("带队领导须为参加人员 (the leader must be a participant)",
                                    code="leader_not_participant")
        if kind == "joint" and not hq_offices:
            raise InvalidInputError("联合监督须注明委机关部门 (joint supervision names the HQ offices)",
                                    code="hq_offices_required")

    @event("Planned")
    def __init__(
        self,
        group_id: str,
        unit_id: str,
        kind: str,
        title: str,
        plan: str,
        participant_ids: list[str],
        methods: list[str],
        start_on: date,
        end_on: date,
        leader_id: str | None,
        hq_offices: list[str],
        topic: str | None,
    ) -> None:
        self.group_id = group_id
        self.unit_id = unit_id
        self.kind = kind
        self.title = title
        self.plan = plan
        self.participant_ids = list(participant_ids)
        self.methods = list(methods)
        self.start_on = start_on
        self.end_on = end_on
        self.leader_id = leader_id
        self.hq_offices = list(hq_offices)
        self.topic = topic
        self.status = PLANNED
        self.records: list[dict[str, Any]] = []
        self.findings: dict[str, dict[str, Any]] = {}
        self.conclusion: str | None = None

    def check_start(self) -> None:
        if self.status != PLANNED:
            raise ActivityStateError(f"只有计划中的活动可以开始 (only a planned activity can start; it is {self.status})")

    @event("Started")
    def start(self, started_on: date) -> None:
        self.status = UNDER_WAY
        self.started_on = started_on

    def check_under_way(self) -> None:
        if self.status != UNDER_WAY:
            raise ActivityStateError(f"活动不在进行中 (the activity is not under way; it is {self.status})")

    def check_work_record(self, method: str, held_on: date, summary: str) -> None:
        self.check_under_way()
        if method not in self.methods:
            raise InvalidInputError(f"方案中没有该方法 (method not in the plan): {method}",
                                    code="method_not_planned")
        require_text(summary, "工作记录", "summary", "summary_required")

    @event("WorkRecorded")
    def record_work(self, method: str, held_on: date, summary: str, participant_ids: list[str]) -> None:
        self.records.append({"method": method, "held_on": held_on, "summary": summary,
                             "participant_ids": list(participant_ids)})

    def check_finding(self, summary: str) -> None:
        self.check_under_way()
        require_text(summary, "发现问题", "finding", "finding_required")

    @event("FindingRecorded")
    def record_finding(self, finding_id: str, summary: str) -> None:
        self.findings[finding_id] = {"summary": summary, "outcome": None}

    def finding(self, finding_id: str) -> dict[str, Any]:
        found = self.findings.get(finding_id)
        if found is None:
            raise NotFoundError(f"问题不存在 (finding not found): {finding_id}")
        return found

    def check_finding_outcome(self, finding_id: str) -> None:
        if self.status == PLANNED:
            raise ActivityStateError("活动尚未开始 (the activity has not started)")
        if self.finding(finding_id)["outcome"] is not None:
            raise ConflictError("该问题已处理 (finding already handed over or referred)",
                                code="finding_already_handled")

    def check_hand_over(
        self, finding_id: str, title: str, problem_type: str, responsible_department: str,
        deadline: date, today: date,
    ) -> None:
        self.check_finding_outcome(finding_id)
        require_text(title, "问题标题", "title", "title_required")
        require_text(responsible_department, "责任部门", "responsible department", "department_required")
        check_problem_type(problem_type)
        if deadline < today:
            raise InvalidInputError("整改期限已过 (the deadline is in the past)", code="deadline_in_past")

    @event("FindingHandedOver")
    def hand_over_finding(
        self, finding_id: str, title: str, description: str, problem_type: str,
        responsible_department: str, deadline: date,
    ) -> None:
        self.findings[finding_id]["outcome"] = "rectification_item"
        self.findings[finding_id]["item"] = {
            "title": title, "description": description, "problem_type": problem_type,
            "responsible_department": responsible_department, "deadline": deadline,
        }

    @event("FindingReferredAsClue")
    def refer_finding(self, finding_id: str, sealed_content: str, content_hash: str, referred_at: datetime) -> None:
        self.findings[finding_id]["outcome"] = "clue"
        self.findings[finding_id]["referral"] = {"sealed_content": sealed_content, "content_hash": content_hash,
                                                 "referred_at": referred_at}

    def check_complete(self, conclusion: str) -> None:
        self.check_under_way()
        require_text(conclusion, "监督结论", "conclusion", "conclusion_required")

    @event("Completed")
    def complete(self, conclusion: str, completed_on: date, findings: int) -> None:
        self.status = COMPLETED
        self.conclusion = conclusion
        self.completed_on = completed_on
