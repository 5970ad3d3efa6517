"""Ledgers domain: directives in the master ledger, their corrections, stages, stage deadlines, evaluations."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, InvalidInputError
from services.ledgers.vocab import EVALUATION_DIMENSIONS, SCORE_MAX, SCORE_MIN

AMENDABLE = (
    "reference_number",
    "issuer",
    "title",
    "issued_on",
    "received_on",
    "lead_department",
    "category",
    "tied_to_duties",
)

STAGES = (
    "relay_study",  # 学习传达
    "deployment",  # 作出部署
    "plan",  # 制定方案
    "execution",  # 贯彻执行
    "result_evaluation",  # 结果评估
    "look_back_review",  # 回头检视
    "institution_building",  # 建章立制
)


StageOrderError = ConflictError.kind("StageOrderError", "stage_out_of_order")
DirectiveWithdrawnError = ConflictError.kind("DirectiveWithdrawnError", "directive_withdrawn")


class Directive(ChainedAggregate):
    """An important directive or central decision the unit received: one master-ledger entry."""

    default_distribution = "hq"

    @event("Registered")
    def __init__(
        self,
        group_id: str,
        unit_id: str,
        reference_number: str,
        issuer: str,
        title: str,
        issued_on: date,
        received_on: date,
        lead_department: str,
        category: str | None,
        tied_to_duties: bool,
    ) -> None:
        self._keep(locals())
        self.stages: dict[str, dict[str, Any]] = {}
        self.withdrawn = False
        self.withdrawn_reason: str | None = None
        self.amendments = 0
        self.stage_deadlines: dict[str, dict[str, Any]] = {}
        self.notifications: list[str] = []
        self.evaluations: dict[str, dict[str, Any]] = {}

    @classmethod
    def register(
        cls,
        *,
        group_id: str,
        unit_id: str,
        reference_number: str,
        issuer: str,
        title: str,
        issued_on: date,
        received_on: date,
        lead_department: str,
        category: str | None = None,
        tied_to_duties: bool = False,
    ) -> Directive:
        """A new master-ledger entry, after checking its registration."""
        cls.check_registration(title, reference_number, issued_on, received_on)
        return cls(
            group_id=group_id, unit_id=unit_id, reference_number=reference_number.strip(), issuer=issuer.strip(),
            title=title.strip(), issued_on=issued_on, received_on=received_on,
            lead_department=lead_department.strip(), category=category, tied_to_duties=tied_to_duties,
        )

    @staticmethod
    def check_registration(title: str, reference_number: str, issued_on: date, received_on: date) -> None:
        if not title.strip():
            raise InvalidInputError("标题不能为空 (title is required)", code="title_required")
        if not reference_number.strip():
            raise InvalidInputError("文号不能为空 (reference number is required)", code="reference_required")
        if received_on < issued_on:
            raise InvalidInputError(
                "收文日期不能早于印发日期 (received before issued)", code="received_before_issued"
            )

    def next_stage(self) -> str | None:
        for stage in STAGES:
            if stage not in self.stages:
                return stage
        return None

    def check_not_withdrawn(self) -> None:
        if self.withdrawn:
            raise DirectiveWithdrawnError("该批示件已撤销 (directive withdrawn)")

    @property
    def status(self) -> str:
        """The ledger's status in the unit report's vocabulary (not_started, in_progress, completed).

        Completed once the result is evaluated and no stage before it is still open: a stage skipped with a
        reason on the way there keeps the directive in progress until it is recorded."""
        evaluated = STAGES.index("result_evaluation")
        if all(stage in self.stages for stage in STAGES[: evaluated + 1]):
            return "completed"
        return "in_progress" if self.stages else "not_started"

    def check_stage(self, stage: str, skip_reason: str | None) -> None:
        self.check_not_withdrawn()
        if stage not in STAGES:
            raise InvalidInputError(f"未知阶段 (unknown stage): {stage}", code="unknown_stage")
        if stage in self.stages:
            raise ConflictError(f"阶段已记录 (stage already recorded): {stage}", code="stage_recorded")
        expected = self.next_stage()
        if stage != expected and not (skip_reason and skip_reason.strip()):
            raise StageOrderError(
                f"不能跳过阶段 {expected}，除非说明理由 (cannot skip stage {expected} without a reason)"
            )

    def record_stage(
        self,
        stage: str,
        done_on: date,
        summary: str,
        meeting: str | None,
        document: str | None,
        done_by: str,
        skip_reason: str | None,
    ) -> None:
        self.check_stage(stage, skip_reason)
        self._record_stage(stage=stage, done_on=done_on, summary=summary, meeting=meeting, document=document,
                           done_by=done_by, skip_reason=skip_reason)

    @event("StageRecorded")
    def _record_stage(
        self,
        stage: str,
        done_on: date,
        summary: str,
        meeting: str | None,
        document: str | None,
        done_by: str,
        skip_reason: str | None,
    ) -> None:
        self.stages[stage] = {
            "done_on": done_on,
            "summary": summary,
            "meeting": meeting,
            "document": document,
            "done_by": done_by,
            "skip_reason": skip_reason,
        }

    # -- corrections (a new event with reason and actor, never an edit) ------------------------
    def check_amendment(self, changes: dict[str, Any], reason: str) -> dict[str, Any]:
        """The effective changes (fields whose value really changes); refuses empty or unknown ones."""
        self.check_not_withdrawn()
        if not reason.strip():
            raise InvalidInputError("更正须说明理由 (a correction needs a reason)", code="reason_required")
        unknown = sorted(set(changes) - set(AMENDABLE))
        if unknown:
            raise InvalidInputError(f"不可更正的字段 (fields cannot be amended): {unknown}", code="not_amendable")
        effective = {k: v for k, v in changes.items() if getattr(self, k) != v}
        if not effective:
            raise InvalidInputError("没有任何改动 (nothing changes)", code="no_change")
        for field in ("reference_number", "title", "issuer", "lead_department"):
            if field in effective and not str(effective[field]).strip():
                raise InvalidInputError(f"{field} 不能为空 (is required)", code="field_required")
        issued: date = effective["issued_on"] if "issued_on" in effective else self.issued_on
        received: date = effective["received_on"] if "received_on" in effective else self.received_on
        if received < issued:
            raise InvalidInputError("收文日期不能早于印发日期 (received before issued)", code="received_before_issued")
        return effective

    def amend(self, changes: dict[str, Any], reason: str) -> dict[str, Any]:
        """Record the correction of the fields that really change; returns them."""
        effective = self.check_amendment(changes, reason)
        if "reference_number" in effective:
            effective["reference_number"] = str(effective["reference_number"]).strip()
        previous = {field: getattr(self, field) for field in effective}
        self._amend(changes=effective, previous=previous, reason=reason.strip())
        return effective

    @event("Amended")
    def _amend(self, changes: dict[str, Any], previous: dict[str, Any], reason: str) -> None:
        for field, value in changes.items():
            setattr(self, field, value)
        self.amendments += 1

    # -- categorising (its own fact, not a correction) ---------------------------------------
    def check_categorisation(self, category: str | None) -> None:
        self.check_not_withdrawn()
        if category == self.category:
            raise InvalidInputError("类别未改变 (category unchanged)", code="no_change")

    def categorise(self, category: str | None, reason: str) -> None:
        """File the directive in a detail ledger (细账), move it to another one, or take it out (None)."""
        self.check_categorisation(category)
        self._categorise(category=category, previous=self.category, reason=reason.strip())

    @event("Categorised")
    def _categorise(self, category: str | None, previous: str | None, reason: str) -> None:
        self.category = category

    def check_withdrawal(self, reason: str) -> None:
        self.check_not_withdrawn()
        if not reason.strip():
            raise InvalidInputError("撤销须说明理由 (a withdrawal needs a reason)", code="reason_required")

    def withdraw(self, reason: str) -> None:
        self.check_withdrawal(reason)
        self._withdraw(reason=reason.strip())

    @event("Withdrawn")
    def _withdraw(self, reason: str) -> None:
        self.withdrawn = True
        self.withdrawn_reason = reason

    # -- the closed loop: notifications, stage deadlines --------------------------------------
    def link_notification(self, notification_id: str, opened_loop: bool) -> None:
        """Link the unit's notification of this directive (once)."""
        if notification_id not in self.notifications:
            self._link_notification(notification_id=notification_id, opened_loop=opened_loop)

    @event("NotificationLinked")
    def _link_notification(self, notification_id: str, opened_loop: bool) -> None:
        self.notifications.append(notification_id)

    def check_stage_deadline(self, stage: str) -> None:
        self.check_not_withdrawn()
        if stage not in STAGES:
            raise InvalidInputError(f"未知阶段 (unknown stage): {stage}", code="unknown_stage")
        if stage in self.stages:
            raise ConflictError(f"阶段已记录，无需期限 (stage already recorded): {stage}", code="stage_recorded")

    def set_stage_deadline(self, stage: str, rule: dict[str, Any], due_on: date, reason: str | None) -> None:
        self.check_stage_deadline(stage)
        self._set_stage_deadline(stage=stage, rule=rule, due_on=due_on, reason=reason)

    @event("StageDeadlineSet")
    def _set_stage_deadline(self, stage: str, rule: dict[str, Any], due_on: date, reason: str | None) -> None:
        self.stage_deadlines[stage] = {"rule": rule, "due_on": due_on, "overdue_on": None}

    def overdue_stages(self, today: date) -> list[str]:
        """Stages whose deadline passed without the stage recorded and not yet marked overdue."""
        if self.withdrawn:
            return []
        return [
            stage
            for stage, deadline in self.stage_deadlines.items()
            if stage not in self.stages and deadline["overdue_on"] is None and today > deadline["due_on"]
        ]

    def mark_stage_overdue(self, stage: str, detected_on: date) -> None:
        if stage not in self.overdue_stages(detected_on):
            raise ConflictError(f"阶段未逾期或已记录逾期 (stage not overdue): {stage}", code="not_overdue")
        self._mark_stage_overdue(stage=stage, due_on=self.stage_deadlines[stage]["due_on"], detected_on=detected_on)

    @event("StageOverdue")
    def _mark_stage_overdue(self, stage: str, due_on: date, detected_on: date) -> None:
        self.stage_deadlines[stage]["overdue_on"] = detected_on

    def open_stage_deadlines(self) -> dict[str, dict[str, Any]]:
        """Stage deadlines still running: the stage not recorded, not marked overdue, the directive not withdrawn."""
        if self.withdrawn:
            return {}
        return {stage: deadline for stage, deadline in self.stage_deadlines.items()
                if stage not in self.stages and deadline["overdue_on"] is None}

    def recompute_stage_deadline(self, stage: str, rule: dict[str, Any], due_on: date) -> None:
        """A running stage deadline counted again with a newer calendar: a new event, the old one stays."""
        old = self.open_stage_deadlines().get(stage)
        if old is None:
            raise ConflictError(f"阶段期限已结束 (stage deadline no longer running): {stage}", code="not_running")
        self._recompute_stage_deadline(stage=stage, rule=rule, old_due_on=old["due_on"], new_due_on=due_on,
                                       calendar=str(rule.get("calendar", "")))

    @event("StageDeadlineRecomputed")
    def _recompute_stage_deadline(
        self, stage: str, rule: dict[str, Any], old_due_on: date, new_due_on: date, calendar: str
    ) -> None:
        self.stage_deadlines[stage] = {"rule": rule, "due_on": new_due_on, "overdue_on": None}

    # -- evaluations (四个评价维度) ---------------------------------------------------------
    def check_evaluation(self, department: str, scores: dict[str, int], rationale: str) -> None:
        self.check_not_withdrawn()
        if not department.strip():
            raise InvalidInputError("须指明被评价部门 (department required)", code="department_required")
        if set(scores) != set(EVALUATION_DIMENSIONS):
            raise InvalidInputError(
                "须对思想认识、目标定位、责任落实、精神状态逐项评分 "
                "(score understanding, goal_setting, responsibility and drive)",
                code="dimensions_required",
            )
        for dimension, score in scores.items():
            if not isinstance(score, int) or isinstance(score, bool) or not SCORE_MIN <= score <= SCORE_MAX:
                raise InvalidInputError(
                    f"评分须为{SCORE_MIN}-{SCORE_MAX}分 (score must be {SCORE_MIN}-{SCORE_MAX}): {dimension}",
                    code="score_out_of_range",
                )
        if not rationale.strip():
            raise InvalidInputError("评价须写明理由 (a rationale is required)", code="rationale_required")

    def evaluate(self, department: str, scores: dict[str, int], rationale: str, evaluated_on: date) -> None:
        self.check_evaluation(department, scores, rationale)
        self._evaluate(department=department.strip(), scores=dict(scores), rationale=rationale.strip(),
                       evaluated_on=evaluated_on)

    @event("Evaluated")
    def _evaluate(self, department: str, scores: dict[str, int], rationale: str, evaluated_on: date) -> None:
        self.evaluations[department] = {
            "scores": dict(scores), "rationale": rationale, "evaluated_on": evaluated_on
        }
