"""Supervision activities of a group: embedded, tracking, pinpoint, joint, consultation, special supervision.

The aggregate guards itself: each public command method checks, then triggers a private `@event` method
(event class names are the stored names: never rename; the class stays in this module for its topic).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, InvalidInputError, NotFoundError
from services.inspections.guards import (
    check_kind,
    check_not_past,
    check_problem_type,
    check_stage,
    require_names,
    require_text,
)
from services.inspections.vocab import ACTIVITY_KINDS, ALLOWED_METHODS, COMPLETED, PLANNED, UNDER_WAY

ActivityStateError = ConflictError.kind("ActivityStateError", "activity_state")


class SupervisionActivity(ChainedAggregate):
    """One supervision activity the group carries out in its unit, with its whole-process record."""

    default_distribution = "hq"
    event_distribution = {"FindingHandedOver": "unit"}

    @classmethod
    def new_plan(
        cls, group_id: str, unit_id: str, kind: str, title: str, plan: str, participant_ids: list[str],
        methods: list[str], start_on: date, end_on: date, leader_id: str | None, hq_offices: list[str],
        topic: str | None, directive_id: str | None = None, stage: str | None = None,
    ) -> SupervisionActivity:
        """A planned activity, after checking its kind, methods, participants, dates and leader, and the
        directive and stage it supervises (issue #15: the detail ledger records the group's supervision)."""
        check_kind(kind)
        directive_id = (directive_id or "").strip() or None
        if stage is not None:
            check_stage(stage)
        if stage is not None and not directive_id:
            raise InvalidInputError("环节须随所监督的指示批示填写 (a stage needs its directive)",
                                    code="directive_required")
        title = require_text(title, "监督事项", "title", "title_required")
        plan = require_text(plan, "监督方案", "plan", "plan_required")
        participants = require_names(participant_ids, "参加人员", "participants", "participants_required")
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
        if kind == "pinpoint" and leader_id not in participants:
            raise InvalidInputError("带队领导须为参加人员 (the leader must be a participant)",
                                    code="leader_not_participant")
        offices = [o.strip() for o in hq_offices if o.strip()]
        if kind == "joint" and not offices:
            raise InvalidInputError("联合监督须注明委机关部门 (joint supervision names the HQ offices)",
                                    code="hq_offices_required")
        return cls(group_id=group_id, unit_id=unit_id, kind=kind, title=title, plan=plan,
                   participant_ids=participants, methods=list(dict.fromkeys(methods)), start_on=start_on,
                   end_on=end_on, leader_id=leader_id, hq_offices=offices, topic=topic, directive_id=directive_id,
                   stage=stage)

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
        directive_id: str | None = None,
        stage: str | None = None,
    ) -> None:
        # `directive_id`, `stage`: absent (None) in events recorded before issue #15
        self._keep(locals())
        self.participant_ids = list(participant_ids)
        self.methods = list(methods)
        self.hq_offices = list(hq_offices)
        self.status = PLANNED
        self.records: list[dict[str, Any]] = []
        self.findings: dict[str, dict[str, Any]] = {}
        self.conclusion: str | None = None

    def start(self, started_on: date) -> None:
        """Start carrying out a planned activity."""
        if self.status != PLANNED:
            raise ActivityStateError(f"只有计划中的活动可以开始 (only a planned activity can start; it is {self.status})")
        self._start(started_on=started_on)

    @event("Started")
    def _start(self, started_on: date) -> None:
        self.status = UNDER_WAY
        self.started_on = started_on

    def _check_under_way(self) -> None:
        if self.status != UNDER_WAY:
            raise ActivityStateError(f"活动不在进行中 (the activity is not under way; it is {self.status})")

    def record_work(self, method: str, held_on: date, summary: str, participant_ids: list[str] | None) -> None:
        """One piece of work by a planned method while under way (by default all participants took part)."""
        self._check_under_way()
        if method not in self.methods:
            raise InvalidInputError(f"方案中没有该方法 (method not in the plan): {method}",
                                    code="method_not_planned")
        summary = require_text(summary, "工作记录", "summary", "summary_required")
        self._record_work(method=method, held_on=held_on, summary=summary,
                          participant_ids=list(participant_ids or self.participant_ids))

    @event("WorkRecorded")
    def _record_work(self, method: str, held_on: date, summary: str, participant_ids: list[str]) -> None:
        self.records.append({"method": method, "held_on": held_on, "summary": summary,
                             "participant_ids": list(participant_ids)})

    def record_finding(self, finding_id: str, summary: str) -> None:
        """A problem the activity found, while under way."""
        self._check_under_way()
        self._record_finding(finding_id=finding_id,
                             summary=require_text(summary, "发现问题", "finding", "finding_required"))

    @event("FindingRecorded")
    def _record_finding(self, finding_id: str, summary: str) -> None:
        self.findings[finding_id] = {"summary": summary, "outcome": None}

    def finding(self, finding_id: str) -> dict[str, Any]:
        found = self.findings.get(finding_id)
        if found is None:
            raise NotFoundError(f"问题不存在 (finding not found): {finding_id}")
        return found

    def _check_finding_outcome(self, finding_id: str) -> None:
        if self.status == PLANNED:
            raise ActivityStateError("活动尚未开始 (the activity has not started)")
        if self.finding(finding_id)["outcome"] is not None:
            raise ConflictError("该问题已处理 (finding already handed over or referred)",
                                code="finding_already_handled")

    def hand_over_finding(
        self, finding_id: str, title: str, problem_type: str, responsible_department: str, deadline: date,
        description: str | None, today: date,
    ) -> None:
        """Turn a finding into a rectification item (once; also after the activity completed)."""
        self._check_finding_outcome(finding_id)
        title = require_text(title, "问题标题", "title", "title_required")
        department = require_text(responsible_department, "责任部门", "responsible department",
                                  "department_required")
        check_problem_type(problem_type)
        check_not_past(deadline, today, "整改期限", "deadline")
        self._hand_over_finding(
            finding_id=finding_id, title=title,
            description=(description or self.findings[finding_id]["summary"]).strip(),
            problem_type=problem_type, responsible_department=department, deadline=deadline,
        )

    @event("FindingHandedOver")
    def _hand_over_finding(
        self, finding_id: str, title: str, description: str, problem_type: str,
        responsible_department: str, deadline: date,
    ) -> None:
        self.findings[finding_id]["outcome"] = "rectification_item"
        self.findings[finding_id]["item"] = {
            "title": title, "description": description, "problem_type": problem_type,
            "responsible_department": responsible_department, "deadline": deadline,
        }

    def refer_finding(self, finding_id: str, sealed_content: str, referred_at: datetime) -> None:
        """Turn a finding into a clue, sealed for the clues service (once); no digest of the content is kept."""
        self._check_finding_outcome(finding_id)
        self._refer_finding(finding_id=finding_id, sealed_content=sealed_content, referred_at=referred_at)

    @event("FindingReferredAsClue")
    def _refer_finding(
        self, finding_id: str, sealed_content: str, referred_at: datetime, content_hash: str | None = None
    ) -> None:
        # `content_hash`: only in events recorded before issue #14 (an unkeyed SHA-256); no longer kept or read
        self.findings[finding_id]["outcome"] = "clue"
        self.findings[finding_id]["referral"] = {"sealed_content": sealed_content, "referred_at": referred_at}

    def complete(self, conclusion: str, completed_on: date) -> None:
        """Complete the activity under way with its conclusion."""
        self._check_under_way()
        conclusion = require_text(conclusion, "监督结论", "conclusion", "conclusion_required")
        self._complete(conclusion=conclusion, completed_on=completed_on, findings=len(self.findings))

    @event("Completed")
    def _complete(self, conclusion: str, completed_on: date, findings: int) -> None:
        self.status = COMPLETED
        self.conclusion = conclusion
        self.completed_on = completed_on
